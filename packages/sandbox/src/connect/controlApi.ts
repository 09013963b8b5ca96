/*
 * Copyright 2026 The Backstage Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

import { InputError, isError, NotFoundError } from '@backstage/errors';
import { ConnectFaults } from '../scenario/types';
import { ConnectFaultSwitch, parseFaults } from './ConnectFaultSwitch';
import { ConnectStore, ItemChanges } from './ConnectStore';
import { ConnectTokens } from './ConnectTokens';
import { RequestStats } from './RequestLog';

/** What the control endpoints can switch on a server. */
interface ControlTarget {
  readonly adminToken: string;
  readonly faults: ConnectFaultSwitch;
  readonly tokens: ConnectTokens;
  readonly store: ConnectStore;
  stats(): RequestStats;
  resetStats(): void;
}

/** A control request, already read from the socket. */
interface ControlRequest {
  method: string;
  path: string;
  authorization?: string;
  body?: string;
}

interface ControlResponse {
  status: number;
  json?: unknown;
}

const error = (status: number, message: string): ControlResponse => ({
  status,
  json: { status, message },
});

function parseJson(body: string | undefined): unknown {
  try {
    return body ? JSON.parse(body) : {};
  } catch {
    throw new InputError('Request body is not valid JSON');
  }
}

/**
 * The sandbox's control endpoints, which real Connect does not have:
 *
 * - `GET /__sandbox/faults`, `PUT` (replace), `PATCH` (merge), `DELETE` (clear)
 * - `POST /__sandbox/tokens/<name>/revoke` and `/restore`
 * - `GET /__sandbox/stats`, `DELETE /__sandbox/stats` (reset request counts)
 * - `POST /__sandbox/vaults/<vault>/items/<item>/edit` with {@link ItemChanges}:
 *   edit an item as a person would in 1Password; answers the new version only.
 *
 * All need `Authorization: Bearer <adminToken>`. Faults never apply here, so
 * a test can always switch them off again.
 */
export function handleControlRequest(
  target: ControlTarget,
  request: ControlRequest,
): ControlResponse {
  if (request.authorization !== `Bearer ${target.adminToken}`) {
    return error(401, 'The sandbox control endpoints need the admin token');
  }
  const segments = request.path.split('/').slice(2).map(decodeURIComponent);
  const { method } = request;
  try {
    if (segments[0] === 'faults' && segments.length === 1) {
      if (method === 'GET') {
        return { status: 200, json: target.faults.current };
      }
      if (method === 'PUT' || method === 'PATCH') {
        const faults: ConnectFaults = parseFaults(parseJson(request.body));
        if (method === 'PUT') target.faults.clear();
        target.faults.set(faults);
        return { status: 200, json: target.faults.current };
      }
      if (method === 'DELETE') {
        target.faults.clear();
        return { status: 200, json: target.faults.current };
      }
    }
    if (
      segments[0] === 'tokens' &&
      segments.length === 3 &&
      method === 'POST'
    ) {
      if (segments[2] === 'revoke') {
        target.tokens.revoke(segments[1]);
        return { status: 204 };
      }
      if (segments[2] === 'restore') {
        target.tokens.restore(segments[1]);
        return { status: 204 };
      }
    }
    if (segments[0] === 'stats' && segments.length === 1) {
      if (method === 'GET') return { status: 200, json: target.stats() };
      if (method === 'DELETE') {
        target.resetStats();
        return { status: 204 };
      }
    }
    if (
      segments[0] === 'vaults' &&
      segments[2] === 'items' &&
      segments[4] === 'edit' &&
      segments.length === 5 &&
      method === 'POST'
    ) {
      const changes = parseJson(request.body) as ItemChanges;
      const item = target.store.updateItem(segments[1], segments[3], changes);
      return {
        status: 200,
        json: {
          id: item.id,
          vault: item.vault,
          version: item.version,
          updatedAt: item.updatedAt,
        },
      };
    }
    return error(404, `No sandbox control endpoint ${method} ${request.path}`);
  } catch (e) {
    if (isError(e) && e.name === InputError.name) return error(400, e.message);
    if (isError(e) && e.name === NotFoundError.name)
      return error(404, e.message);
    throw e;
  }
}
