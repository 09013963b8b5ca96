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
  STATUS_SEVERITY,
  SYNC_STATUSES,
} from '@secret-sync/backstage-plugin-onepassword-common';
import type { AuditPage } from './SecretSyncStore';
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
    // With no rotation rule the record says so: no deadline, not due.
    expect(await store.listRecords()).toEqual([
      { ...record, rotateBy: null, rotationDue: false },
    ]);
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

  it('groups the claimed records by vault, and filters the audit by vault', async () => {
    const { store } = await createStore();
    const vaultA = 'aaaaaaaaaaaaaaaaaaaaaaaaaa';
    const vaultB = 'bbbbbbbbbbbbbbbbbbbbbbbbbb';
    await store.replaceRecords(
      [
        makeRecord({ secretName: 'a1', vaultId: vaultA }),
        makeRecord({ secretName: 'a2', vaultId: vaultA, cluster: 'prod-us' }),
        makeRecord({
          secretName: 'b1',
          vaultId: vaultB,
          entityRef: 'component:default/search',
        }),
        makeRecord({ secretName: 'orphan', vaultId: vaultB, entityRef: null }),
        makeRecord({ secretName: 'unresolved', vaultId: null }),
      ],
      '2026-11-28T10:00:00.000Z',
    );
    expect(await store.listVaultUsage()).toEqual([
      { vaultId: vaultA, entityRefs: ['component:default/payments-api'] },
      { vaultId: vaultB, entityRefs: ['component:default/search'] },
    ]);
    const page = await store.queryAudit({
      vault: [vaultB],
      sort: { field: 'secretName', descending: false },
      after: null,
      limit: 10,
    });
    expect(page.total).toBe(2);
    expect(page.items.map(r => r.secretName)).toEqual(['b1', 'orphan']);
  });

  it('filters, sorts, counts and pages the audit in SQL', async () => {
    const { store } = await createStore();
    const records = Array.from({ length: 30 }, (_, i) =>
      makeRecord({
        cluster: i % 2 ? 'prod-us' : 'dev-eu',
        secretName: `secret-${String(i).padStart(2, '0')}`,
        status: SYNC_STATUSES[i % SYNC_STATUSES.length],
        // Not yet due, so pending stays pending.
        itemUpdatedAt: '2999-01-01T00:00:00.000Z',
        entityRef: i % 3 ? 'component:default/a' : null,
        owner: i % 3 ? 'group:default/team_a' : null,
      }),
    );
    await store.replaceRecords(records, '2026-11-28T10:00:00.000Z');

    const page = await store.queryAudit({
      sort: { field: 'secretName', descending: true },
      after: null,
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
    // The owner filter's choices: from every page, whatever owner is chosen.
    expect(page.owners).toEqual(['group:default/team_a']);
    const nobodys = await store.queryAudit({
      owner: ['group:default/nobody'],
      sort: { field: 'secretName', descending: false },
      after: null,
      limit: 1,
    });
    expect(nobodys.total).toBe(0);
    expect(nobodys.owners).toEqual(['group:default/team_a']);

    const orphans = await store.queryAudit({
      orphans: true,
      sort: { field: 'secretName', descending: false },
      after: null,
      limit: 100,
    });
    expect(orphans.total).toBe(10);
    expect(orphans.items.every(r => r.entityRef === null)).toBe(true);

    const filtered = await store.queryAudit({
      status: ['stale', 'error'],
      cluster: ['prod-us'],
      q: 'SECRET-1',
      sort: { field: 'status', descending: false },
      after: null,
      limit: 100,
    });
    // prod-us holds the odd indexes; error is index 3 mod 8, stale never odd.
    expect(filtered.items.map(r => [r.secretName, r.status])).toEqual([
      ['secret-11', 'error'],
      ['secret-19', 'error'],
    ]);
    expect(filtered.items.every(r => r.cluster === 'prod-us')).toBe(true);

    const ownedFirst = await store.queryAudit({
      owner: ['group:default/team_a'],
      q: '_a',
      sort: { field: 'owner', descending: false },
      after: null,
      limit: 18,
    });
    const owned = await store.queryAudit({
      owner: ['group:default/team_a'],
      q: '_a',
      sort: { field: 'owner', descending: false },
      after: ownedFirst.next,
      limit: 5,
    });
    expect(owned.total).toBe(20);
    expect(owned.items).toHaveLength(2);
    expect(owned.next).toBeNull();

    const wildcard = await store.queryAudit({
      q: '%',
      sort: { field: 'syncedAt', descending: false },
      after: null,
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

  it.each([
    ['status', false],
    ['entityRef', false],
    ['entityRef', true],
    ['syncedAt', true],
  ] as const)(
    'walks every record once by keyset pages sorted by %s (descending: %s), nulls last',
    async (field, descending) => {
      const { store } = await createStore();
      const records = Array.from({ length: 257 }, (_, i) =>
        makeRecord({
          namespace: `ns-${i % 7}`,
          secretName: `s-${i}`,
          status: SYNC_STATUSES[i % 8],
          // Pending, not yet due: a due one reads stale but sorts as stored.
          itemUpdatedAt: '2999-01-01T00:00:00.000Z',
          entityRef: i % 4 ? `component:default/c-${i % 5}` : null,
          syncedAt:
            i % 3
              ? `2026-11-${String(1 + (i % 9)).padStart(2, '0')}T00:00:00.000Z`
              : null,
        }),
      );
      await store.replaceRecords(records, '2026-11-28T10:00:00.000Z');
      const seen: string[] = [];
      const values: Array<string | null> = [];
      let after = null;
      let pages = 0;
      do {
        const page: AuditPage = await store.queryAudit({
          sort: { field, descending },
          after,
          limit: 20,
        });
        expect(page.total).toBe(257);
        page.items.forEach(r => {
          seen.push(`${r.namespace}/${r.secretName}`);
          values.push(
            field === 'status'
              ? String(STATUS_SEVERITY.indexOf(r.status))
              : (r[field] as string | null),
          );
        });
        after = page.next;
        pages++;
      } while (after);
      expect(pages).toBe(13);
      expect(new Set(seen).size).toBe(257);
      const firstNull = values.indexOf(null);
      expect(
        firstNull === -1 || values.slice(firstNull).every(v => v === null),
      ).toBe(true);
      const nonNull = values.filter((v): v is string => v !== null);
      const byText = (a: string, b: string) => Number(a > b) - Number(a < b);
      const sorted = [...nonNull].sort((a, b) =>
        field === 'status' ? Number(a) - Number(b) : byText(a, b),
      );
      expect(nonNull).toEqual(descending ? sorted.reverse() : sorted);
    },
  );

  it('writes only what changed, and leaves time to the reads', async () => {
    const { knex, store } = await createStore();
    let inserts = 0;
    knex.on('query', (q: { sql: string }) => {
      if (/^insert/i.test(q.sql)) inserts++;
    });
    const inSync = makeRecord({ secretName: 'a' });
    const other = makeRecord({
      secretName: 'b',
      status: 'error',
      message: 'm',
    });
    expect(
      await store.replaceRecords([inSync, other], '2026-11-28T10:00:00.000Z'),
    ).toMatchObject({ written: 2, deleted: 0, unchanged: 0 });
    await store.setLastRefreshAt('2026-11-28T10:00:00.000Z');

    // A later refresh that saw the same: only time-driven facts moved.
    inserts = 0;
    const later = {
      verifiedAt: '2026-11-28T10:01:00.000Z',
      nextPollBy: '2026-11-28T10:11:00.000Z',
    };
    expect(
      await store.replaceRecords(
        [
          { ...inSync, ...later },
          { ...other, nextPollBy: later.nextPollBy },
        ],
        '2026-11-28T10:01:00.000Z',
      ),
    ).toMatchObject({ written: 0, deleted: 0, unchanged: 2 });
    await store.setLastRefreshAt('2026-11-28T10:01:00.000Z');
    expect(inserts).toBe(1); // the refresh time, nothing else
    const [a, b] = await store.listRecords();
    expect(a.verifiedAt).toBe('2026-11-28T10:01:00.000Z');
    expect(a.nextPollBy).toBe('2026-11-28T10:11:00.000Z');
    expect(b.nextPollBy).toBe('2026-11-28T10:11:00.000Z');
    expect(b.verifiedAt).toBe(other.verifiedAt);

    expect(
      await store.replaceRecords(
        [{ ...other, message: 'changed' }],
        '2026-11-28T10:02:00.000Z',
      ),
    ).toMatchObject({ written: 1, deleted: 1, unchanged: 0 });
  });

  it.each([3, 1_100])(
    'updates only the records given, and deletes the keys removed (%s records)',
    async count => {
      const { store } = await createStore();
      const records = Array.from({ length: count }, (_, i) =>
        makeRecord({ secretName: `secret-${i}` }),
      );
      await store.replaceRecords(records, '2026-11-28T10:00:00.000Z');
      const stale = {
        ...records[1],
        status: 'stale' as const,
        statusSince: '2026-11-28T11:00:00.000Z',
      };
      const result = await store.updateRecords(
        // All but the first again, one of them changed.
        [...records.slice(2), stale],
        [`dev-eu/payments/secret-0`],
        '2026-11-28T11:00:00.000Z',
      );
      expect(result).toMatchObject({
        written: 1,
        deleted: 1,
        unchanged: count - 2,
        writtenKeys: ['dev-eu/payments/secret-1'],
        deletedKeys: ['dev-eu/payments/secret-0'],
        transitions: [
          expect.objectContaining({
            recordKey: 'dev-eu/payments/secret-1',
            fromStatus: 'in-sync',
            toStatus: 'stale',
          }),
        ],
      });
      const stored = await store.listRecords();
      expect(stored).toHaveLength(count - 1);
      expect(stored.find(r => r.secretName === 'secret-1')?.status).toBe(
        'stale',
      );
    },
  );

  it('turns pending stale when its stored deadline passes, without a write', async () => {
    const { store } = await createStore();
    const changedAt = new Date(Date.now() - 11 * 60_000).toISOString();
    const soon = new Date(Date.now() - 60_000).toISOString();
    const overdue = makeRecord({
      secretName: 'overdue',
      status: 'pending',
      itemVersion: 4,
      itemUpdatedAt: changedAt, // 600 s interval + 60 s grace: 1 minute ago
      statusSince: changedAt,
    });
    const waiting = makeRecord({
      secretName: 'waiting',
      status: 'pending',
      itemVersion: 4,
      itemUpdatedAt: soon,
      statusSince: soon,
    });
    await store.replaceRecords([overdue, waiting], changedAt);
    const records = await store.listRecords();
    expect(records.map(r => [r.secretName, r.status])).toEqual([
      ['overdue', 'stale'],
      ['waiting', 'pending'],
    ]);
    expect(records[0].statusSince).toBe(
      new Date(Date.parse(changedAt) + 660_000).toISOString(),
    );
    expect(records[0].message).toContain('more than one polling interval');

    const stale = await store.queryAudit({
      status: ['stale'],
      sort: { field: 'status', descending: false },
      after: null,
      limit: 10,
    });
    expect(stale.items.map(r => r.secretName)).toEqual(['overdue']);
    expect(stale.byStatus).toMatchObject({ stale: 1, pending: 0 });
    const all = await store.queryAudit({
      sort: { field: 'status', descending: false },
      after: null,
      limit: 10,
    });
    expect(all.byStatus).toMatchObject({ stale: 1, pending: 1 });
    const pending = await store.queryAudit({
      status: ['pending'],
      sort: { field: 'status', descending: false },
      after: null,
      limit: 10,
    });
    expect(pending.items.map(r => r.secretName)).toEqual(['waiting']);
  });

  it('writes servers, clusters and vaults only when they changed', async () => {
    const { knex, store } = await createStore();
    let inserts = 0;
    knex.on('query', (q: { sql: string }) => {
      if (/^insert/i.test(q.sql)) inserts++;
    });
    const at = (minute: number) => `2026-11-28T10:0${minute}:00.000Z`;
    const server = (minute: number) => ({
      name: 'main',
      url: 'http://localhost:8080',
      healthy: true,
      version: '1.8.1',
      dependencies: [],
      vaultCount: 1,
      lastRefreshAt: at(minute),
      lastSuccessAt: at(minute),
      error: null,
    });
    const cluster = (minute: number) => ({
      name: 'dev-eu',
      healthy: true,
      secretCount: 3,
      lastRefreshAt: at(minute),
      lastSuccessAt: at(minute),
      error: null,
      operator: null,
    });
    const vault = (minute: number) => ({
      vaultId: 'aaaaaaaaaaaaaaaaaaaaaaaaaa',
      name: 'payments',
      access: 'listed' as const,
      contentVersion: 7,
      items: [],
      checkedAt: at(minute),
    });
    await store.putServers([server(0)]);
    await store.putClusters([cluster(0)]);
    await store.replaceVaults('main', [vault(0)]);
    expect(inserts).toBe(3);

    inserts = 0;
    await store.putServers([server(1)]);
    await store.putClusters([cluster(1)]);
    await store.replaceVaults('main', [vault(1)]);
    await store.setLastRefreshAt(at(1));
    expect(inserts).toBe(1);
    expect((await store.listServers())[0]).toEqual(server(1));
    expect((await store.listClusters())[0]).toEqual(cluster(1));

    await store.putClusters([
      { ...cluster(2), healthy: false, lastSuccessAt: at(1), error: 'down' },
    ]);
    await store.setLastRefreshAt(at(2));
    expect((await store.listClusters())[0]).toMatchObject({
      healthy: false,
      lastRefreshAt: at(2),
      lastSuccessAt: at(1),
    });
  });
});
