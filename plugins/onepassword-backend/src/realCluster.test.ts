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
  AuditRecord,
  AuditResponse,
  ClustersResponse,
  ServersResponse,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { Sandbox, Scenario, startSandbox } from '@internal/sandbox';
import { mkdtempSync, rmSync } from 'fs';
import { Knex } from 'knex';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import { createTestDatabases } from './__testUtils__/databases';
import {
  requireVmModules,
  SandboxBackend,
  startSandboxBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const { databases, supportedIds } = createTestDatabases();

const OPERATOR_NS = 'onepassword';
const OPERATOR = 'onepassword-connect-operator';
const ITEM_VERSION = 'operator.1password.io/item-version';

/**
 * Clusters as real ones are: one reads everything, one only per namespace
 * (Roles), one has no OnePasswordItem CRD and may not list events.
 */
const scenario: Scenario = {
  name: 'onepassword-backend-real-cluster-test',
  connect: [
    {
      name: 'main',
      port: 0,
      tokens: [
        {
          name: 'backstage',
          token: 'rc-backstage',
          vaults: ['payments', 'storefront'],
        },
        { name: 'operator', token: 'rc-operator', vaults: '*' },
        { name: 'admin', token: 'rc-admin', vaults: '*', write: true },
      ],
      vaults: [
        {
          name: 'payments',
          items: [
            {
              title: 'payments-db',
              category: 'PASSWORD',
              fields: [{ label: 'password', value: 'pay-CANARY' }],
            },
            {
              title: 'orders-key',
              category: 'PASSWORD',
              fields: [{ label: 'password', value: 'orders-CANARY' }],
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
      ],
    },
  ],
  clusters: [
    {
      name: 'dev',
      port: 0,
      tokens: ['rc-dev-admin', 'rc-dev-reader'],
      operator: {
        connectServer: 'main',
        connectToken: 'operator',
        pollingIntervalSeconds: 60,
        watchNamespaces: ['payments'],
      },
      namespaces: [
        {
          name: 'payments',
          onePasswordItems: [
            {
              name: 'payments-db',
              itemPath: 'vaults/payments/items/payments-db',
            },
          ],
          deployments: [
            {
              name: 'notifier',
              annotations: {
                'operator.1password.io/item-path':
                  'vaults/payments/items/orders-key',
                'operator.1password.io/item-name': 'notifier-key',
              },
            },
          ],
        },
        {
          name: 'storefront',
          onePasswordItems: [
            {
              name: 'checkout-key',
              itemPath: 'vaults/storefront/items/checkout-key',
            },
          ],
        },
      ],
    },
    {
      name: 'restricted',
      port: 0,
      tokens: ['rc-restricted-admin', 'rc-restricted-role'],
      rbac: {
        'rc-restricted-role': { namespaces: ['payments', OPERATOR_NS] },
      },
      operator: {
        connectServer: 'main',
        connectToken: 'operator',
        watchNamespaces: ['payments'],
      },
      namespaces: [
        {
          name: 'payments',
          onePasswordItems: [
            {
              name: 'payments-db',
              itemPath: 'vaults/payments/items/payments-db',
            },
          ],
        },
      ],
    },
    {
      name: 'userauth',
      port: 0,
      tokens: ['rc-userauth-admin'],
      operator: { connectServer: 'main', connectToken: 'operator' },
      namespaces: [],
    },
    {
      name: 'bare',
      port: 0,
      tokens: ['rc-bare-admin', 'rc-bare-reader'],
      rbac: { 'rc-bare-reader': { deny: ['events', 'secrets'] } },
      crdInstalled: false,
      operator: { connectServer: 'main', connectToken: 'operator' },
      namespaces: [
        {
          name: 'platform',
          deployments: [
            {
              name: 'mailer',
              annotations: {
                'operator.1password.io/item-path':
                  'vaults/payments/items/orders-key',
                'operator.1password.io/item-name': 'mailer-key',
              },
            },
          ],
        },
      ],
    },
  ],
};

const CLUSTER_TOKENS: Record<string, string> = {
  dev: 'rc-dev-reader',
  restricted: 'rc-restricted-role',
  bare: 'rc-bare-reader',
  userauth: 'rc-userauth-admin',
};

describe.each(supportedIds)(
  'onepassword backend on real-world clusters (%s)',
  databaseId => {
    let sandbox: Sandbox;
    let stateDir: string;
    let knex: Knex;
    let backend: SandboxBackend;

    async function get<T>(path: string): Promise<T> {
      const response = await request(backend.server).get(
        `/api/onepassword${path}`,
      );
      expect(response.status).toBe(200);
      return response.body as T;
    }

    async function record(
      cluster: string,
      namespace: string,
      name: string,
    ): Promise<AuditRecord> {
      const audit = await get<AuditResponse>('/audit?limit=500');
      const found = audit.items.find(
        r =>
          r.cluster === cluster &&
          r.namespace === namespace &&
          r.secretName === name,
      );
      if (!found) {
        throw new Error(
          `no record ${cluster}/${namespace}/${name} in ${audit.items
            .map(r => `${r.cluster}/${r.namespace}/${r.secretName}`)
            .join(', ')}`,
        );
      }
      return found;
    }

    async function clusterHealth(name: string) {
      const clusters = await get<ClustersResponse>('/clusters');
      return clusters.items.find(c => c.name === name)!;
    }

    const dev = () => sandbox.cluster('dev');
    const connect = () => sandbox.connectServer('main');

    /** Edits the dev operator's env as `kubectl edit` would; its pod restarts. */
    async function setOperatorEnv(name: string, value: string) {
      const deployment = dev().api.require(
        'deployments.apps',
        OPERATOR_NS,
        OPERATOR,
      );
      const container = deployment.spec.template.spec.containers[0];
      container.env = container.env.map((variable: any) =>
        variable.name === name ? { ...variable, value } : variable,
      );
      dev().api.replace('deployments.apps', deployment, {
        manager: 'kubectl-edit',
      });
      await dev().operator.idle();
    }

    /**
     * Installs another operator Deployment in the dev cluster, as a second
     * Helm release would; the simulator does not run it.
     */
    function addOperator(
      name: string,
      replicas: number,
      env: Array<Record<string, unknown>>,
    ) {
      const main = dev().api.require('deployments.apps', OPERATOR_NS, OPERATOR);
      dev().api.create(
        'deployments.apps',
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name, namespace: OPERATOR_NS },
          spec: {
            replicas,
            selector: { matchLabels: { name } },
            template: {
              metadata: { labels: { name } },
              spec: {
                containers: [
                  {
                    name,
                    image: main.spec.template.spec.containers[0].image,
                    env,
                  },
                ],
              },
            },
          },
        },
        { manager: 'helm' },
      );
    }

    beforeAll(async () => {
      requireVmModules();
      stateDir = mkdtempSync(join(tmpdir(), 'onepassword-real-cluster-'));
      sandbox = await startSandbox(scenario, { anyPorts: true, stateDir });
      knex = await databases.init(databaseId);
      backend = await startSandboxBackend({
        sandbox,
        connectTokens: { main: 'rc-backstage' },
        clusterToken: name => CLUSTER_TOKENS[name],
        authProvider: name =>
          name === 'userauth' ? 'google' : 'serviceAccount',
        entities: [],
        knex,
        logLines: [],
        onePasswordConfig: {
          clusters: {
            restricted: { namespaces: ['payments', OPERATOR_NS] },
          },
        },
      });
      await backend.refresh();
    });

    afterAll(async () => {
      await backend?.stop();
      await sandbox?.stop();
      rmSync(stateDir, { recursive: true, force: true });
    });

    it('reads each kind on its own: a missing CRD and a forbidden kind are named, the rest still counts', async () => {
      const bare = await clusterHealth('bare');
      expect(bare.healthy).toBe(true);
      expect(bare.readProblems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: 'onepassworditems.onepassword.com',
            status: 404,
            message: expect.stringMatching(/operator is not installed/),
          }),
          expect.objectContaining({
            kind: 'events',
            status: 403,
            message: expect.stringMatching(
              /list and watch on "events" in the core API group/,
            ),
          }),
        ]),
      );
      expect(bare.readProblems).toContainEqual(
        expect.objectContaining({ kind: 'secrets', status: 403 }),
      );
      // The Deployment still counts; without Secrets it is unknown, never a
      // false missing.
      const mailer = await record('bare', 'platform', 'mailer-key');
      expect(mailer.status).toBe('unknown');
      expect(mailer.message).toMatch(/list and watch on "secrets"/);
    });

    it('shows a cluster whose auth provider needs a user token as not readable by a background refresh', async () => {
      const userauth = await clusterHealth('userauth');
      expect(userauth.healthy).toBe(false);
      expect(userauth.error).toMatch(
        /'google' auth provider, which needs a signed-in user's token/,
      );
    });

    it('reads namespace by namespace where cluster-wide lists are forbidden', async () => {
      const restricted = await clusterHealth('restricted');
      expect(restricted.healthy).toBe(true);
      expect(restricted.operator).toMatchObject({
        watchNamespaces: ['payments'],
        available: true,
      });
      expect(
        (await record('restricted', 'payments', 'payments-db')).status,
      ).toBe('in-sync');
    });

    it('matches each record to the operator that watches its namespace, and a scaled-down one makes its records error', async () => {
      expect((await record('dev', 'storefront', 'checkout-key')).status).toBe(
        'missing',
      );
      const container = dev().api.require(
        'deployments.apps',
        OPERATOR_NS,
        OPERATOR,
      ).spec.template.spec.containers[0];
      addOperator(
        'storefront-operator',
        0,
        container.env.map((variable: any) =>
          variable.name === 'WATCH_NAMESPACE'
            ? { ...variable, value: 'storefront' }
            : variable,
        ),
      );
      await backend.refresh();

      const checkout = await record('dev', 'storefront', 'checkout-key');
      expect(checkout.status).toBe('error');
      expect(checkout.message).toMatch(/scaled to 0/);
      expect((await record('dev', 'payments', 'payments-db')).status).toBe(
        'in-sync',
      );
      const health = await clusterHealth('dev');
      expect(health.operators).toHaveLength(2);
      expect(
        health.operators!.find(o => o.deploymentName === 'storefront-operator'),
      ).toMatchObject({
        available: false,
        reason: expect.stringMatching(/replicas: 0/),
        watchNamespaces: ['storefront'],
      });

      dev().api.delete('deployments.apps', OPERATOR_NS, 'storefront-operator', {
        manager: 'helm',
      });
      await backend.refresh();
      expect((await record('dev', 'storefront', 'checkout-key')).status).toBe(
        'missing',
      );
    });

    it('never shows a false item-not-found for a service-account operator Backstage cannot see through', async () => {
      addOperator('sa-operator', 1, [
        { name: 'WATCH_NAMESPACE', value: 'storefront' },
        {
          name: 'OP_SERVICE_ACCOUNT_TOKEN',
          valueFrom: { secretKeyRef: { name: 'sa-token', key: 'token' } },
        },
      ]);
      dev().api.create(
        'onepassworditems.onepassword.com',
        {
          apiVersion: 'onepassword.com/v1',
          kind: 'OnePasswordItem',
          metadata: { name: 'sa-only', namespace: 'storefront' },
          spec: { itemPath: 'vaults/service-account-vault/items/key' },
        },
        { manager: 'kubectl' },
      );
      await backend.refresh();
      const record_ = await record('dev', 'storefront', 'sa-only');
      expect(record_.status).toBe('unknown');
      expect(record_.message).toMatch(/service account/);
      expect(
        (await clusterHealth('dev')).operators!.find(
          o => o.deploymentName === 'sa-operator',
        ),
      ).toMatchObject({ authMethod: 'service-account', connectServer: null });

      dev().api.delete(
        'onepassworditems.onepassword.com',
        'storefront',
        'sa-only',
        { manager: 'kubectl' },
      );
      dev().api.delete('deployments.apps', OPERATOR_NS, 'sa-operator', {
        manager: 'helm',
      });
      await dev().operator.idle();
      await backend.refresh();
    });

    it('shows a crash-looping operator as error on every record it serves, with the settings it exits on', async () => {
      await setOperatorEnv('POLLING_INTERVAL', '0');
      await backend.refresh();
      const db = await record('dev', 'payments', 'payments-db');
      expect(db.status).toBe('error');
      expect(db.message).toMatch(/crash-looping/);
      expect(db.message).toMatch(/CrashLoopBackOff/);
      expect(db.hint).toMatch(/POLLING_INTERVAL/);
      expect((await clusterHealth('dev')).operator).toMatchObject({
        available: false,
        reason: expect.stringMatching(/CrashLoopBackOff/),
      });

      await setOperatorEnv('POLLING_INTERVAL', '60');
      await backend.refresh();
      expect((await record('dev', 'payments', 'payments-db')).status).toBe(
        'in-sync',
      );
      expect((await clusterHealth('dev')).operator?.available).toBe(true);
    });

    it('treats a ReconcileError event as history once it stops repeating and the Secret is current', async () => {
      const hourAgo = new Date(Date.now() - 3600_000);
      const halfHourAgo = new Date(Date.now() - 1800_000);
      // The Secret as the operator wrote it an hour ago.
      const secret = dev().api.require('secrets', 'payments', 'notifier-key');
      dev().api.replace('secrets', secret, { manager: 'manager', at: hourAgo });
      const notifier = dev().api.require(
        'deployments.apps',
        'payments',
        'notifier',
      );
      dev().api.create(
        'events',
        {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: 'notifier.recovered', namespace: 'payments' },
          involvedObject: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'notifier',
            namespace: 'payments',
            uid: notifier.metadata.uid,
          },
          reason: 'ReconcileError',
          message:
            'Failed to sync secret from 1Password: status 500: Something went wrong',
          type: 'Warning',
          count: 4,
          firstTimestamp: new Date(Date.now() - 3000_000).toISOString(),
          lastTimestamp: halfHourAgo.toISOString(),
          source: { component: 'onepassword-operator-deployment' },
        },
        { manager: 'manager', at: halfHourAgo },
      );
      await backend.refresh();
      const recovered = await record('dev', 'payments', 'notifier-key');
      expect(recovered.status).toBe('in-sync');
      expect(recovered.recovered).toBe(true);
      expect(recovered.lastFailedAt).toBe(halfHourAgo.toISOString());
      expect(recovered.lastFailureMessage).toMatch(/Something went wrong/);

      // Repeated just now: current again.
      dev().api.mergePatch(
        'events',
        'payments',
        'notifier.recovered',
        { count: 5, lastTimestamp: new Date().toISOString() },
        { manager: 'manager' },
      );
      await backend.refresh();
      expect((await record('dev', 'payments', 'notifier-key')).status).toBe(
        'error',
      );
      dev().api.delete('events', 'payments', 'notifier.recovered', {
        manager: 'test',
      });
    });

    it('follows a Deployment-sourced Secret by id after its item is renamed, as the poller does', async () => {
      connect().store.updateItem('payments', 'orders-key', {
        title: 'orders-key-renamed',
      });
      await dev().operator.pollNow();
      await backend.refresh();
      const notifier = await record('dev', 'payments', 'notifier-key');
      expect(notifier.status).toBe('in-sync');
      expect(notifier.itemTitle).toBe('orders-key-renamed');
      connect().store.updateItem('payments', 'orders-key-renamed', {
        title: 'orders-key',
      });
      await dev().operator.pollNow();
      await sandbox.cluster('bare').operator.pollNow();
    });

    it('makes a failed item list a fact about that vault, with the status Connect answered', async () => {
      connect().store.updateItem('storefront', 'checkout-key', {
        fields: { password: 'co-CANARY-2' },
      });
      connect().faults.set({ vaultErrors: { storefront: 403 } });
      await backend.refresh();
      const checkout = await record('dev', 'storefront', 'checkout-key');
      expect(checkout.status).toBe('access-denied');
      expect(checkout.message).toContain('(403)');
      expect(checkout.message).not.toContain('401');
      expect((await record('dev', 'payments', 'payments-db')).status).toBe(
        'in-sync',
      );
      const servers = await get<ServersResponse>('/servers');
      expect(servers.items[0].vaultFailures).toEqual([
        expect.objectContaining({ status: 403 }),
      ]);
      connect().faults.clear();
      await backend.refresh();
    });

    it('retries transient Connect errors within the refresh instead of turning records unknown', async () => {
      connect().faults.set({ transientErrors: 2 });
      await backend.refresh();
      expect((await record('dev', 'payments', 'payments-db')).status).toBe(
        'in-sync',
      );
      expect(connect().faults.current.transientErrors).toBe(0);
    });

    it('shows an item listed without a version as unknown, never as version 0', async () => {
      connect().store.updateItem('payments', 'payments-db', {
        fields: { password: 'pay-CANARY-2' },
      });
      connect().faults.set({ omitItemVersions: true });
      await backend.refresh();
      const db = await record('dev', 'payments', 'payments-db');
      expect(db.status).toBe('unknown');
      expect(db.itemVersion).toBeNull();
      expect(db.message).toMatch(/without a version/);
      connect().faults.clear();
      await dev().operator.pollNow();
      // A changed item relists the vault: versions are back.
      connect().store.updateItem('payments', 'payments-db', {
        fields: { password: 'pay-CANARY-3' },
      });
      await dev().operator.pollNow();
      await backend.refresh();
      expect((await record('dev', 'payments', 'payments-db')).status).toBe(
        'in-sync',
      );
    });

    it("says Backstage's Connect view is behind, never stale, and shows the server as lagging", async () => {
      const secret = dev().api.require('secrets', 'payments', 'payments-db');
      const newer = Number(secret.metadata.annotations![ITEM_VERSION]) + 1;
      dev().api.mergePatch(
        'secrets',
        'payments',
        'payments-db',
        { metadata: { annotations: { [ITEM_VERSION]: String(newer) } } },
        { manager: 'manager' },
      );
      await backend.refresh();
      const db = await record('dev', 'payments', 'payments-db');
      expect(db.status).toBe('unknown');
      expect(db.connectBehind).toBe(true);
      let main = (await get<ServersResponse>('/servers')).items[0];
      expect(main.syncState).toBe('lagging');
      expect(main.syncReason).toMatch(/carries item version/);

      await dev().operator.pollNow();
      connect().faults.set({ syncLagging: true });
      await backend.refresh();
      main = (await get<ServersResponse>('/servers')).items[0];
      expect(main.syncState).toBe('lagging');
      expect(main.syncReason).toMatch(/sync is NOT_SYNCED/);
      connect().faults.clear();
    });
  },
);
