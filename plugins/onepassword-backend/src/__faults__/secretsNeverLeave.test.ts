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

import { Sandbox, Scenario, startSandbox } from '@internal/sandbox';
import {
  AuditResponse,
  ClustersResponse,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { Knex } from 'knex';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  requireVmModules,
  SandboxBackend,
  startSandboxBackend,
} from '../__testUtils__/testBackend';
import { dumpEveryTable, findCanaries } from './canaries';
import { kubernetesIdLabels as kid } from '../__testUtils__/paymentsScenario';

jest.setTimeout(120_000);

const { databases, supportedIds } = createTestDatabases();

/** Every secret value of the scenario: each field, note, URL and file of each item. */
const CANARIES: string[] = [];
function canary(name: string): string {
  const value = `cnry-${name}-${CANARIES.length}-9fz`;
  CANARIES.push(value);
  return value;
}

const TOKENS = {
  connect: 'leak-token-connect-51c0',
  cluster: 'leak-token-k8s-reader',
};

function item(title: string) {
  return {
    title,
    category: 'LOGIN',
    fields: [
      {
        label: 'username',
        purpose: 'USERNAME' as const,
        value: canary(`${title}-user`),
      },
      {
        label: 'password',
        purpose: 'PASSWORD' as const,
        value: canary(`${title}-pw`),
      },
      {
        label: 'notesPlain',
        purpose: 'NOTES' as const,
        value: canary(`${title}-note`),
      },
      { label: 'api-key', type: 'CONCEALED', value: canary(`${title}-key`) },
      { label: 'host', type: 'STRING', value: canary(`${title}-host`) },
    ],
    urls: [
      { label: 'admin', href: `https://${canary(`${title}-url`)}.example` },
    ],
    files: [{ name: 'cert.pem', content: canary(`${title}-file`) }],
  };
}

const scenario: Scenario = {
  name: 'secrets-never-leave',
  connect: [
    {
      name: 'main',
      port: 0,
      tokens: [
        { name: 'backstage', token: TOKENS.connect, vaults: ['payments'] },
        { name: 'operator', token: 'leak-token-operator', vaults: '*' },
      ],
      vaults: [
        { name: 'payments', items: [item('payments-db'), item('orders-key')] },
        // Not granted to Backstage: its values must not leak through errors either.
        { name: 'restricted', items: [item('ledger-db')] },
      ],
    },
  ],
  clusters: [
    {
      name: 'dev',
      port: 0,
      tokens: ['leak-token-k8s-admin', TOKENS.cluster],
      operator: {
        connectServer: 'main',
        connectToken: 'operator',
        pollingIntervalSeconds: 60,
        autoRestart: false,
        watchNamespaces: ['payments'],
        // Its credentials and token Secrets are read (metadata only) too.
        inClusterConnect: {},
      },
      namespaces: [
        {
          name: 'payments',
          onePasswordItems: [
            {
              name: 'payments-db',
              itemPath: 'vaults/payments/items/payments-db',
              labels: kid('payments-api'),
            },
            {
              name: 'orders-key',
              itemPath: 'vaults/payments/items/orders-key',
              labels: kid('payments-api'),
            },
            {
              name: 'ledger-db',
              itemPath: 'vaults/restricted/items/ledger-db',
              labels: kid('payments-api'),
            },
          ],
          deployments: [
            {
              name: 'payments-api',
              labels: kid('payments-api'),
              secretRefs: ['payments-db'],
              consumes: [
                { secret: 'orders-key', as: 'env', key: 'password' },
                { secret: 'ledger-db', as: 'volume' },
              ],
              // People paste credentials into literal env values.
              literalEnv: { LEGACY_API_KEY: canary('literal-env') },
            },
            {
              name: 'orders-worker',
              labels: kid('payments-api'),
              consumes: [
                { secret: 'orders-key', as: 'projected' },
                { secret: 'payments-db', as: 'subPath', key: 'password' },
              ],
              literalEnv: { DB_PASSWORD: canary('literal-env-worker') },
              // Pods older than the Secrets: consumers with restart verdicts.
              podsStartedAt: '-1h',
            },
          ],
        },
      ],
    },
  ],
} as Scenario;

describe.each(supportedIds)('secrets never leave (%s)', databaseId => {
  let stateDir: string;
  let sandbox: Sandbox;
  let knex: Knex;
  let backend: SandboxBackend;
  const logLines: string[] = [];
  const bodies: string[] = [];

  async function call(method: 'get' | 'post', path: string) {
    const response = await request(backend.server)[method](
      `/api/onepassword${path}`,
    );
    bodies.push(`${method} ${path} ${response.status} ${response.text}`);
    return response;
  }

  beforeAll(async () => {
    requireVmModules();
    stateDir = mkdtempSync(join(tmpdir(), 'onepassword-leak-'));
    sandbox = await startSandbox(scenario, { anyPorts: true, stateDir });
    await sandbox.cluster('dev').operator.idle();
    // The Connect credentials file, as the Secret holds it and as Connect
    // reads it, and the operator's token: never to leave the cluster either.
    const infraSecret = (name: string, key: string) =>
      Buffer.from(
        sandbox.cluster('dev').api.get('secrets', 'onepassword', name)!.data[
          key
        ],
        'base64',
      ).toString('utf8');
    const session = infraSecret('op-credentials', '1password-credentials.json');
    CANARIES.push(
      session,
      Buffer.from(session, 'base64').toString('utf8'),
      infraSecret('onepassword-token', 'token'),
    );
    knex = await databases.init(databaseId);
    backend = await startSandboxBackend({
      sandbox,
      connectTokens: { main: TOKENS.connect },
      clusterToken: () => TOKENS.cluster,
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'payments-api',
            namespace: 'default',
            annotations: kid('payments-api'),
          },
          spec: { owner: 'group:default/team-payments' },
        },
      ],
      knex,
      logLines,
    });
    await backend.refresh();
    // An item change and a failing server, so errors and transitions are written too.
    sandbox.connectServer('main').faults.set({ error500: true });
    await backend.refresh();
    sandbox.connectServer('main').faults.clear();
    await backend.refresh();
    // A Connect server re-created with the CLI: new credentials in the Secret.
    sandbox.cluster('dev').connect!.recreateServer();
    CANARIES.push(
      Buffer.from(
        sandbox
          .cluster('dev')
          .api.get('secrets', 'onepassword', 'op-credentials')!.data[
          '1password-credentials.json'
        ],
        'base64',
      ).toString('utf8'),
    );
    await backend.refresh();
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('the operator did sync the values into the cluster (the canaries are there to find)', async () => {
    const cluster = sandbox.cluster('dev');
    const secret = cluster.api.get('secrets', 'payments', 'payments-db');
    expect(JSON.stringify(secret)).toContain(
      Buffer.from(CANARIES[1]).toString('base64'),
    );
    // Deployments and their pods carry the literal env canaries in their spec.
    const literal = CANARIES.find(c => c.startsWith('cnry-literal-env-'))!;
    expect(
      JSON.stringify(cluster.api.list('deployments.apps').items),
    ).toContain(literal);
    expect(JSON.stringify(cluster.api.list('pods').items)).toContain(literal);
    // The Connect and token Secrets were found (by name only).
    const clusters = (await call('get', '/clusters')).body as ClustersResponse;
    expect(clusters.items[0].operators?.[0]).toMatchObject({
      tokenSecret: 'onepassword/onepassword-token',
      inClusterConnect: { credentialsSecret: 'onepassword/op-credentials' },
    });
    const consumers = (
      (await call('get', '/audit?limit=500')).body as AuditResponse
    ).items.flatMap(r => r.consumers ?? []);
    expect(new Set(consumers.flatMap(c => c.kinds))).toEqual(
      new Set(['env', 'envFrom', 'volume', 'projected', 'subPath']),
    );
    const audit = (await call('get', '/audit?limit=500')).body as AuditResponse;
    expect(audit.items.map(r => r.secretName).sort()).toEqual([
      'ledger-db',
      'orders-key',
      'payments-db',
    ]);
  });

  it('no API response carries a value', async () => {
    await call('get', '/entities/default/component/payments-api/secrets');
    await call('get', '/entities/default/component/nobody/secrets');
    await call('get', '/audit?limit=500&format=json');
    await call('get', '/audit?format=csv');
    await call('get', '/audit?q=payments&status=stale');
    await call('get', '/audit?restartNeeded=true&format=csv');
    await call('get', '/audit?cursor=bad');
    await call('get', '/servers');
    await call('get', '/clusters');
    await call('get', '/vaults');
    await call('post', '/refresh');
    expect(bodies.length).toBeGreaterThanOrEqual(10);
    expect(findCanaries(bodies.join('\n'), CANARIES)).toEqual([]);
  });

  it('no table of the plugin database holds a value', async () => {
    const dump = await dumpEveryTable(knex);
    const tables = Object.keys(dump).filter(name =>
      name.startsWith('onepassword'),
    );
    expect(tables.length).toBeGreaterThanOrEqual(5);
    const text = JSON.stringify(dump);
    expect(text).toContain('payments-db');
    expect(findCanaries(text, CANARIES)).toEqual([]);
  });

  it('no log line of the run holds a value, and none of ours a token', async () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(findCanaries(logLines.join('\n'), CANARIES)).toEqual([]);
    const ours = logLines.filter(line =>
      line.includes('"plugin":"onepassword"'),
    );
    expect(ours.some(line => line.startsWith('warn '))).toBe(true);
    expect(findCanaries(ours.join('\n'), Object.values(TOKENS))).toEqual([]);
    // Connect's token is ours alone: no plugin's line may carry it.
    expect(findCanaries(logLines.join('\n'), [TOKENS.connect])).toEqual([]);
  });
});
