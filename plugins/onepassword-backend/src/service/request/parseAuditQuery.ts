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
import {
  AuditSortField,
  AUDIT_SORT_FIELDS,
  isSyncStatus,
  SyncStatus,
} from '@secret-sync/backstage-plugin-onepassword-common';
import type { AuditPageRequest } from '../../database/SecretSyncStore';
import { decodeAuditCursor } from './auditCursor';

const DEFAULT_AUDIT_LIMIT = 50;
const MAX_AUDIT_LIMIT = 500;

function list(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  const values = (Array.isArray(value) ? value : [value]).flatMap(v => {
    if (typeof v !== 'string')
      throw new InputError(`Query parameter '${name}' must be a string`);
    return v
      .split(',')
      .map(s => s.trim())
      .filter(Boolean);
  });
  return values.length ? values : undefined;
}

function single(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new InputError(`Query parameter '${name}' must be given once`);
  return value;
}

function booleanParameter(value: unknown, name: string): boolean | undefined {
  const text = single(value, name);
  if (text === undefined) return undefined;
  if (text !== 'true' && text !== 'false') {
    throw new InputError(
      `Query parameter '${name}' must be true or false, not '${text}'`,
    );
  }
  return text === 'true';
}

/** Parses the query of `GET /audit`; bad input throws InputError naming the parameter. */
export function parseAuditQuery(
  query: Record<string, unknown>,
): AuditPageRequest {
  const status = list(query.status, 'status');
  const invalid = status?.find(s => !isSyncStatus(s));
  if (invalid) throw new InputError(`Invalid status '${invalid}'`);

  const orphans = booleanParameter(query.orphans, 'orphans');
  const restartNeeded = booleanParameter(query.restartNeeded, 'restartNeeded');
  const rotationDue = booleanParameter(query.rotationDue, 'rotationDue');

  const sortValue = single(query.sort, 'sort') ?? 'status';
  const descending = sortValue.startsWith('-');
  const field = sortValue.replace(/^-/, '') as AuditSortField;
  if (!AUDIT_SORT_FIELDS.includes(field)) {
    throw new InputError(
      `Invalid sort '${sortValue}'; use one of ${AUDIT_SORT_FIELDS.join(
        ', ',
      )}, '-' prefixed for descending`,
    );
  }

  const limitValue = single(query.limit, 'limit');
  const limit =
    limitValue === undefined ? DEFAULT_AUDIT_LIMIT : Number(limitValue);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_LIMIT) {
    throw new InputError(
      `Query parameter 'limit' must be a whole number from 1 to ${MAX_AUDIT_LIMIT}`,
    );
  }
  const cursor = single(query.cursor, 'cursor');

  return {
    status: status as SyncStatus[] | undefined,
    cluster: list(query.cluster, 'cluster'),
    owner: list(query.owner, 'owner'),
    server: list(query.server, 'server'),
    vault: list(query.vault, 'vault'),
    q: single(query.q, 'q')?.trim() || undefined,
    orphans,
    rotationDue,
    restartNeeded,
    sort: { field, descending },
    after: cursor ? decodeAuditCursor(cursor, { field, descending }) : null,
    limit,
  };
}
