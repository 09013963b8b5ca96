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

import { InputError } from '@backstage/errors';
import type { TransitionPosition } from '../../database/SecretSyncStore';

export const DEFAULT_HISTORY_LIMIT = 100;
export const MAX_HISTORY_LIMIT = 500;
/** A record key is at most 512 characters (see the records table). */
const MAX_RECORD_KEY = 512;
const ISO_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A validated query of the history route. */
export interface HistoryRequest {
  record?: string;
  since?: string;
  before: TransitionPosition | null;
  limit: number;
}

function single(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new InputError(`Query parameter '${name}' must be given once`);
  return value;
}

/** The opaque `nextCursor` of a history page: where the last transition was recorded. */
export function encodeHistoryCursor(position: TransitionPosition): string {
  return Buffer.from(JSON.stringify({ i: position.id }), 'utf8').toString(
    'base64url',
  );
}

function decodeHistoryCursor(cursor: string): TransitionPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const { i } = (decoded ?? {}) as Record<string, unknown>;
  if (!Number.isSafeInteger(i) || (i as number) < 0) {
    throw new InputError(
      `Invalid cursor '${cursor}': use the nextCursor of a history page`,
    );
  }
  return { id: i as number };
}

/** Parses the history route's query; bad input throws InputError naming the parameter. */
export function parseHistoryQuery(
  query: Record<string, unknown>,
): HistoryRequest {
  const record = single(query.record, 'record');
  if (
    record !== undefined &&
    (record.split('/').length !== 3 ||
      record.split('/').some(part => !part) ||
      record.length > MAX_RECORD_KEY)
  ) {
    throw new InputError(
      `Query parameter 'record' must be cluster/namespace/secretName, not '${record}'`,
    );
  }
  const sinceValue = single(query.since, 'since');
  let since: string | undefined;
  if (sinceValue !== undefined) {
    if (!ISO_TIME.test(sinceValue) || Number.isNaN(Date.parse(sinceValue))) {
      throw new InputError(
        `Query parameter 'since' must be an ISO 8601 time such as 2026-11-01T00:00:00Z, not '${sinceValue}'`,
      );
    }
    since = new Date(sinceValue).toISOString();
  }
  const limitValue = single(query.limit, 'limit');
  const limit =
    limitValue === undefined ? DEFAULT_HISTORY_LIMIT : Number(limitValue);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT) {
    throw new InputError(
      `Query parameter 'limit' must be a whole number from 1 to ${MAX_HISTORY_LIMIT}`,
    );
  }
  const cursor = single(query.cursor, 'cursor');
  return {
    record,
    since,
    before: cursor ? decodeHistoryCursor(cursor) : null,
    limit,
  };
}
