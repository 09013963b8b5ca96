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

import { AuditResponse } from '@secret-sync/backstage-plugin-onepassword-common';
import { Sandbox, Scenario, startSandbox } from '@internal/sandbox';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import {
  requireVmModules,
  SandboxBackend,
  startSandboxBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(60_000);

const kid = (id: string) => ({ 'backstage.io/kubernetes-id': id });

const scenario = {
  name: 'cluster-watch-test',
  connect: [
    {
      name: 'main',
      port: 0,
      tokens: [
        { name: 'backstage', token: 'test-backstage', vaults: ['payments'] },
        { name: 'operator', token: 'test-operator', vaults: ['payments'] },
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
  clusters: [
    {
      name: 'dev',
      port: 0,
      tokens: ['test-k8s-admin', 'test-k8s-reader'],
      operator: {
        connectServer: 'main',
        connectToken: 'operator',
        pollingIntervalSeconds: 3600,
        autoRestart: false,
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
    },
  ],
} as unknown as Scenario;

const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      namespace: 'default',
      annotations: kid('payments-api'),
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-payments' },
  },
];

async function eventually(check: () => Promise<void>, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }
}

describe('clusters kept current by watches', () => {
  let sandbox: Sandbox;
  let stateDir: string;
  let backend: SandboxBackend;
  const logLines: string[] = [];

  async function paymentsDb() {
    const response = await request(backend.server).get(
      '/api/onepassword/audit?limit=50',
    );
    expect(response.status).toBe(200);
    return (response.body as AuditResponse).items.find(
      r => r.secretName === 'payments-db',
    );
  }

  beforeAll(async () => {
    requireVmModules();
    stateDir = mkdtempSync(join(tmpdir(), 'cluster-watch-test-'));
    sandbox = await startSandbox(scenario, { anyPorts: true, stateDir });
    await sandbox.cluster('dev').operator.idle();
    backend = await startSandboxBackend({
      sandbox,
      connectTokens: { main: 'test-backstage' },
      clusterToken: () => 'test-k8s-reader',
      entities,
      logLines,
      clusterWatch: true,
    });
    await backend.refresh();
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('sends no request to any cluster on a refresh with nothing changed', async () => {
    expect((await paymentsDb())?.status).toBe('in-sync');
    const cluster = sandbox.cluster('dev');
    await backend.refresh();
    cluster.resetStats();
    await backend.refresh();
    await backend.refresh();
    expect(cluster.stats()).toEqual({ total: 0, byVerb: {} });
    expect((await paymentsDb())?.status).toBe('in-sync');
  });

  it('shows a change in a cluster within seconds, without a scheduled refresh', async () => {
    // Deleted by hand: the operator does not watch Secrets, so it stays missing.
    sandbox.cluster('dev').api.delete('secrets', 'payments', 'payments-db', {
      manager: 'kubectl',
    });
    await eventually(async () => {
      expect((await paymentsDb())?.status).toBe('missing');
    });
  });

  it('logs no field value while watching', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toMatch(/CANARY/);
  });
});
