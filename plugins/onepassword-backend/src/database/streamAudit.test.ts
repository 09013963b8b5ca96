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

import { createTestDatabases } from '../__testUtils__/databases';
import { makeRecord } from '../__testUtils__/records';
import { DatabaseSecretSyncStore } from './DatabaseSecretSyncStore';

jest.setTimeout(60_000);

const { databases, supportedIds } = createTestDatabases();

describe.each(supportedIds)('streamAudit (%s)', databaseId => {
  async function storeWith(count: number) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseSecretSyncStore.create({
      database: { getClient: async () => knex, migrations: { skip: false } },
    });
    const statuses = ['in-sync', 'pending', 'stale'] as const;
    await store.replaceRecords(
      Array.from({ length: count }, (_, i) =>
        makeRecord({
          namespace: `ns-${i % 7}`,
          secretName: `secret-${String(i).padStart(4, '0')}`,
          status: statuses[i % statuses.length],
          // Every third record without an owner: the nulls sort last.
          owner: i % 3 === 0 ? null : `group:default/team-${i % 5}`,
          consumers: [{ deployment: `app-${i}`, verdict: 'restarted' }],
        } as never),
      ),
      '2026-11-28T10:00:00.000Z',
    );
    await store.setLastRefreshAt('2026-11-28T10:00:00.000Z');
    return store;
  }

  it('reads every record in batches, as the keyset pages read them', async () => {
    const store = await storeWith(1203);
    for (const sort of [
      { field: 'status' as const, descending: false },
      { field: 'owner' as const, descending: true },
    ]) {
      const batches = [];
      for await (const batch of store.streamAudit({ sort })) {
        batches.push(batch);
      }
      expect(batches.map(b => b.length)).toEqual([500, 500, 203]);
      const page = await store.queryAudit({ sort, after: null, limit: 1203 });
      expect(batches.flat()).toEqual(page.items);
    }
  });

  it('leaves the database usable when the reader stops early', async () => {
    const store = await storeWith(1100);
    const sort = { field: 'secretName' as const, descending: false };
    for await (const batch of store.streamAudit({ sort })) {
      expect(batch[0].secretName).toBe('secret-0000');
      break;
    }
    const page = await store.queryAudit({ sort, after: null, limit: 2 });
    expect(page.total).toBe(1100);
    expect(page.items.map(r => r.secretName)).toEqual([
      'secret-0000',
      'secret-0001',
    ]);
  });
});
