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

import {
  AuditorService,
  AuditorServiceCreateEventOptions,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';

/** An auditor that keeps every event and how it ended. */
export function createRecordingAuditor() {
  const events: Array<{
    options: AuditorServiceCreateEventOptions;
    outcome?: {
      status: 'succeeded' | 'failed';
      meta?: JsonObject;
      error?: string;
    };
  }> = [];
  const auditor: AuditorService = {
    async createEvent(options) {
      const event: (typeof events)[number] = { options };
      events.push(event);
      return {
        async success(result) {
          event.outcome = { status: 'succeeded', meta: result?.meta };
        },
        async fail(result) {
          event.outcome = {
            status: 'failed',
            meta: result.meta,
            error: `${result.error.name}: ${result.error.message}`,
          };
        },
      };
    },
  };
  return { auditor, events };
}

/** A logger that keeps every message and its metadata. */
export function createRecordingLogger() {
  const lines: unknown[] = [];
  const logger: LoggerService = {
    error: (message, meta) => void lines.push(['error', message, meta]),
    warn: (message, meta) => void lines.push(['warn', message, meta]),
    info: (message, meta) => void lines.push(['info', message, meta]),
    debug: (message, meta) => void lines.push(['debug', message, meta]),
    child: () => logger,
  };
  return { logger, lines };
}

/** Permissions that answer every request with `result`. */
export function createStaticPermissions(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
): PermissionsService {
  return {
    authorize: async requests => requests.map(() => ({ result })),
    authorizeConditional: async requests => requests.map(() => ({ result })),
  };
}

/**
 * Permissions as an owner-only policy answers them: ALLOW for requests on
 * the given entities, DENY for any other entity or for none.
 */
export function createEntityPermissions(
  allowedEntityRefs: string[],
): PermissionsService & { requests: unknown[] } {
  const requests: unknown[] = [];
  const decide = (request: { resourceRef?: string }) => {
    requests.push(request);
    return {
      result:
        request.resourceRef && allowedEntityRefs.includes(request.resourceRef)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    } as const;
  };
  return {
    requests,
    authorize: async list => list.map(decide),
    authorizeConditional: async list =>
      list.map(() => ({ result: AuthorizeResult.DENY })),
  };
}

/**
 * A checkpoint store that survives handler runs, as task recovery does: a
 * second run with the same key gets the first run's result.
 */
export function createCheckpointStore() {
  const values = new Map<string, unknown>();
  return {
    values,
    async checkpoint<T>(opts: {
      key: string;
      fn: () => Promise<T> | T;
    }): Promise<T> {
      if (values.has(opts.key)) return values.get(opts.key) as T;
      const value = await opts.fn();
      values.set(opts.key, value);
      return value;
    },
  };
}
