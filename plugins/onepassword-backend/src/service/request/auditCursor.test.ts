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
import { decodeAuditCursor, encodeAuditCursor } from './auditCursor';

const bySecretName = { field: 'secretName' as const, descending: false };
const byStatus = { field: 'status' as const, descending: true };
const encode = (value: unknown) =>
  Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

describe('audit cursor', () => {
  it('round-trips the sort value and key, nulls included', () => {
    for (const position of [
      { value: 'payments-db', key: 'dev-eu/payments/payments-db' },
      { value: null, key: 'dev-eu/payments/payments-db' },
    ]) {
      expect(
        decodeAuditCursor(
          encodeAuditCursor(bySecretName, position),
          bySecretName,
        ),
      ).toEqual(position);
    }
    const rank = { value: 3, key: 'k' };
    expect(
      decodeAuditCursor(encodeAuditCursor(byStatus, rank), byStatus),
    ).toEqual(rank);
  });

  it.each([
    ['garbage', 'nope', "Invalid cursor 'nope'"],
    ['a JSON array', encode([1]), 'Invalid cursor'],
    [
      'an offset cursor of the earlier API',
      encode({ offset: 100000 }),
      'an offset cursor from an earlier version of this API',
    ],
    [
      'a cursor of another sort',
      encode({ s: '-secretName', v: 'a', k: 'k' }),
      "continues a list sorted by '-secretName', not 'secretName'",
    ],
    ['no key', encode({ s: 'secretName', v: 'a' }), 'no valid record key'],
    [
      'an overlong key',
      encode({ s: 'secretName', v: 'a', k: 'k'.repeat(513) }),
      'no valid record key',
    ],
    [
      'a number for a text sort',
      encode({ s: 'secretName', v: 5, k: 'k' }),
      'not a valid secretName position',
    ],
  ])('rejects %s with a message', (_what, cursor, message) => {
    expect(() => decodeAuditCursor(cursor, bySecretName)).toThrow(InputError);
    expect(() => decodeAuditCursor(cursor, bySecretName)).toThrow(message);
  });

  it.each([[-1], [8], [1.5], ['2']])('rejects status rank %p', value => {
    expect(() =>
      decodeAuditCursor(encode({ s: '-status', v: value, k: 'k' }), byStatus),
    ).toThrow('not a valid status position');
  });
});
