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

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectServer } from '../connect/ConnectServer';
import {
  KubernetesCluster,
  loadOrCreateCa,
  startKubernetesCluster,
} from '../kubernetes';
import { KubeObject } from '../kubernetes/types';
import { SandboxLogger } from '../logger';
import { ClusterSpec, ConnectServerSpec } from '../scenario/types';

const OPI = 'onepassworditems.onepassword.com';
const OPERATOR_TOKEN = 'test-operator-token';
const ADMIN_TOKEN = 'test-admin-token';
const IGNORE_TAG = 'operator.1password.io:ignore-secret';

/** Three days ago, at whole seconds (how Kubernetes stores times). */
const SYNCED_AT = new Date(
  Math.floor((Date.now() - 3 * 86400_000) / 1000) * 1000,
)
  .toISOString()
  .replace('.000Z', 'Z');

const connectSpec: ConnectServerSpec = {
  name: 'main',
  port: 0,
  tokens: [
    {
      name: 'operator',
      token: OPERATOR_TOKEN,
      vaults: ['payments', 'platform'],
    },
    { name: 'admin', token: ADMIN_TOKEN, vaults: '*', write: true },
  ],
  vaults: [
    {
      name: 'payments',
      items: [
        {
          title: 'payments-db',
          category: 'LOGIN',
          fields: [
            {
              label: 'username',
              purpose: 'USERNAME',
              value: 'payments-CANARY-user',
            },
            { label: 'password', purpose: 'PASSWORD', value: 'pw-CANARY-1111' },
            { label: 'connection string!', value: 'db-CANARY-url' },
          ],
          urls: [
            { label: 'website', href: 'https://db.example.com', primary: true },
          ],
          files: [{ name: 'ca.crt', content: 'cert-CANARY' }],
        },
        {
          title: 'frozen-key',
          category: 'PASSWORD',
          tags: [IGNORE_TAG],
          fields: [
            {
              label: 'password',
              purpose: 'PASSWORD',
              value: 'frozen-CANARY-1',
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
          version: 4,
          fields: [
            {
              label: 'password',
              purpose: 'PASSWORD',
              value: 'checkout-CANARY-4',
            },
          ],
        },
      ],
    },
    {
      name: 'platform',
      items: [
        {
          title: 'smtp-relay',
          category: 'LOGIN',
          fields: [
            { label: 'password', purpose: 'PASSWORD', value: 'smtp-CANARY-1' },
          ],
        },
      ],
    },
  ],
};

const clusterSpec: ClusterSpec = {
  name: 'dev',
  port: 0,
  tokens: ['dev-admin'],
  operator: {
    connectServer: 'main',
    connectToken: 'operator',
    pollingIntervalSeconds: 600,
    autoRestart: false,
    watchNamespaces: ['payments', 'storefront', 'platform'],
  },
  namespaces: [
    {
      name: 'payments',
      onePasswordItems: [
        {
          name: 'payments-db',
          itemPath: 'vaults/payments/items/payments-db',
          labels: { 'backstage.io/kubernetes-id': 'payments-api' },
        },
        {
          name: 'signing-key',
          itemPath: 'vaults/payments/items/signing-key-v2',
        },
        { name: 'frozen-key', itemPath: 'vaults/payments/items/frozen-key' },
      ],
      deployments: [
        { name: 'payments-api', secretRefs: ['payments-db'] },
        {
          name: 'frozen-user',
          secretRefs: ['frozen-key'],
          annotations: { 'operator.1password.io/auto-restart': 'true' },
        },
      ],
    },
    {
      name: 'storefront',
      onePasswordItems: [
        {
          name: 'checkout-key',
          itemPath: 'vaults/storefront/items/checkout-key',
          syncedSecret: { version: 2, syncedAt: SYNCED_AT },
        },
      ],
    },
    {
      name: 'platform',
      deployments: [
        {
          name: 'notifications',
          annotations: {
            'operator.1password.io/item-path':
              'vaults/platform/items/smtp-relay',
            'operator.1password.io/item-name': 'SMTP Credentials',
          },
        },
        {
          name: 'broken',
          annotations: {
            'operator.1password.io/item-path':
              'vaults/platform/items/smtp-relay-typo',
            'operator.1password.io/item-name': 'broken-credentials',
          },
        },
      ],
    },
    {
      name: 'search',
      onePasswordItems: [
        { name: 'search-key', itemPath: 'vaults/payments/items/payments-db' },
      ],
    },
  ],
};

const decode = (secret: KubeObject) =>
  Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([key, value]) => [
      key,
      Buffer.from(value as string, 'base64').toString('utf8'),
    ]),
  );
const ready = (item: KubeObject | undefined) =>
  item?.status?.conditions?.find(
    (condition: { type: string }) => condition.type === 'Ready',
  );

describe('operator simulator', () => {
  let dir: string;
  let connect: ConnectServer;
  let cluster: KubernetesCluster;
  let logs: string[];

  const logger: SandboxLogger = {
    info: message => logs.push(`info ${message}`),
    warn: message => logs.push(`warn ${message}`),
    error: (message, meta) =>
      logs.push(`error ${message} ${JSON.stringify(meta ?? {})}`),
  };
  const secret = (namespace: string, name: string) =>
    cluster.api.get('secrets', namespace, name);
  const vaultId = (name: string) => connect.store.findVault(name).id;
  const itemId = (vault: string, title: string) =>
    connect.store.findItem(vault, title).id;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sandbox-operator-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    logs = [];
    connect = await ConnectServer.start({ spec: structuredClone(connectSpec) });
    cluster = await startKubernetesCluster({
      spec: structuredClone(clusterSpec),
      ca: loadOrCreateCa(dir),
      connect: {
        url: connect.url,
        token: OPERATOR_TOKEN,
        seedToken: ADMIN_TOKEN,
      },
      logger,
    });
  });

  afterEach(async () => {
    await cluster.stop();
    await connect.stop();
  });

  it('installs itself as the Helm chart does and reads its settings from that Deployment', () => {
    const deployment = cluster.api.require(
      'deployments.apps',
      'onepassword',
      'onepassword-connect-operator',
    );
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe('1password/onepassword-operator:1.12.0');
    expect(container.env).toEqual(
      expect.arrayContaining([
        { name: 'OP_CONNECT_HOST', value: connect.url },
        { name: 'POLLING_INTERVAL', value: '600' },
        { name: 'AUTO_RESTART', value: 'false' },
        { name: 'WATCH_NAMESPACE', value: 'payments,storefront,platform' },
        {
          name: 'OP_CONNECT_TOKEN',
          valueFrom: {
            secretKeyRef: { name: 'onepassword-token', key: 'token' },
          },
        },
      ]),
    );
  });

  it('reconciles a OnePasswordItem into a Secret with data, annotations, labels, owner and Ready=True', () => {
    const item = cluster.api.require(OPI, 'payments', 'payments-db');
    const synced = secret('payments', 'payments-db')!;
    expect(decode(synced)).toEqual({
      username: 'payments-CANARY-user',
      password: 'pw-CANARY-1111',
      'connection-string': 'db-CANARY-url',
      website: 'https://db.example.com',
      'ca.crt': 'cert-CANARY',
    });
    expect(synced.metadata.annotations).toEqual({
      'operator.1password.io/item-path': `vaults/${vaultId(
        'payments',
      )}/items/${itemId('payments', 'payments-db')}`,
      'operator.1password.io/item-version': '1',
    });
    expect(synced.metadata.labels).toEqual({
      'backstage.io/kubernetes-id': 'payments-api',
    });
    expect(synced.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'onepassword.com/v1',
        kind: 'OnePasswordItem',
        name: 'payments-db',
        uid: item.metadata.uid,
      },
    ]);
    expect(synced.metadata.managedFields?.map(entry => entry.manager)).toEqual([
      'manager',
    ]);
    expect(ready(item)).toMatchObject({ status: 'True' });
    expect(ready(item).message).toBeUndefined();
    expect(item.metadata.finalizers).toEqual([
      'onepassword.com/finalizer.secret',
    ]);
  });

  it('reports a missing item as Ready=False with the operator error chain', () => {
    expect(secret('payments', 'signing-key')).toBeUndefined();
    const condition = ready(
      cluster.api.require(OPI, 'payments', 'signing-key'),
    );
    expect(condition.status).toBe('False');
    expect(condition.message).toBe(
      `failed to retrieve item: failed to get item for vaultID='${vaultId(
        'payments',
      )}' and itemNameOrID='signing-key-v2': no items found with identifier "signing-key-v2" in vault "${vaultId(
        'payments',
      )}"`,
    );
  });

  it('retries a failed reconcile with backoff, so a Ready=False item heals once the item exists', async () => {
    connect.store.addItem('payments', {
      title: 'signing-key-v2',
      category: 'PASSWORD',
      fields: [{ label: 'key', value: 'signing-CANARY-2' }],
    });
    for (
      let waited = 0;
      waited < 8000 && !secret('payments', 'signing-key');
      waited += 100
    ) {
      await new Promise(resolve => setTimeout(resolve, 100));
      await cluster.operator.idle();
    }
    expect(decode(secret('payments', 'signing-key')!)).toEqual({
      key: 'signing-CANARY-2',
    });
    expect(
      ready(cluster.api.require(OPI, 'payments', 'signing-key')),
    ).toMatchObject({
      status: 'True',
    });
  });

  it('ignores OnePasswordItems outside WATCH_NAMESPACE', () => {
    expect(secret('search', 'search-key')).toBeUndefined();
    expect(
      cluster.api.require(OPI, 'search', 'search-key').status,
    ).toBeUndefined();
  });

  it('keeps scenario history: the Secret at the old version, synced then, and no reconcile at start', () => {
    const synced = secret('storefront', 'checkout-key')!;
    expect(synced.metadata.annotations).toMatchObject({
      'operator.1password.io/item-version': '2',
      'operator.1password.io/item-path': `vaults/${vaultId(
        'storefront',
      )}/items/${itemId('storefront', 'checkout-key')}`,
    });
    expect(synced.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: 'manager', time: SYNCED_AT }),
    ]);
    expect(
      ready(cluster.api.require(OPI, 'storefront', 'checkout-key')),
    ).toEqual({
      type: 'Ready',
      status: 'True',
      lastTransitionTime: SYNCED_AT,
    });
  });

  it('fails silently on polls: a token without access leaves the Secret behind and Ready=True, with only a log line', async () => {
    await cluster.operator.pollNow();
    const synced = secret('storefront', 'checkout-key')!;
    expect(
      synced.metadata.annotations!['operator.1password.io/item-version'],
    ).toBe('2');
    expect(
      ready(cluster.api.require(OPI, 'storefront', 'checkout-key')).status,
    ).toBe('True');
    expect(logs).toContainEqual(
      expect.stringContaining(
        'failed to retrieve 1Password item at path vaults/storefront/items/checkout-key for secret checkout-key',
      ),
    );
    expect(
      cluster.api.list('events', { namespace: 'storefront' }).items,
    ).toEqual([]);
  });

  it('fails silently when its token is revoked: the Secret stays at the old version', async () => {
    connect.tokens.revoke('operator');
    connect.store.updateItem('payments', 'payments-db', {
      fields: { password: 'pw-CANARY-2222' },
    });
    await cluster.operator.pollNow();
    const synced = secret('payments', 'payments-db')!;
    expect(
      synced.metadata.annotations!['operator.1password.io/item-version'],
    ).toBe('1');
    expect(decode(synced).password).toBe('pw-CANARY-1111');
    expect(
      ready(cluster.api.require(OPI, 'payments', 'payments-db')).status,
    ).toBe('True');
    expect(
      logs.filter(line =>
        line.includes(
          'failed to retrieve 1Password item at path vaults/payments/items/payments-db',
        ),
      ),
    ).toEqual([expect.stringMatching(/^error .*status 401/)]);
    expect(logs.join('\n')).not.toContain('CANARY');
  });

  it('updates a Secret on poll after the item changed, without restarting when auto-restart is off', async () => {
    connect.store.updateItem('payments', 'payments-db', {
      fields: { password: 'pw-CANARY-2222' },
    });
    await cluster.operator.pollNow();
    const synced = secret('payments', 'payments-db')!;
    expect(
      synced.metadata.annotations!['operator.1password.io/item-version'],
    ).toBe('2');
    expect(decode(synced).password).toBe('pw-CANARY-2222');
    const deployment = cluster.api.require(
      'deployments.apps',
      'payments',
      'payments-api',
    );
    expect(deployment.spec.template.metadata.annotations).toBeUndefined();
  });

  it('stamps last-restarted on Deployments using an updated Secret when the namespace asks for auto-restart', async () => {
    cluster.api.mergePatch(
      'namespaces',
      undefined,
      'payments',
      {
        metadata: {
          annotations: { 'operator.1password.io/auto-restart': 'true' },
        },
      },
      { manager: 'test' },
    );
    connect.store.updateItem('payments', 'payments-db', {
      fields: { password: 'pw-CANARY-3333' },
    });
    await cluster.operator.pollNow();
    const deployment = cluster.api.require(
      'deployments.apps',
      'payments',
      'payments-api',
    );
    const stamp =
      deployment.spec.template.metadata.annotations[
        'operator.1password.io/last-restarted'
      ];
    expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(deployment.metadata.generation).toBe(2);
  });

  it('honours the ignore-secret tag: annotations move, data and Deployments stay', async () => {
    connect.store.updateItem('payments', 'frozen-key', {
      fields: { password: 'frozen-CANARY-2' },
    });
    await cluster.operator.pollNow();
    const synced = secret('payments', 'frozen-key')!;
    expect(
      synced.metadata.annotations!['operator.1password.io/item-version'],
    ).toBe('2');
    expect(decode(synced).password).toBe('frozen-CANARY-1');
    const deployment = cluster.api.require(
      'deployments.apps',
      'payments',
      'frozen-user',
    );
    expect(deployment.spec.template.metadata.annotations).toBeUndefined();
  });

  it('follows an OnePasswordItem whose itemPath changed on the next poll and on reconcile', async () => {
    cluster.api.mergePatch(
      OPI,
      'payments',
      'payments-db',
      { spec: { itemPath: 'vaults/payments/items/frozen-key' } },
      { manager: 'kubectl-patch' },
    );
    await cluster.operator.idle();
    const synced = secret('payments', 'payments-db')!;
    expect(
      synced.metadata.annotations!['operator.1password.io/item-path'],
    ).toBe(
      `vaults/${vaultId('payments')}/items/${itemId('payments', 'frozen-key')}`,
    );
    expect(decode(synced)).toEqual({ password: 'frozen-CANARY-1' });
  });

  it('reconciles new OnePasswordItems and deletes the Secret when the item is deleted', async () => {
    cluster.api.create(
      OPI,
      {
        metadata: {
          name: 'smtp',
          namespace: 'platform',
          labels: { team: 'mail' },
        },
        spec: {
          itemPath: `vaults/${vaultId('platform')}/items/${itemId(
            'platform',
            'smtp-relay',
          )}`,
        },
      },
      { manager: 'kubectl-create' },
    );
    await cluster.operator.idle();
    expect(decode(secret('platform', 'smtp')!)).toEqual({
      password: 'smtp-CANARY-1',
    });
    expect(ready(cluster.api.require(OPI, 'platform', 'smtp')).status).toBe(
      'True',
    );

    cluster.api.delete(OPI, 'platform', 'smtp');
    await cluster.operator.idle();
    expect(cluster.api.get(OPI, 'platform', 'smtp')).toBeUndefined();
    expect(secret('platform', 'smtp')).toBeUndefined();
  });

  it('creates Secrets for annotated Deployments and records failures as Warning events', () => {
    const notifications = cluster.api.require(
      'deployments.apps',
      'platform',
      'notifications',
    );
    const synced = secret('platform', 'smtp-credentials')!;
    expect(decode(synced)).toEqual({ password: 'smtp-CANARY-1' });
    expect(synced.metadata.annotations).toEqual({
      'operator.1password.io/item-name': 'SMTP Credentials',
      'operator.1password.io/item-path': `vaults/${vaultId(
        'platform',
      )}/items/${itemId('platform', 'smtp-relay')}`,
      'operator.1password.io/item-version': '1',
    });
    expect(synced.metadata.labels).toBeUndefined();
    expect(synced.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'notifications',
        uid: notifications.metadata.uid,
      },
    ]);

    expect(secret('platform', 'broken-credentials')).toBeUndefined();
    const events = cluster.api.list('events', { namespace: 'platform' }).items;
    expect(events).toEqual([
      expect.objectContaining({
        type: 'Warning',
        reason: 'ReconcileError',
        message: expect.stringMatching(
          /^Failed to sync secret from 1Password: failed to retrieve item: .*no items found with identifier "smtp-relay-typo"/,
        ),
        involvedObject: expect.objectContaining({
          kind: 'Deployment',
          name: 'broken',
        }),
        source: { component: 'onepassword-operator-deployment' },
        reportingComponent: 'onepassword-operator-deployment',
      }),
    ]);
  });

  it('polls on the POLLING_INTERVAL of its Deployment, which a test can change through the API', async () => {
    const deployment = cluster.api.require(
      'deployments.apps',
      'onepassword',
      'onepassword-connect-operator',
    );
    const env = deployment.spec.template.spec.containers[0].env.map(
      (variable: any) =>
        variable.name === 'POLLING_INTERVAL'
          ? { ...variable, value: '1' }
          : variable,
    );
    deployment.spec.template.spec.containers[0].env = env;
    cluster.api.replace('deployments.apps', deployment, {
      manager: 'kubectl-edit',
    });
    await cluster.operator.idle();
    connect.store.updateItem('payments', 'payments-db', {
      fields: { password: 'pw-CANARY-4444' },
    });
    await new Promise(resolve => setTimeout(resolve, 1600));
    await cluster.operator.idle();
    expect(
      secret('payments', 'payments-db')!.metadata.annotations![
        'operator.1password.io/item-version'
      ],
    ).toBe('2');
  });

  it('uses a new Connect token after setConnectToken', async () => {
    await cluster.operator.setConnectToken(ADMIN_TOKEN);
    await cluster.operator.pollNow();
    const synced = secret('storefront', 'checkout-key')!;
    expect(
      synced.metadata.annotations!['operator.1password.io/item-version'],
    ).toBe('4');
    expect(decode(synced)).toEqual({ password: 'checkout-CANARY-4' });
  });

  describe('as the real process, which is down when it is down', () => {
    const OPERATOR_NS = 'onepassword';
    const OPERATOR = 'onepassword-connect-operator';
    const operatorDeployment = () =>
      cluster.api.require('deployments.apps', OPERATOR_NS, OPERATOR);
    const setEnv = async (name: string, value: string) => {
      const deployment = operatorDeployment();
      const container = deployment.spec.template.spec.containers[0];
      container.env = container.env.map((variable: any) =>
        variable.name === name ? { ...variable, value } : variable,
      );
      cluster.api.replace('deployments.apps', deployment, {
        manager: 'kubectl-edit',
      });
      await cluster.operator.idle();
    };
    const scale = async (replicas: number) => {
      cluster.api.mergePatch(
        'deployments.apps',
        OPERATOR_NS,
        OPERATOR,
        { spec: { replicas } },
        { manager: 'kubectl-scale' },
      );
      await cluster.operator.idle();
    };
    const operatorPods = () =>
      cluster.api.list('pods', { namespace: OPERATOR_NS }).items;

    it('shows a running operator in its Deployment status and one ready Pod', () => {
      expect(operatorDeployment().status).toMatchObject({
        replicas: 1,
        availableReplicas: 1,
        conditions: expect.arrayContaining([
          expect.objectContaining({ type: 'Available', status: 'True' }),
        ]),
      });
      expect(operatorPods()).toEqual([
        expect.objectContaining({
          status: expect.objectContaining({
            containerStatuses: [
              expect.objectContaining({ ready: true, restartCount: 0 }),
            ],
          }),
        }),
      ]);
    });

    it('stops when scaled to 0, and reconciles everything when scaled up again', async () => {
      await scale(0);
      expect(operatorPods()).toEqual([]);
      expect(operatorDeployment().status.availableReplicas).toBeUndefined();
      cluster.api.delete('secrets', 'payments', 'payments-db', {
        manager: 'kubectl',
      });
      connect.store.updateItem('platform', 'smtp-relay', {
        fields: { password: 'smtp-CANARY-2' },
      });
      await cluster.operator.pollNow();
      await cluster.operator.reconcileNow();
      expect(secret('payments', 'payments-db')).toBeUndefined();
      expect(
        secret('platform', 'smtp-credentials')!.metadata.annotations![
          'operator.1password.io/item-version'
        ],
      ).toBe('1');

      await scale(1);
      expect(secret('payments', 'payments-db')).toBeDefined();
      expect(
        secret('platform', 'smtp-credentials')!.metadata.annotations![
          'operator.1password.io/item-version'
        ],
      ).toBe('2');
    });

    it.each([
      ['POLLING_INTERVAL', '0', /non-positive interval/, 2],
      ['POLLING_INTERVAL', '-5', /non-positive interval/, 2],
      ['AUTO_RESTART', 'yes', /ParseBool/, 1],
    ])(
      'crash-loops on %s=%s instead of defaulting it',
      async (name, value, message, exitCode) => {
        await setEnv(name, value);
        expect(operatorDeployment().status).toMatchObject({
          unavailableReplicas: 1,
          conditions: expect.arrayContaining([
            expect.objectContaining({
              type: 'Available',
              status: 'False',
              reason: 'MinimumReplicasUnavailable',
            }),
          ]),
        });
        const [pod] = operatorPods();
        const [status] = pod.status.containerStatuses;
        expect(status.state.waiting.reason).toBe('CrashLoopBackOff');
        expect(status.restartCount).toBeGreaterThan(0);
        expect(status.lastState.terminated).toMatchObject({ exitCode });
        expect(status.lastState.terminated.message).toMatch(message);
        // Nothing runs: a deleted Secret is not recreated.
        cluster.api.delete('secrets', 'payments', 'payments-db', {
          manager: 'kubectl',
        });
        await cluster.operator.reconcileNow();
        expect(secret('payments', 'payments-db')).toBeUndefined();
      },
    );

    it('accepts AUTO_RESTART as Go ParseBool after lowercasing', async () => {
      await setEnv('AUTO_RESTART', 'TRUE');
      expect(operatorDeployment().status.availableReplicas).toBe(1);
      await setEnv('AUTO_RESTART', 'tRuE');
      expect(operatorDeployment().status.availableReplicas).toBe(1);
    });

    it('does not watch Secrets: a deleted one stays missing until a resync or restart', async () => {
      cluster.api.delete('secrets', 'payments', 'payments-db', {
        manager: 'kubectl',
      });
      await cluster.operator.idle();
      await cluster.operator.pollNow();
      expect(secret('payments', 'payments-db')).toBeUndefined();
      await cluster.operator.reconcileNow();
      expect(secret('payments', 'payments-db')).toBeDefined();
    });

    it('splits WATCH_NAMESPACE on commas without trimming', async () => {
      await setEnv('WATCH_NAMESPACE', 'payments, storefront');
      cluster.api.delete('secrets', 'storefront', 'checkout-key', {
        manager: 'kubectl',
      });
      cluster.api.delete('secrets', 'payments', 'payments-db', {
        manager: 'kubectl',
      });
      await cluster.operator.reconcileNow();
      expect(secret('payments', 'payments-db')).toBeDefined();
      expect(secret('storefront', 'checkout-key')).toBeUndefined();
    });
  });

  describe('events, which are history', () => {
    const brokenEvents = () =>
      cluster.api
        .list('events', { namespace: 'platform' })
        .items.filter(e => e.involvedObject.name === 'broken');

    it('re-reconciles a Deployment on every update, status included, and merges the repeated event', async () => {
      const before = brokenEvents();
      expect(before).toHaveLength(1);
      const deployment = cluster.api.require(
        'deployments.apps',
        'platform',
        'broken',
      );
      cluster.api.replace(
        'deployments.apps',
        { ...deployment, status: { observedGeneration: 1, replicas: 1 } },
        { manager: 'kube-controller-manager', subresource: 'status' },
      );
      await cluster.operator.idle();
      const after = brokenEvents();
      expect(after).toHaveLength(1);
      expect(after[0].count).toBeGreaterThan(before[0].count);
    });

    it('deletes events after the TTL counted from their last update', () => {
      const [event] = brokenEvents();
      const old = new Date(Date.now() - 2 * 3600_000);
      cluster.api.create(
        'events',
        {
          ...event,
          metadata: { name: 'broken.old', namespace: 'platform' },
          firstTimestamp: old.toISOString(),
          lastTimestamp: old.toISOString(),
        },
        { manager: 'test', at: old },
      );
      expect(brokenEvents()).toHaveLength(2);
      cluster.operator.expireEvents();
      expect(brokenEvents().map(e => e.metadata.name)).toEqual([
        event.metadata.name,
      ]);
    });
  });
});
