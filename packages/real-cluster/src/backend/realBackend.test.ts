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
  SecretSyncRecord,
} from '@secret-sync/backstage-plugin-onepassword-common';
import type { Sandbox, Scenario } from '@internal/sandbox';
import { TestDatabases } from '@backstage/backend-test-utils';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
// The plugin's own test wiring (the onepassword and kubernetes backend
// plugins in startTestBackend), so this suite differs from its sandbox suite
// only in the world behind the proxy. The package exports no test utilities.
// eslint-disable-next-line @backstage/no-forbidden-package-imports, @backstage/no-mixed-plugin-imports
import {
  requireVmModules,
  SandboxBackend,
  startSandboxBackend,
} from '@secret-sync/backstage-plugin-onepassword-backend/src/__testUtils__/testBackend';
import { requireRealBinaries, REAL_CLUSTER_PACKAGE_DIR } from '../binaries';
import { waitFor } from '../KubeHttp';
import { RealCluster } from '../RealCluster';
import { RealWorld, startRealWorld } from '../realWorld';

jest.setTimeout(240_000);

const POLLING_INTERVAL = 3;
// SQLite only: the plugin's own suites cover PostgreSQL; this one is about the cluster side.
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const kid = (id: string) => ({ 'backstage.io/kubernetes-id': id });

/** The situations of the plugin's sandbox suite, on one real cluster. Values contain CANARY. */
const scenario: Scenario = {
  name: 'real-backend',
  connect: [
    {
      name: 'main',
      port: 0,
      tokens: [
        {
          name: 'backstage',
          token: 'real-backstage',
          vaults: ['payments', 'storefront', 'identity'],
        },
        {
          name: 'operator',
          token: 'real-operator',
          vaults: ['payments', 'identity', 'restricted'],
        },
        { name: 'admin', token: 'real-admin', vaults: '*', write: true },
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
              fields: [{ label: 'password', value: 'co-CANARY' }],
            },
          ],
        },
        {
          name: 'identity',
          items: [
            {
              title: 'identity-db',
              category: 'PASSWORD',
              fields: [{ label: 'password', value: 'id-CANARY' }],
            },
          ],
        },
        {
          name: 'restricted',
          items: [
            {
              title: 'ledger-db',
              category: 'PASSWORD',
              fields: [{ label: 'password', value: 'ledger-CANARY' }],
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
      tokens: ['real-k8s-admin'],
      operator: {
        connectServer: 'main',
        connectToken: 'operator',
        pollingIntervalSeconds: POLLING_INTERVAL,
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
          ],
          deployments: [
            {
              name: 'payments-api',
              labels: kid('payments-api'),
              secretRefs: ['payments-db'],
            },
            {
              name: 'orders-worker',
              labels: kid('orders-worker'),
              annotations: {
                'operator.1password.io/item-path':
                  'vaults/payments/items/orders-archive',
                'operator.1password.io/item-name': 'orders-archive',
              },
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

const component = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations: kid(name) },
  spec: { type: 'service', lifecycle: 'production', owner: `team-${name}` },
});

const entities = [
  'payments-api',
  'orders-worker',
  'ledger-service',
  'identity-service',
  'checkout-web',
  'search-indexer',
].map(component);

/** The README's ClusterRole, read from the README itself so the README is what is tested. */
function readmeClusterRole(): any {
  const readme = readFileSync(
    resolve(
      REAL_CLUSTER_PACKAGE_DIR,
      '../../plugins/onepassword-backend/README.md',
    ),
    'utf8',
  );
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map(
    match => match[1],
  );
  const role = blocks
    .flatMap(block => parseAllDocuments(block).map(doc => doc.toJS()))
    .find(object => object?.kind === 'ClusterRole');
  if (!role) throw new Error('No ClusterRole in the backend README');
  return role;
}

const WATCHED = ['payments', 'identity', 'storefront', 'search'];

describe('onepassword backend against a real API server and the real operator', () => {
  let dir: string;
  let world: RealWorld;
  let dev: RealCluster;
  let noCrd: RealCluster;
  let backend: SandboxBackend;
  const tokens: Record<string, string> = {};
  const logLines: string[] = [];
  const bodies: string[] = [];

  async function get<T>(path: string): Promise<T> {
    const response = await request(backend.server).get(
      `/api/onepassword${path}`,
    );
    bodies.push(response.text);
    expect(response.status).toBe(200);
    return response.body as T;
  }

  async function records(cluster = 'dev'): Promise<SecretSyncRecord[]> {
    const audit = await get<AuditResponse>('/audit?limit=500');
    return audit.items.filter(r => r.cluster === cluster);
  }

  async function record(ns: string, name: string): Promise<SecretSyncRecord> {
    const found = (await records()).find(
      r => r.namespace === ns && r.secretName === name,
    );
    if (!found) throw new Error(`no record dev/${ns}/${name}`);
    return found;
  }

  /** Refreshes until `ns/name` shows `status` (the operator acts on its own schedule). */
  async function refreshUntil(ns: string, name: string, status: string) {
    return waitFor(
      `${ns}/${name} to be ${status}`,
      async () => {
        await backend.refresh();
        const found = await record(ns, name);
        return found.status === status ? found : undefined;
      },
      { timeoutMs: 4 * POLLING_INTERVAL * 1000 + 10_000, intervalMs: 500 },
    );
  }

  beforeAll(async () => {
    requireVmModules();
    const binaries = requireRealBinaries();
    dir = mkdtempSync(join(tmpdir(), 'real-backend-'));
    world = await startRealWorld(scenario, {
      anyPorts: true,
      stateDir: dir,
      workDir: join(dir, 'clusters'),
      binaries,
    });
    dev = world.cluster('dev').cluster;

    // The README's ClusterRole, bound cluster-wide to one service account and
    // per watched namespace (RoleBindings) to another.
    const role = readmeClusterRole();
    await dev.create(role);
    await dev.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'backstage' },
    });
    tokens.dev = await dev.serviceAccountToken('backstage', 'backstage');
    await dev.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: role.metadata.name },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: role.metadata.name,
      },
      subjects: [
        { kind: 'ServiceAccount', name: 'backstage', namespace: 'backstage' },
      ],
    });
    tokens['dev-scoped'] = await dev.serviceAccountToken(
      'backstage',
      'backstage-scoped',
    );
    for (const namespace of WATCHED) {
      await dev.create({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'backstage-onepassword-read', namespace },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: role.metadata.name,
        },
        subjects: [
          {
            kind: 'ServiceAccount',
            name: 'backstage-scoped',
            namespace: 'backstage',
          },
        ],
      });
    }

    // A second API server where the operator was never installed.
    noCrd = await RealCluster.start({
      name: 'no-crd',
      workDir: join(dir, 'no-crd'),
      installCrd: false,
      binaries,
      ca: dev.ca,
    });
    await noCrd.create(role);
    tokens['no-crd'] = await noCrd.serviceAccountToken('default', 'backstage');
    await noCrd.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: role.metadata.name },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: role.metadata.name,
      },
      subjects: [
        { kind: 'ServiceAccount', name: 'backstage', namespace: 'default' },
      ],
    });

    // The plugin's test wiring reads clusters and Connect servers from a sandbox.
    const clusters = [
      { name: 'dev', url: dev.url, caData: dev.caData },
      { name: 'dev-scoped', url: dev.url, caData: dev.caData },
      { name: 'no-crd', url: noCrd.url, caData: noCrd.caData },
    ];
    const wiring = {
      clusters,
      connectServer: (name: string) => world.connect.connectServer(name),
    } as unknown as Sandbox;
    backend = await startSandboxBackend({
      sandbox: wiring,
      connectTokens: { main: 'real-backstage' },
      clusterToken: name => tokens[name],
      entities,
      knex: await databases.init('SQLITE_3'),
      logLines,
    });
    // The real operator's start-up reconciles land on its own schedule.
    await waitFor(
      'the operator to reconcile every watched OnePasswordItem',
      async () => {
        const items = await dev.api.expectOk({
          path: '/apis/onepassword.com/v1/onepassworditems',
        });
        const watched = items.items.filter(
          (item: any) => item.metadata.namespace !== 'search',
        );
        return watched.every((item: any) => item.status?.conditions?.length)
          ? true
          : undefined;
      },
      { timeoutMs: 60_000 },
    );
    await backend.refresh();
  });

  afterAll(async () => {
    await backend?.stop();
    await noCrd?.stop();
    await world?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('evaluates every situation from what the real operator wrote', async () => {
    const statuses = Object.fromEntries(
      (await records()).map(r => [`${r.namespace}/${r.secretName}`, r.status]),
    );
    expect(statuses).toEqual({
      'payments/payments-db': 'in-sync',
      'payments/orders-key': 'in-sync',
      'payments/ledger-db': 'access-denied',
      'payments/orders-archive': 'error',
      'identity/signing-key': 'item-not-found',
      'identity/identity-db': 'in-sync',
      'storefront/checkout-key': 'error',
      'search/search-key': 'missing',
    });
    const payments = await record('payments', 'payments-db');
    expect(payments).toMatchObject({
      entityRef: 'component:default/payments-api',
      itemVersion: 2,
      secretVersion: 2,
      pollingIntervalSeconds: POLLING_INTERVAL,
      autoRestart: { enabled: true, source: 'namespace' },
    });
    // The real operator's own error texts reach the user.
    expect((await record('storefront', 'checkout-key')).message).toMatch(
      /failed to retrieve item/,
    );
    expect((await record('payments', 'orders-archive')).message).toMatch(
      /ReconcileError: Failed to sync secret from 1Password/,
    );
    expect((await record('search', 'search-key')).hint).toContain(
      "Add 'search' to the operator's WATCH_NAMESPACE",
    );
  });

  it('shows an edit as pending while the operator is down, then in-sync once it runs and polls', async () => {
    const real = world.cluster('dev');
    await real.stopOperator();
    world.connect
      .connectServer('main')
      .store.updateItem('payments', 'payments-db', {
        fields: { password: 'pw-CANARY-2' },
      });
    await backend.refresh();
    expect(await record('payments', 'payments-db')).toMatchObject({
      status: 'pending',
      itemVersion: 3,
      secretVersion: 2,
    });
    await real.restartOperator();
    expect(
      await refreshUntil('payments', 'payments-db', 'in-sync'),
    ).toMatchObject({ itemVersion: 3, secretVersion: 3 });
  });

  it('shows a revoked operator token as stale, and recovers', async () => {
    const connect = world.connect.connectServer('main');
    connect.tokens.revoke('operator');
    try {
      connect.store.updateItem('payments', 'orders-key', {
        fields: { password: 'orders-CANARY-2' },
        updatedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
      });
      const stale = await refreshUntil('payments', 'orders-key', 'stale');
      expect(stale.hint).toMatch(/fails silently/);
    } finally {
      connect.tokens.restore('operator');
    }
    await refreshUntil('payments', 'orders-key', 'in-sync');
  });

  it('keeps the last known state as unknown while Connect fails', async () => {
    const connect = world.connect.connectServer('main');
    connect.faults.set({ error500: true });
    try {
      await backend.refresh();
      expect((await record('identity', 'identity-db')).status).toBe('unknown');
    } finally {
      connect.faults.clear();
    }
    await backend.refresh();
    expect((await record('identity', 'identity-db')).status).toBe('in-sync');
  });

  it('shows a deleted item as item-not-found', async () => {
    world.connect
      .connectServer('main')
      .store.removeItem('identity', 'identity-db');
    await backend.refresh();
    expect((await record('identity', 'identity-db')).status).toBe(
      'item-not-found',
    );
  });

  it('reads with the README ClusterRole; namespace-scoped RBAC and a cluster without the CRD are reported per cluster', async () => {
    // What the real server answers each service account.
    const scoped = dev.api.withToken(tokens['dev-scoped']);
    expect((await scoped.request({ path: '/api/v1/secrets' })).status).toBe(
      403,
    );
    expect(
      (await scoped.request({ path: '/api/v1/namespaces/payments/secrets' }))
        .status,
    ).toBe(200);
    const noCrdApi = noCrd.api.withToken(tokens['no-crd']);
    expect(
      (
        await noCrdApi.request({
          path: '/apis/onepassword.com/v1/onepassworditems',
        })
      ).status,
    ).toBe(404);

    const clusters = await get<{ items: any[] }>('/clusters');
    const byName = Object.fromEntries(
      clusters.items.map(cluster => [cluster.name, cluster]),
    );
    expect(byName.dev).toMatchObject({ healthy: true });
    // Each kind is read on its own: a namespace-scoped token leaves the
    // cluster readable and names each kind it may not list cluster-wide.
    expect(byName['dev-scoped']).toMatchObject({ healthy: true, error: null });
    expect(byName['dev-scoped'].readProblems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          status: 403,
          message: expect.stringMatching(/list and watch on "secrets"/),
        }),
      ]),
    );
    // A cluster without the CRD says the operator is not installed.
    expect(byName['no-crd'].readProblems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          status: 404,
          message: expect.stringMatching(/operator is not installed/),
        }),
      ]),
    );
    expect(await records('no-crd')).toEqual([]);
  });

  it('keeps the last known state as unknown while the API server is unreachable', async () => {
    await dev.apiserver.stop();
    await backend.refresh();
    const unknown = await record('payments', 'payments-db');
    expect(unknown.status).toBe('unknown');
    expect(unknown.message).toMatch(/Cluster 'dev' could not be reached/);
  });

  it('never returns or logs a field value', async () => {
    expect(bodies.length).toBeGreaterThan(5);
    expect(bodies.join('\n')).not.toMatch(/CANARY/i);
    expect(logLines.join('\n')).not.toMatch(/CANARY|real-backstage/i);
  });
});
