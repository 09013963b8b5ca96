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
import { STATUS_SEVERITY } from '@secret-sync/backstage-plugin-onepassword-common';
import type { AuditPosition, AuditSort } from '../../database/SecretSyncStore';

/** Longest text a cursor may carry: a record key is at most 512 characters. */
const MAX_TEXT = 512;

function sortName(sort: AuditSort): string {
  return `${sort.descending ? '-' : ''}${sort.field}`;
}

/**
 * The opaque `nextCursor` of an audit page: the sort it belongs to and the
 * last row's sort value and key, so the next page starts right after that
 * row however many rows precede it.
 */
export function encodeAuditCursor(
  sort: AuditSort,
  position: AuditPosition,
): string {
  return Buffer.from(
    JSON.stringify({ s: sortName(sort), v: position.value, k: position.key }),
    'utf8',
  ).toString('base64url');
}

function validValue(sort: AuditSort, value: unknown): boolean {
  if (value === null) return true;
  if (sort.field === 'status') {
    return (
      Number.isInteger(value) &&
      (value as number) >= 0 &&
      (value as number) < STATUS_SEVERITY.length
    );
  }
  return typeof value === 'string' && value.length <= MAX_TEXT;
}

/**
 * Reads a cursor of {@link encodeAuditCursor} for a query sorted by `sort`;
 * anything else (a forged, truncated or old offset cursor, or one from
 * another sort) is an InputError that says what is wrong.
 */
export function decodeAuditCursor(
  cursor: string,
  sort: AuditSort,
): AuditPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (!decoded || typeof decoded !== 'object' || Array.isArray(decoded)) {
    throw new InputError(`Invalid cursor '${cursor}'`);
  }
  const { s, v, k, offset } = decoded as Record<string, unknown>;
  if (offset !== undefined) {
    throw new InputError(
      `Invalid cursor '${cursor}': an offset cursor from an earlier version of this API; start again from the first page`,
    );
  }
  if (s !== sortName(sort)) {
    throw new InputError(
      `Invalid cursor: it continues a list sorted by '${String(
        s,
      )}', not '${sortName(
        sort,
      )}'; use the same sort, or start from the first page`,
    );
  }
  if (typeof k !== 'string' || k.length === 0 || k.length > MAX_TEXT) {
    throw new InputError(`Invalid cursor '${cursor}': no valid record key`);
  }
  if (!validValue(sort, v)) {
    throw new InputError(
      `Invalid cursor '${cursor}': not a valid ${sort.field} position`,
    );
  }
  return { value: v as AuditPosition['value'], key: k };
}
