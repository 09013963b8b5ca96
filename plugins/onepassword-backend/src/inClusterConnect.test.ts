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
  ClustersResponse,
  ConnectProblemKind,
  OperatorSettings,
  SecretSyncRecord,
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

jest.setTimeout(60_000);

const { databases, supportedIds } = createTestDatabases();

const kid = (id: string) => ({ 'backstage.io/kubernetes-id': id });

function cluster(name: string, credentialsEncoding: 'twice' | 'once') {
  return {
    name,
    port: 0,
    tokens: [`${name}-admin`, `${name}-reader`],
    operator: {
      connectServer: 'main',
      connectToken: 'operator',
      pollingIntervalSeconds: 3600,
      inClusterConnect: { credentialsEncoding },
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
        ],
        deployments: [
          {
            name: 'payments-api',
            labels: kid('payments-api'),
            secretRefs: ['payments-db'],
          },
        ],
      },
    ],
  };
}

const scenario = {
  name: 'in-cluster-connect-test',
  connect: [
    {
      name: 'main',
      port: 0,
      tokens: [
        { name: 'backstage', token: 'test-backstage', vaults: ['payments'] },
        { name: 'operator', token: 'test-operator', vaults: ['payments'] },
        { name: 'operator-new', token: 'test-operator-new', vaults: '*' },
      ],
      vaults: [
        {
          name: 'payments',
          items: [
            {
              title: 'payments-db',
              category: 'PASSWORD',
              fields: [
                { label: 'password', purpose: 'PASSWORD', value: 'pw-CANARY' },
              ],
            },
          ],
        },
      ],
    },
  ],
  clusters: [cluster('dev', 'twice'), cluster('broken', 'once')],
} as unknown as Scenario;

/** Kubernetes times have whole seconds: a later write needs a later second. */
async function nextSecond() {
  const second = Math.floor(Date.now() / 1000);
  while (Math.floor(Date.now() / 1000) === second) {
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

describe.each(supportedIds)(
  'the in-cluster Connect and the operator token (%s)',
  databaseId => {
    let sandbox: Sandbox;
    let stateDir: string;
    let knex: Knex;
    let backend: SandboxBackend;
    const logLines: string[] = [];
    const bodies: string[] = [];

    async function operatorOf(name: string): Promise<OperatorSettings> {
      const response = await request(backend.server).get(
        '/api/onepassword/clusters',
      );
      expect(response.status).toBe(200);
      bodies.push(response.text);
      const health = (response.body as ClustersResponse).items.find(
        c => c.name === name,
      );
      expect(health?.operators).toHaveLength(1);
      return health!.operators![0];
    }

    const kinds = (operator: OperatorSettings): ConnectProblemKind[] =>
      (operator.connectProblems ?? []).map(p => p.kind);

    async function recordOf(name: string): Promise<SecretSyncRecord> {
      const response = await request(backend.server).get(
        `/api/onepassword/audit?cluster=${name}`,
      );
      expect(response.status).toBe(200);
      bodies.push(response.text);
      const [record] = (response.body as AuditResponse).items;
      expect(record?.secretName).toBe('payments-db');
      return record;
    }

    beforeAll(async () => {
      requireVmModules();
      stateDir = mkdtempSync(join(tmpdir(), 'in-cluster-connect-test-'));
      sandbox = await startSandbox(scenario, { anyPorts: true, stateDir });
      await sandbox.cluster('dev').operator.idle();
      await sandbox.cluster('broken').operator.idle();
      knex = await databases.init(databaseId);
      backend = await startSandboxBackend({
        sandbox,
        connectTokens: { main: 'test-backstage' },
        clusterToken: name => `${name}-reader`,
        entities: [],
        knex,
        logLines,
      });
      await backend.refresh();
    });

    afterAll(async () => {
      await backend?.stop();
      await sandbox?.stop();
      rmSync(stateDir, { recursive: true, force: true });
    });

    it('finds the Connect behind OP_CONNECT_HOST, its credentials Secret and the token Secret', async () => {
      const operator = await operatorOf('dev');
      expect(operator.connectHost).toBe('http://onepassword-connect:8080');
      expect(operator.inClusterConnect).toEqual({
        service: 'onepassword/onepassword-connect',
        deployment: 'onepassword/onepassword-connect',
        credentialsSecret: 'onepassword/op-credentials',
        available: true,
        podCount: 1,
        restarts: null,
      });
      expect(operator.tokenSecret).toBe('onepassword/onepassword-token');
      expect(operator.connectProblems).toEqual([]);
      const record = await recordOf('dev');
      expect(record.status).toBe('in-sync');
      expect(record.connectHint).toBeNull();
    });

    it('says a crash-looping Connect needs its credentials encoded twice', async () => {
      const operator = await operatorOf('broken');
      expect(operator.inClusterConnect).toMatchObject({
        available: false,
        restarts: expect.any(Number),
      });
      expect(operator.connectProblems).toEqual([
        expect.objectContaining({
          kind: 'connect-crash-loop',
          message: expect.stringMatching(/CrashLoopBackOff/),
          hint: expect.stringContaining(
            'must be base64-encoded twice in onepassword/op-credentials',
          ),
        }),
      ]);
      const record = await recordOf('broken');
      expect(record.status).toBe('error');
      expect(record.connectHint).toContain('base64-encoded twice');
    });

    it('says to roll Connect after its credentials Secret changed, until it is rolled', async () => {
      const dev = sandbox.cluster('dev');
      await nextSecond();
      dev.connect!.recreateServer();
      await backend.refresh();
      expect(kinds(await operatorOf('dev'))).toEqual(['credentials-changed']);
      const record = await recordOf('dev');
      expect(record.connectHint).toMatch(
        /kubectl rollout restart deployment\/onepassword-connect -n onepassword.*Reconciler error/,
      );
      // The operator's next reconcile fails as the real one logs it.
      await dev.operator.reconcileNow();
      await dev.operator.idle();
      await backend.refresh();
      expect(await recordOf('dev')).toMatchObject({
        status: 'error',
        message: expect.stringContaining('status 401: Invalid token signature'),
      });

      await nextSecond();
      await dev.connect!.rollout();
      await dev.operator.reconcileNow();
      await dev.operator.idle();
      await backend.refresh();
      expect(kinds(await operatorOf('dev'))).toEqual([]);
      expect(await recordOf('dev')).toMatchObject({
        status: 'in-sync',
        connectHint: null,
      });
    });

    it('says to restart the operator after its token Secret changed, until it restarts', async () => {
      const dev = sandbox.cluster('dev');
      await nextSecond();
      dev.operator.rotateConnectToken('test-operator-new');
      await backend.refresh();
      expect(kinds(await operatorOf('dev'))).toEqual(['token-changed']);
      expect((await recordOf('dev')).connectHint).toContain(
        'kubectl rollout restart deployment/onepassword-connect-operator -n onepassword',
      );

      await nextSecond();
      await dev.operator.restart();
      await backend.refresh();
      expect(kinds(await operatorOf('dev'))).toEqual([]);
    });

    it('says when Connect reports its sync with 1Password failing', async () => {
      const main = sandbox.connectServer('main');
      main.faults.set({ syncLagging: true });
      try {
        await backend.refresh();
        const operator = await operatorOf('dev');
        expect(operator.connectProblems).toEqual([
          expect.objectContaining({
            kind: 'connect-sync-failing',
            message: expect.stringContaining('sync NOT_SYNCED'),
          }),
        ]);
        expect((await recordOf('dev')).connectHint).toContain(
          'sync with 1Password failing',
        );
      } finally {
        main.faults.set({ syncLagging: false });
      }
      await backend.refresh();
      expect(kinds(await operatorOf('dev'))).toEqual([]);
    });

    it('keeps the credentials and tokens out of responses, the database and the logs', async () => {
      const dump = JSON.stringify(
        await Promise.all(
          ['onepassword_secret_records', 'onepassword_clusters'].map(t =>
            knex(t).select('*'),
          ),
        ),
      );
      expect(dump).toContain('op-credentials');
      const leaks = /CANARY|test-operator|deviceUuid/;
      expect(dump).not.toMatch(leaks);
      expect(bodies.join('\n')).toContain('op-credentials');
      expect(bodies.join('\n')).not.toMatch(leaks);
      expect(logLines.join('\n')).not.toMatch(/CANARY|test-operator/);
    });
  },
);
