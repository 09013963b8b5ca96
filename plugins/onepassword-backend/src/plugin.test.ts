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
  AuditResponse,
  EntitySecretsResponse,
  SecretSyncRecord,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { Sandbox, Scenario, startSandbox } from '@internal/sandbox';
import { Knex } from 'knex';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import {
  requireVmModules,
  SandboxBackend,
  startSandboxBackend,
} from './__testUtils__/testBackend';
import { createTestDatabases } from './__testUtils__/databases';
import { kubernetesIdLabels as kid } from './__testUtils__/paymentsScenario';

jest.setTimeout(120_000);

const { databases, supportedIds } = createTestDatabases();

/** Every situation the statuses arise from; field values contain CANARY. */
const scenario: Scenario = {
  name: 'onepassword-backend-test',
  connect: [
    {
      name: 'main',
      port: 0,
      tokens: [
        {
          name: 'backstage',
          token: 'test-backstage',
          vaults: ['payments', 'storefront', 'identity'],
        },
        {
          name: 'operator',
          token: 'test-operator',
          vaults: ['payments', 'identity', 'restricted'],
        },
        { name: 'admin', token: 'test-admin', vaults: '*', write: true },
      ],
      vaults: [
        {
          name: 'payments',
          items: [
            {
              title: 'payments-db',
              category: 'LOGIN',
              version: 2,
              updatedAt: '-30d',
              fields: [
                { label: 'username', purpose: 'USERNAME', value: 'app-CANARY' },
                {
                  label: 'password',
                  purpose: 'PASSWORD',
                  value: 'pw-CANARY-1',
                },
              ],
            },
            {
              title: 'orders-key',
              category: 'PASSWORD',
              fields: [
                {
                  label: 'password',
                  purpose: 'PASSWORD',
                  value: 'orders-CANARY',
                },
              ],
            },
          ],
        },
        {
          name: 'storefront',
          items: [
            {
              title: 'checkout-key',
              category: 'PASSWORD',
              fields: [
                { label: 'password', purpose: 'PASSWORD', value: 'co-CANARY' },
              ],
            },
          ],
        },
        {
          name: 'identity',
          items: [
            {
              title: 'identity-db',
              category: 'PASSWORD',
              fields: [
                { label: 'password', purpose: 'PASSWORD', value: 'id-CANARY' },
              ],
            },
          ],
        },
        {
          name: 'restricted',
          items: [
            {
              title: 'ledger-db',
              category: 'PASSWORD',
              fields: [
                {
                  label: 'password',
                  purpose: 'PASSWORD',
                  value: 'ledger-CANARY',
                },
              ],
            },
          ],
        },
      ],
    },
  ],
  clusters: [
    {
      name: 'dev',
      port: 0,
      tokens: ['test-k8s-admin', 'test-k8s-reader'],
      operator: {
        connectServer: 'main',
        connectToken: 'operator',
        pollingIntervalSeconds: 60,
        autoRestart: false,
        watchNamespaces: ['payments', 'identity', 'storefront'],
      },
      namespaces: [
        {
          name: 'payments',
          annotations: { 'operator.1password.io/auto-restart': 'true' },
          onePasswordItems: [
            {
              name: 'payments-db',
              itemPath: 'vaults/payments/items/payments-db',
              labels: kid('payments-api'),
            },
            {
              name: 'orders-key',
              itemPath: 'vaults/payments/items/orders-key',
              labels: kid('orders-worker'),
            },
            {
              name: 'ledger-db',
              itemPath: 'vaults/restricted/items/ledger-db',
              labels: kid('ledger-service'),
            },
            {
              name: 'shared-smtp',
              itemPath: 'vaults/payments/items/orders-key',
            },
          ],
          deployments: [
            {
              name: 'payments-api',
              labels: kid('payments-api'),
              secretRefs: ['payments-db'],
            },
          ],
        },
        {
          name: 'identity',
          onePasswordItems: [
            {
              name: 'signing-key',
              itemPath: 'vaults/identity/items/signing-key-v2',
              labels: kid('identity-service'),
            },
            {
              name: 'identity-db',
              itemPath: 'vaults/identity/items/identity-db',
              labels: kid('identity-service'),
            },
          ],
        },
        {
          name: 'storefront',
          onePasswordItems: [
            {
              name: 'checkout-key',
              itemPath: 'vaults/storefront/items/checkout-key',
              labels: kid('checkout-web'),
            },
          ],
        },
        {
          name: 'search',
          onePasswordItems: [
            {
              name: 'search-key',
              itemPath: 'vaults/payments/items/orders-key',
              labels: kid('search-indexer'),
            },
          ],
        },
      ],
    },
  ],
};

const component = (
  name: string,
  annotations: Record<string, string> = kid(name),
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', lifecycle: 'production', owner: `team-${name}` },
});

const entities = [
  component('payments-api'),
  component('orders-worker'),
  component('ledger-service'),
  component('identity-service'),
  component('checkout-web'),
  component('search-indexer'),
  component('no-secrets'),
];

describe.each(supportedIds)(
  'onepassword backend against the sandbox (%s)',
  databaseId => {
    let sandbox: Sandbox;
    let stateDir: string;
    let knex: Knex;
    let backend: SandboxBackend;
    let server: SandboxBackend['server'];
    const logLines: string[] = [];
    const bodies: string[] = [];

    async function refresh() {
      await backend.refresh();
    }

    async function get<T>(path: string): Promise<T> {
      const response = await request(server).get(`/api/onepassword${path}`);
      bodies.push(response.text);
      expect(response.status).toBe(200);
      return response.body as T;
    }

    async function record(ns: string, name: string): Promise<SecretSyncRecord> {
      const audit = await get<AuditResponse>('/audit?limit=500');
      const found = audit.items.find(
        r => r.namespace === ns && r.secretName === name,
      );
      if (!found)
        throw new Error(
          `no record ${ns}/${name} in ${JSON.stringify(
            audit.items.map(r => `${r.namespace}/${r.secretName}`),
          )}`,
        );
      return found;
    }

    beforeAll(async () => {
      requireVmModules();
      stateDir = mkdtempSync(join(tmpdir(), 'onepassword-backend-test-'));
      sandbox = await startSandbox(scenario, { anyPorts: true, stateDir });
      knex = await databases.init(databaseId);
      backend = await startSandboxBackend({
        sandbox,
        connectTokens: { main: 'test-backstage' },
        clusterToken: () => 'test-k8s-reader',
        entities,
        knex,
        logLines,
      });
      server = backend.server;
      await refresh();
    });

    afterAll(async () => {
      await backend?.stop();
      await sandbox?.stop();
      rmSync(stateDir, { recursive: true, force: true });
    });

    it('reads every cluster through the Kubernetes plugin and evaluates each situation', async () => {
      const audit = await get<AuditResponse>(
        '/audit?limit=500&sort=secretName',
      );
      const statuses = Object.fromEntries(
        audit.items.map(r => [`${r.namespace}/${r.secretName}`, r.status]),
      );
      expect(statuses).toEqual({
        'payments/payments-db': 'in-sync',
        'payments/orders-key': 'in-sync',
        'payments/ledger-db': 'access-denied',
        'payments/shared-smtp': 'in-sync',
        'identity/signing-key': 'item-not-found',
        'identity/identity-db': 'in-sync',
        'storefront/checkout-key': 'error',
        'search/search-key': 'missing',
      });
      const payments = audit.items.find(r => r.secretName === 'payments-db')!;
      expect(payments).toMatchObject({
        entityRef: 'component:default/payments-api',
        owner: 'group:default/team-payments-api',
        connectServer: 'main',
        vaultName: 'payments',
        itemVersion: 2,
        secretVersion: 2,
        pollingIntervalSeconds: 60,
        autoRestart: { enabled: true, source: 'namespace' },
      });
      expect(payments.syncedAt).not.toBeNull();
      expect(
        audit.items.find(r => r.secretName === 'shared-smtp')!.entityRef,
      ).toBeNull();
      expect(
        audit.items.find(r => r.secretName === 'checkout-key')!.hint,
      ).toMatch(/token/);
      expect(
        audit.items.find(r => r.secretName === 'search-key')!.hint,
      ).toContain("Add 'search' to the operator's WATCH_NAMESPACE");

      const clusters = await get<{ items: any[] }>('/clusters');
      expect(clusters.items).toEqual([
        expect.objectContaining({
          name: 'dev',
          healthy: true,
          secretCount: 8,
          operator: expect.objectContaining({
            pollingIntervalSeconds: 60,
            autoRestart: false,
            connectServer: 'main',
            watchNamespaces: ['payments', 'identity', 'storefront'],
          }),
        }),
      ]);
      const servers = await get<{ items: any[] }>('/servers');
      expect(servers.items).toEqual([
        expect.objectContaining({
          name: 'main',
          healthy: true,
          vaultCount: 3,
          error: null,
        }),
      ]);
    });

    it('serves an entity its Secrets, an empty list, or 404', async () => {
      const body = await get<EntitySecretsResponse>(
        '/entities/default/component/identity-service/secrets',
      );
      expect(body.entityRef).toBe('component:default/identity-service');
      expect(body.items.map(r => [r.secretName, r.status]).sort()).toEqual([
        ['identity-db', 'in-sync'],
        ['signing-key', 'item-not-found'],
      ]);
      expect(body.summary.total).toBe(2);
      expect(body.asOf).not.toBeNull();
      expect(
        (
          await get<EntitySecretsResponse>(
            '/entities/default/component/no-secrets/secrets',
          )
        ).items,
      ).toEqual([]);
      const missing = await request(server).get(
        '/api/onepassword/entities/default/component/nope/secrets',
      );
      expect(missing.status).toBe(404);
    });

    it('shows an item update as pending, then in-sync once the operator polls', async () => {
      const connect = sandbox.connectServer('main');
      connect.store.updateItem('payments', 'payments-db', {
        fields: { password: 'pw-CANARY-2' },
      });
      await refresh();
      const pending = await record('payments', 'payments-db');
      expect(pending).toMatchObject({
        status: 'pending',
        itemVersion: 3,
        secretVersion: 2,
      });
      expect(pending.nextPollBy).not.toBeNull();

      await sandbox.cluster('dev').operator.pollNow();
      await refresh();
      expect(await record('payments', 'payments-db')).toMatchObject({
        status: 'in-sync',
        itemVersion: 3,
        secretVersion: 3,
      });
    });

    it('shows a revoked operator token as stale, and recovers', async () => {
      const connect = sandbox.connectServer('main');
      connect.tokens.revoke('operator');
      connect.store.updateItem('payments', 'orders-key', {
        fields: { password: 'orders-CANARY-2' },
        updatedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
      });
      await sandbox.cluster('dev').operator.pollNow();
      await refresh();
      const stale = await record('payments', 'orders-key');
      expect(stale.status).toBe('stale');
      expect(stale.hint).toMatch(/fails silently/);

      connect.tokens.restore('operator');
      await sandbox.cluster('dev').operator.pollNow();
      await refresh();
      expect((await record('payments', 'orders-key')).status).toBe('in-sync');
    });

    it('turns access-denied, item-not-found and error green when their cause is fixed', async () => {
      const connect = sandbox.connectServer('main');
      connect.tokens.setVaults('backstage', '*');
      connect.store.addItem('identity', {
        title: 'signing-key-v2',
        category: 'PASSWORD',
        fields: [{ label: 'password', value: 'sk-CANARY' }],
      });
      connect.tokens.setVaults('operator', '*');
      await sandbox.cluster('dev').operator.reconcileNow();
      await refresh();
      expect((await record('payments', 'ledger-db')).status).toBe('in-sync');
      expect((await record('identity', 'signing-key')).status).toBe('in-sync');
      expect((await record('storefront', 'checkout-key')).status).toBe(
        'in-sync',
      );
    });

    it('shows a deleted item as item-not-found', async () => {
      sandbox.connectServer('main').store.removeItem('identity', 'identity-db');
      await refresh();
      const gone = await record('identity', 'identity-db');
      expect(gone.status).toBe('item-not-found');
      expect(gone.hint).toMatch(/deleted/);
    });

    it('keeps the last known state as unknown while a cluster or server is unreachable', async () => {
      const dev = sandbox.cluster('dev');
      dev.faults.setDown(true);
      await refresh();
      const unknown = await record('payments', 'payments-db');
      expect(unknown).toMatchObject({
        status: 'unknown',
        itemVersion: 3,
        secretVersion: 3,
      });
      expect(unknown.message).toMatch(/Cluster 'dev' could not be reached/);
      expect((await get<{ items: any[] }>('/clusters')).items[0]).toMatchObject(
        { healthy: false },
      );
      dev.faults.setDown(false);
      await refresh();
      expect((await record('payments', 'payments-db')).status).toBe('in-sync');

      const connect = sandbox.connectServer('main');
      connect.faults.set({ error500: true });
      await refresh();
      expect((await record('payments', 'payments-db')).status).toBe('unknown');
      expect((await get<{ items: any[] }>('/servers')).items[0]).toMatchObject({
        healthy: false,
      });
      connect.faults.clear();
      await refresh();
      expect((await record('payments', 'payments-db')).status).toBe('in-sync');

      const history = await knex('onepassword_status_transitions')
        .where('record_key', 'dev/payments/payments-db')
        .orderBy('id');
      expect(history.map(t => t.to_status)).toEqual([
        'in-sync',
        'pending',
        'in-sync',
        'unknown',
        'in-sync',
        'unknown',
        'in-sync',
      ]);
    });

    it('makes one Connect request per server (plus health) when nothing changed', async () => {
      await refresh();
      const connect = sandbox.connectServer('main');
      connect.resetStats();
      await refresh();
      const stats = connect.stats();
      const paths = Object.keys(stats.byPath).sort();
      expect(paths).toEqual([
        'GET /health',
        expect.stringMatching(/^GET \/v1\/vaults\/?$/),
      ]);
      expect(stats.total).toBe(2);
    });

    it('never returns, logs or stores a field value or Secret data', async () => {
      const csv = await request(server).get(
        '/api/onepassword/audit?format=csv',
      );
      expect(csv.status).toBe(200);
      expect(csv.text.split('\r\n')[0]).toMatch(
        /^cluster,namespace,secretName/,
      );
      bodies.push(csv.text);
      bodies.push((await request(server).get('/api/onepassword/vaults')).text);

      const tables = [
        'onepassword_secret_records',
        'onepassword_status_transitions',
        'onepassword_connect_servers',
        'onepassword_clusters',
        'onepassword_vaults',
        'onepassword_meta',
      ];
      const dump = JSON.stringify(
        await Promise.all(tables.map(t => knex(t).select('*'))),
      );
      expect(dump).toContain('payments-db');
      expect(dump).not.toMatch(/CANARY/i);
      expect(bodies.length).toBeGreaterThan(10);
      expect(bodies.join('\n')).not.toMatch(/CANARY/i);
      expect(logLines.length).toBeGreaterThan(0);
      expect(logLines.join('\n')).not.toMatch(/CANARY|test-backstage/i);
      // The Kubernetes plugin's proxy audit (with mock auth) names the cluster
      // token it forwarded; our own lines must never carry a token.
      const ours = logLines.filter(line =>
        line.includes('"plugin":"onepassword"'),
      );
      expect(ours.length).toBeGreaterThan(0);
      expect(ours.join('\n')).not.toMatch(/test-k8s-/);
    });
  },
);
