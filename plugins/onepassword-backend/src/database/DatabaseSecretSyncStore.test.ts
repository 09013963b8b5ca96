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

import { SYNC_STATUSES } from '@secret-sync/backstage-plugin-onepassword-common';
import { DatabaseSecretSyncStore } from './DatabaseSecretSyncStore';
import { makeRecord } from '../__testUtils__/records';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

const { databases, supportedIds } = createTestDatabases();

describe.each(supportedIds)('DatabaseSecretSyncStore (%s)', databaseId => {
  async function createStore() {
    const knex = await databases.init(databaseId);
    const store = await DatabaseSecretSyncStore.create({
      database: { getClient: async () => knex, migrations: { skip: false } },
    });
    return { knex, store };
  }

  it('round-trips records and records transitions', async () => {
    const { store } = await createStore();
    const record = makeRecord();
    await store.replaceRecords([record], '2026-11-28T10:00:00.000Z');
    expect(await store.listRecords()).toEqual([record]);
    expect(
      await store.listRecords({ kubernetesId: 'payments-api' }),
    ).toHaveLength(1);
    expect(await store.listRecords({ kubernetesId: 'other' })).toHaveLength(0);

    const stale = makeRecord({
      status: 'stale',
      statusSince: '2026-11-28T11:00:00.000Z',
    });
    await store.replaceRecords([stale], '2026-11-28T11:00:00.000Z');
    await store.replaceRecords([stale], '2026-11-28T11:01:00.000Z');
    expect(await store.listTransitions('dev-eu/payments/payments-db')).toEqual([
      expect.objectContaining({
        fromStatus: null,
        toStatus: 'in-sync',
        at: '2026-11-27T10:05:00.000Z',
      }),
      expect.objectContaining({
        fromStatus: 'in-sync',
        toStatus: 'stale',
        at: '2026-11-28T11:00:00.000Z',
      }),
    ]);

    await store.replaceRecords([], '2026-11-28T12:00:00.000Z');
    expect(await store.listRecords()).toEqual([]);
  });

  it('filters, sorts, counts and pages the audit in SQL', async () => {
    const { store } = await createStore();
    const records = Array.from({ length: 30 }, (_, i) =>
      makeRecord({
        cluster: i % 2 ? 'prod-us' : 'dev-eu',
        secretName: `secret-${String(i).padStart(2, '0')}`,
        status: SYNC_STATUSES[i % SYNC_STATUSES.length],
        entityRef: i % 3 ? 'component:default/a' : null,
        owner: i % 3 ? 'group:default/team_a' : null,
      }),
    );
    await store.replaceRecords(records, '2026-11-28T10:00:00.000Z');

    const page = await store.queryAudit({
      sort: { field: 'secretName', descending: true },
      offset: 0,
      limit: 5,
    });
    expect(page.total).toBe(30);
    expect(page.items.map(r => r.secretName)).toEqual([
      'secret-29',
      'secret-28',
      'secret-27',
      'secret-26',
      'secret-25',
    ]);
    expect(page.byStatus.stale).toBe(4);
    expect(page.byCluster.map(c => c.cluster)).toEqual(['dev-eu', 'prod-us']);

    const orphans = await store.queryAudit({
      orphans: true,
      sort: { field: 'secretName', descending: false },
      offset: 0,
      limit: 100,
    });
    expect(orphans.total).toBe(10);
    expect(orphans.items.every(r => r.entityRef === null)).toBe(true);

    const filtered = await store.queryAudit({
      status: ['stale', 'error'],
      cluster: ['prod-us'],
      q: 'SECRET-1',
      sort: { field: 'status', descending: false },
      offset: 0,
      limit: 100,
    });
    // prod-us holds the odd indexes; error is index 3 mod 8, stale never odd.
    expect(filtered.items.map(r => [r.secretName, r.status])).toEqual([
      ['secret-11', 'error'],
      ['secret-19', 'error'],
    ]);
    expect(filtered.items.every(r => r.cluster === 'prod-us')).toBe(true);

    const owned = await store.queryAudit({
      owner: ['group:default/team_a'],
      q: '_a',
      sort: { field: 'owner', descending: false },
      offset: 18,
      limit: 5,
    });
    expect(owned.total).toBe(20);
    expect(owned.items).toHaveLength(2);

    const wildcard = await store.queryAudit({
      q: '%',
      sort: { field: 'syncedAt', descending: false },
      offset: 0,
      limit: 5,
    });
    expect(wildcard.total).toBe(0);
  });

  it('keeps server, cluster, vault and refresh state', async () => {
    const { store } = await createStore();
    const server = {
      name: 'main',
      url: 'http://localhost:8080',
      healthy: true,
      version: '1.8.1',
      dependencies: [{ service: 'sqlite', status: 'ACTIVE' }],
      vaultCount: 6,
      lastRefreshAt: '2026-11-28T10:00:00.000Z',
      lastSuccessAt: '2026-11-28T10:00:00.000Z',
      error: null,
    };
    await store.putServer(server);
    await store.putServer({ ...server, healthy: false, error: 'boom' });
    expect(await store.listServers()).toEqual([
      { ...server, healthy: false, error: 'boom' },
    ]);

    const cluster = {
      name: 'dev-eu',
      healthy: true,
      secretCount: 3,
      lastRefreshAt: null,
      lastSuccessAt: null,
      error: null,
      operator: {
        namespace: 'onepassword',
        deploymentName: 'onepassword-connect-operator',
        version: '1.12.0',
        pollingIntervalSeconds: 60,
        pollingIntervalFromOperator: true,
        autoRestart: false,
        watchNamespaces: ['payments'],
        connectHost: 'http://localhost:8080',
        connectServer: 'main',
      },
    };
    await store.putCluster(cluster);
    expect(await store.listClusters()).toEqual([cluster]);

    const vault = {
      vaultId: 'aaaaaaaaaaaaaaaaaaaaaaaaaa',
      name: 'payments',
      access: 'listed' as const,
      contentVersion: 7,
      items: [
        {
          id: 'x',
          title: 't',
          vaultId: 'aaaaaaaaaaaaaaaaaaaaaaaaaa',
          version: 2,
          updatedAt: null,
          tags: [],
        },
      ],
      checkedAt: '2026-11-28T10:00:00.000Z',
    };
    await store.replaceVaults('main', [vault]);
    expect(await store.listVaults('main')).toEqual([vault]);
    expect(await store.listVaults('legacy')).toEqual([]);

    expect(await store.getLastRefreshAt()).toBeNull();
    await store.setLastRefreshAt('2026-11-28T10:00:00.000Z');
    await store.setLastRefreshAt('2026-11-28T10:01:00.000Z');
    expect(await store.getLastRefreshAt()).toBe('2026-11-28T10:01:00.000Z');
  });

  // How fast is for test/bench to measure; this checks the page is the right one.
  it('pages 20,000 records: the right slice of the filtered, sorted set', async () => {
    const { store } = await createStore();
    const base = Date.parse('2026-11-01T00:00:00.000Z');
    const records = Array.from({ length: 20_000 }, (_, i) =>
      makeRecord({
        namespace: `ns-${i % 50}`,
        secretName: `s-${i}`,
        status: SYNC_STATUSES[i % 8],
        syncedAt: new Date(base + i * 1000).toISOString(),
      }),
    );
    await store.replaceRecords(records, '2026-11-28T10:00:00.000Z');
    const page = await store.queryAudit({
      status: ['stale'],
      sort: { field: 'syncedAt', descending: true },
      offset: 2000,
      limit: 50,
    });
    const staleNewestFirst = records
      .filter(r => r.status === 'stale')
      .reverse()
      .map(r => r.secretName);
    expect(page.items.map(r => r.secretName)).toEqual(
      staleNewestFirst.slice(2000, 2050),
    );
    expect(page.total).toBe(2500);
    expect(page.items).toHaveLength(50);
  });
});
