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
import {
  loadOrCreateCa,
  Sandbox,
  Scenario,
  startSandbox,
} from '@internal/sandbox';
import { requireRealBinaries } from '../binaries';
import { KubeHttp, waitFor } from '../KubeHttp';
import { ScenarioCluster, startScenarioCluster } from '../scenarioCluster';
import {
  OperatorOutcome,
  outcomeDifferences,
  readOperatorOutcome,
} from './outcome';
import { KNOWN_SIMULATOR_DIFFERENCES } from './knownDifferences';

/** Seconds: short, so that a test of "the next poll" takes seconds. */
const POLLING_INTERVAL = 3;
const POLL_MS = POLLING_INTERVAL * 1000;
/** A bound on waits for one poll to land: two intervals and the time one poll takes. */
const ONE_POLL_MS = 2 * POLL_MS + 5_000;

jest.setTimeout(240_000);

const kid = (id: string) => ({ 'backstage.io/kubernetes-id': id });
const ITEM_PATH = 'operator.1password.io/item-path';
const ITEM_NAME = 'operator.1password.io/item-name';

/** Every situation the plugin must recognise, in one cluster. Field values contain CANARY. */
const scenario: Scenario = {
  name: 'differential',
  connect: [
    {
      name: 'main',
      port: 0,
      tokens: [
        { name: 'operator', token: 'diff-operator', vaults: ['payments'] },
        { name: 'admin', token: 'diff-admin', vaults: '*', write: true },
      ],
      vaults: [
        {
          name: 'payments',
          items: [
            {
              title: 'payments-db',
              category: 'LOGIN',
              version: 2,
              fields: [
                { label: 'username', purpose: 'USERNAME', value: 'app-CANARY' },
                {
                  label: 'password',
                  purpose: 'PASSWORD',
                  value: 'pw-CANARY-1',
                },
                { label: 'notes with spaces', value: 'n-CANARY' },
                { label: 'empty', value: '' },
              ],
              urls: [
                { label: 'website', primary: true, href: 'https://db.example' },
              ],
              files: [{ name: 'ca.pem', content: 'ca-CANARY' }],
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
      name: 'diff',
      port: 0,
      tokens: ['diff-k8s-admin', 'diff-k8s-reader'],
      operator: {
        connectServer: 'main',
        connectToken: 'operator',
        pollingIntervalSeconds: POLLING_INTERVAL,
        autoRestart: false,
        watchNamespaces: ['payments'],
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
              annotations: { team: 'payments' },
            },
            {
              name: 'orders-key',
              itemPath: 'vaults/payments/items/orders-key',
              type: 'Opaque',
            },
            {
              name: 'ledger-db',
              itemPath: 'vaults/restricted/items/ledger-db',
            },
            { name: 'ghost', itemPath: 'vaults/payments/items/ghost' },
          ],
          deployments: [
            {
              name: 'payments-api',
              labels: kid('payments-api'),
              secretRefs: ['payments-db'],
            },
            {
              name: 'orders-worker',
              annotations: {
                [ITEM_PATH]: 'vaults/payments/items/orders-key',
                // Not a DNS subdomain: the operator rewrites it.
                [ITEM_NAME]: 'Orders_Worker_Secret',
              },
            },
            {
              name: 'broken-worker',
              annotations: {
                [ITEM_PATH]: 'vaults/payments/items/ghost',
                [ITEM_NAME]: 'broken-worker-secret',
              },
            },
          ],
        },
        {
          name: 'search',
          onePasswordItems: [
            {
              name: 'search-key',
              itemPath: 'vaults/payments/items/orders-key',
            },
          ],
        },
      ],
    },
  ],
};

const NAMESPACES = ['payments', 'search'];
/** What fails by design in the scenario (their messages follow each side's retries). */
const FAILING = [
  '"payments/ghost"',
  '"payments/ledger-db"',
  '"payments/bad-path"',
  '"payments/Deployment/broken-worker/ReconcileError',
];

describe('the operator simulator against the real onepassword-operator', () => {
  let dir: string;
  let sandbox: Sandbox;
  let real: ScenarioCluster;
  let simulatedApi: KubeHttp;

  const outcomes = async () => ({
    real: await readOperatorOutcome(real.cluster.api, NAMESPACES),
    simulated: await readOperatorOutcome(simulatedApi, NAMESPACES),
  });

  /**
   * Fails on a difference that the README's table does not list. After a
   * fault, failing OnePasswordItems and Deployments keep retrying on each
   * side's own backoff, so their messages are compared only where both have
   * settled (`scope: 'all'`); elsewhere only what the healthy items show.
   */
  const expectNoUnlistedDifferences = (
    step: string,
    both: { real: OperatorOutcome; simulated: OperatorOutcome },
    scope: 'all' | 'healthy' = 'all',
  ) => {
    const unlisted = outcomeDifferences(both.real, both.simulated)
      .filter(
        difference =>
          scope === 'all' ||
          !FAILING.some(failing => difference.path.includes(failing)),
      )
      .filter(
        difference =>
          !KNOWN_SIMULATOR_DIFFERENCES.some(known =>
            known.matches(step, difference.path),
          ),
      );
    expect(unlisted).toEqual([]);
  };

  const secretVersion = async (api: KubeHttp, path: string) =>
    (await api.expectOk({ path })).metadata.annotations?.[
      'operator.1password.io/item-version'
    ];

  /** Waits in both clusters until `check` holds; returns when each saw it, in ms from `since`. */
  const landsInBoth = async (
    what: string,
    check: (api: KubeHttp) => Promise<boolean>,
    since: number,
    timeoutMs: number,
  ) => {
    const landed = async (api: KubeHttp) => {
      await waitFor(what, async () => ((await check(api)) ? true : undefined), {
        timeoutMs,
        intervalMs: 100,
      });
      return Date.now() - since;
    };
    const [realMs, simulatedMs] = await Promise.all([
      landed(real.cluster.api),
      landed(simulatedApi),
    ]);
    // Seen in the test log and copied into the README's table.
    // eslint-disable-next-line no-console
    console.log(
      `${what}: real after ${realMs} ms, simulator after ${simulatedMs} ms (POLLING_INTERVAL ${POLL_MS} ms)`,
    );
    return { realMs, simulatedMs };
  };

  beforeAll(async () => {
    const binaries = requireRealBinaries();
    dir = mkdtempSync(join(tmpdir(), 'real-differential-'));
    sandbox = await startSandbox(scenario, { anyPorts: true, stateDir: dir });
    const connect = sandbox.connectServer('main');
    const spec = sandbox.scenario.clusters[0];
    real = await startScenarioCluster({
      spec,
      connect: {
        url: connect.url,
        token: connect.tokens.valueOf('operator'),
        seedToken: connect.tokens.valueOf('admin'),
      },
      workDir: join(dir, 'real'),
      ca: loadOrCreateCa(dir),
      binaries,
    });
    const simulated = sandbox.cluster('diff');
    simulatedApi = new KubeHttp(
      simulated.url,
      Buffer.from(simulated.caData, 'base64').toString('utf8'),
      simulated.adminToken,
    );
  });

  afterAll(async () => {
    await real?.stop();
    await sandbox?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reconciles every OnePasswordItem and annotated Deployment alike at start', async () => {
    // A path the operator cannot parse (scenarios refuse one, so it is applied).
    const badPath = {
      apiVersion: 'onepassword.com/v1',
      kind: 'OnePasswordItem',
      metadata: { name: 'bad-path', namespace: 'payments' },
      spec: { itemPath: 'payments/payments-db' },
    };
    for (const api of [real.cluster.api, simulatedApi]) {
      await api.expectOk({
        method: 'POST',
        path: '/apis/onepassword.com/v1/namespaces/payments/onepassworditems',
        body: badPath,
      });
    }
    const settled = async (api: KubeHttp) => {
      const outcome = await readOperatorOutcome(api, NAMESPACES);
      const items = Object.entries(outcome.onePasswordItems).filter(([key]) =>
        key.startsWith('payments/'),
      );
      const events = Object.values(outcome.events) as Array<{
        repeated: boolean;
      }>;
      return (
        items.length === 5 &&
        items.every(([, item]) => (item as any).conditions.length > 0) &&
        'payments/orders-worker-secret' in outcome.secrets &&
        events.some(event => event.repeated)
      );
    };
    await landsInBoth('start-up reconciles', settled, Date.now(), 60_000);
    const both = await outcomes();
    // The real operator's own words, which the simulator must match.
    expect(both.real.onePasswordItems['payments/payments-db']).toMatchObject({
      conditions: [{ type: 'Ready', status: 'True', message: '' }],
      finalizers: ['onepassword.com/finalizer.secret'],
    });
    expect(both.real.secrets['payments/payments-db']).toMatchObject({
      type: 'Opaque',
      ownerReferences: [
        expect.objectContaining({
          kind: 'OnePasswordItem',
          name: 'payments-db',
        }),
      ],
    });
    expect(both.real.onePasswordItems['search/search-key']).toEqual({
      conditions: [],
      finalizers: [],
    });
    expectNoUnlistedDifferences('start', both);
  });

  it('syncs an item edit on the next poll and restarts the Deployment that uses it', async () => {
    const connect = sandbox.connectServer('main');
    const edited = connect.store.updateItem('payments', 'payments-db', {
      fields: { password: 'pw-CANARY-2' },
    });
    const version = String(edited.version);
    const path = '/api/v1/namespaces/payments/secrets/payments-db';
    const times = await landsInBoth(
      `item version ${version} in Secret payments-db`,
      async api => (await secretVersion(api, path)) === version,
      Date.now(),
      ONE_POLL_MS,
    );
    expect(times.realMs).toBeGreaterThan(0);
    await landsInBoth(
      'the restart annotation on payments-api',
      async api => {
        const deployment = await api.expectOk({
          path: '/apis/apps/v1/namespaces/payments/deployments/payments-api',
        });
        return Boolean(
          deployment.spec.template.metadata?.annotations?.[
            'operator.1password.io/last-restarted'
          ],
        );
      },
      Date.now(),
      ONE_POLL_MS,
    );
    expectNoUnlistedDifferences('edit', await outcomes());
  });

  it('keeps the old version, silently, while the operator token is revoked', async () => {
    const connect = sandbox.connectServer('main');
    const before = await outcomes();
    connect.tokens.revoke('operator');
    try {
      connect.store.updateItem('payments', 'orders-key', {
        fields: { password: 'orders-CANARY-2' },
      });
      // Two polls fail in each; nothing about it is written anywhere.
      await new Promise(resolve => setTimeout(resolve, 2 * POLL_MS + 1_000));
      const during = await outcomes();
      // The healthy items stay Ready with the old data: nothing says the poll fails.
      for (const key of ['payments/payments-db', 'payments/orders-key']) {
        expect(during.real.onePasswordItems[key]).toEqual(
          before.real.onePasswordItems[key],
        );
        expect(during.real.secrets[key]).toEqual(before.real.secrets[key]);
      }
      expectNoUnlistedDifferences('revoked', during, 'healthy');
      expect(
        real.operator!.lines.some(line =>
          /failed to retrieve 1Password item|Invalid bearer token|401/.test(
            line,
          ),
        ),
      ).toBe(true);
    } finally {
      connect.tokens.restore('operator');
    }
    const version = String(
      connect.store.findItem('payments', 'orders-key')!.version,
    );
    await landsInBoth(
      'recovery after the token is restored',
      async api =>
        (await secretVersion(
          api,
          '/api/v1/namespaces/payments/secrets/orders-key',
        )) === version,
      Date.now(),
      ONE_POLL_MS,
    );
    expectNoUnlistedDifferences('restored', await outcomes(), 'healthy');
  });

  it('keeps the old version while Connect is down, and catches up', async () => {
    const connect = sandbox.connectServer('main');
    await connect.pause();
    let version: string;
    try {
      const edited = connect.store.updateItem('payments', 'orders-key', {
        fields: { password: 'orders-CANARY-3' },
      });
      version = String(edited.version);
      await new Promise(resolve => setTimeout(resolve, 2 * POLL_MS + 1_000));
      const during = await outcomes();
      expect(
        (during.real.secrets['payments/orders-key'] as any).annotations[
          'operator.1password.io/item-version'
        ],
      ).not.toBe(version);
      expectNoUnlistedDifferences('connect-down', during, 'healthy');
    } finally {
      await connect.resume();
    }
    await landsInBoth(
      'recovery after Connect is back',
      async api =>
        (await secretVersion(
          api,
          '/api/v1/namespaces/payments/secrets/orders-key',
        )) === version,
      Date.now(),
      ONE_POLL_MS,
    );
  });

  it('recreates nothing for a deleted Secret until its OnePasswordItem changes', async () => {
    const path = '/api/v1/namespaces/payments/secrets/payments-db';
    await real.cluster.api.expectOk({ method: 'DELETE', path });
    await simulatedApi.expectOk({ method: 'DELETE', path });
    await new Promise(resolve => setTimeout(resolve, 2 * POLL_MS + 1_000));
    const during = await outcomes();
    expect(during.real.secrets['payments/payments-db']).toBeUndefined();
    expectNoUnlistedDifferences('secret-deleted', during, 'healthy');
    const touch = {
      method: 'PATCH',
      path: '/apis/onepassword.com/v1/namespaces/payments/onepassworditems/payments-db',
      body: { metadata: { labels: { touched: 'yes' } } },
    };
    await real.cluster.api.expectOk(touch);
    await simulatedApi.expectOk(touch);
    await landsInBoth(
      'the Secret recreated after its OnePasswordItem changed',
      async api => (await api.request({ path })).status === 200,
      Date.now(),
      30_000,
    );
    expectNoUnlistedDifferences(
      'secret-recreated',
      await outcomes(),
      'healthy',
    );
  });
  it('crashes on POLLING_INTERVAL=0 and a non-boolean AUTO_RESTART, where the simulator keeps running', async () => {
    const deploymentPath =
      '/apis/apps/v1/namespaces/onepassword/deployments/onepassword-connect-operator';
    const setEnv = async (api: KubeHttp, name: string, value: string) => {
      const deployment = await api.expectOk({ path: deploymentPath });
      const container = deployment.spec.template.spec.containers[0];
      container.env = container.env.map((variable: any) =>
        variable.name === name ? { name, value } : variable,
      );
      await api.expectOk({
        method: 'PUT',
        path: deploymentPath,
        body: deployment,
      });
    };
    const probe = (name: string) => ({
      apiVersion: 'onepassword.com/v1',
      kind: 'OnePasswordItem',
      metadata: { name, namespace: 'payments' },
      spec: { itemPath: 'vaults/payments/items/orders-key' },
    });
    const itemsPath =
      '/apis/onepassword.com/v1/namespaces/payments/onepassworditems';
    const ready = async (api: KubeHttp, name: string) =>
      Boolean(
        (await api.expectOk({ path: `${itemsPath}/${name}` })).status
          ?.conditions?.length,
      );

    for (const [name, value, crash] of [
      ['POLLING_INTERVAL', '0', /non-positive interval for NewTicker/],
      ['AUTO_RESTART', 'maybe', /invalid syntax/],
    ] as const) {
      const original = (await real.operatorEnv())[name]!;
      await setEnv(real.cluster.api, name, value);
      await setEnv(simulatedApi, name, value);
      const process = await real.restartOperator();
      const exit = await process.exited;
      expect(exit.code).not.toBe(0);
      expect(process.lines.join('\n')).toMatch(crash);

      // Nothing reconciles a new OnePasswordItem in the real cluster now.
      const itemName = `after-${name.toLowerCase().replace('_', '-')}`;
      await real.cluster.api.expectOk({
        method: 'POST',
        path: itemsPath,
        body: probe(itemName),
      });
      await simulatedApi.expectOk({
        method: 'POST',
        path: itemsPath,
        body: probe(itemName),
      });
      await new Promise(resolve => setTimeout(resolve, POLL_MS));
      const simulatorReconciled = await ready(simulatedApi, itemName);
      expect(await ready(real.cluster.api, itemName)).toBe(false);
      // eslint-disable-next-line no-console
      console.log(
        `${name}=${value}: the real operator exits (${JSON.stringify(
          exit,
        )}); the simulator ${
          simulatorReconciled ? 'keeps reconciling' : 'stops too'
        }`,
      );
      expect(
        simulatorReconciled === false ||
          KNOWN_SIMULATOR_DIFFERENCES.some(known =>
            known.matches('bad-setting', name),
          ),
      ).toBe(true);

      await setEnv(real.cluster.api, name, original);
      await setEnv(simulatedApi, name, original);
      await real.restartOperator();
      await landsInBoth(
        `${itemName} reconciled once ${name} is valid again`,
        api => ready(api, itemName),
        Date.now(),
        30_000,
      );
    }
  });
  it('recreates a deleted Secret when the operator restarts', async () => {
    const path = '/api/v1/namespaces/payments/secrets/orders-key';
    await real.cluster.api.expectOk({ method: 'DELETE', path });
    await simulatedApi.expectOk({ method: 'DELETE', path });
    // What `kubectl rollout restart` does to the operator Deployment, and
    // (no kubelet here) the new process it leads to.
    const restart = {
      method: 'PATCH',
      path: '/apis/apps/v1/namespaces/onepassword/deployments/onepassword-connect-operator',
      body: {
        spec: {
          template: {
            metadata: {
              annotations: {
                'kubectl.kubernetes.io/restartedAt': new Date().toISOString(),
              },
            },
          },
        },
      },
    };
    await real.cluster.api.expectOk(restart);
    await simulatedApi.expectOk(restart);
    await real.restartOperator();
    const exists = async (api: KubeHttp) =>
      (await api.request({ path })).status === 200;
    await waitFor('the real operator to recreate the Secret', async () =>
      (await exists(real.cluster.api)) ? true : undefined,
    );
    // Give the simulator the same time again before comparing.
    await new Promise(resolve => setTimeout(resolve, POLL_MS));
    const recreatedBySimulator = await exists(simulatedApi);
    // eslint-disable-next-line no-console
    console.log(
      `after an operator restart the real operator recreated the deleted Secret; the simulator ${
        recreatedBySimulator ? 'did too' : 'did not'
      }`,
    );
    expect(
      recreatedBySimulator ||
        KNOWN_SIMULATOR_DIFFERENCES.some(known =>
          known.matches('restart', 'missing-secret'),
        ),
    ).toBe(true);
  });
});
