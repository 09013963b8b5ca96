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
import { Sandbox, startSandbox } from '@internal/sandbox';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import {
  requireVmModules,
  SandboxBackend,
  startSandboxBackend,
} from './__testUtils__/testBackend';
import {
  eventually,
  paymentsApiEntity,
  paymentsScenario,
} from './__testUtils__/paymentsScenario';

jest.setTimeout(60_000);

const scenario = paymentsScenario('cluster-watch-test');
const entities = [paymentsApiEntity];

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
