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
import { Sandbox, startSandbox } from '@internal/sandbox';
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
import {
  paymentsApiEntity,
  paymentsScenario,
} from './__testUtils__/paymentsScenario';

jest.setTimeout(60_000);

const { databases, supportedIds } = createTestDatabases();

const scenario = paymentsScenario('workload-consumers-test');
const entities = [paymentsApiEntity];

/** Kubernetes times have whole seconds: a later write needs a later second. */
async function nextSecond() {
  const second = Math.floor(Date.now() / 1000);
  while (Math.floor(Date.now() / 1000) === second) {
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

describe.each(supportedIds)(
  'workloads that consume a Secret (%s)',
  databaseId => {
    let sandbox: Sandbox;
    let stateDir: string;
    let knex: Knex;
    let backend: SandboxBackend;
    const logLines: string[] = [];
    const bodies: string[] = [];

    async function paymentsDb(): Promise<SecretSyncRecord> {
      const audit = await request(backend.server).get(
        '/api/onepassword/audit?limit=50',
      );
      expect(audit.status).toBe(200);
      bodies.push(audit.text);
      const entity = await request(backend.server).get(
        '/api/onepassword/entities/default/component/payments-api/secrets',
      );
      expect(entity.status).toBe(200);
      bodies.push(entity.text);
      const fromAudit = (audit.body as AuditResponse).items.find(
        r => r.secretName === 'payments-db',
      );
      const fromEntity = (entity.body as EntitySecretsResponse).items.find(
        r => r.secretName === 'payments-db',
      );
      expect(fromAudit).toBeDefined();
      // Both views carry the same workload facts.
      expect(fromEntity?.consumers).toEqual(fromAudit!.consumers);
      expect(fromEntity?.restartNeeded).toBe(fromAudit!.restartNeeded);
      return fromAudit!;
    }

    /** The Secrets the audit lists with `restartNeeded` set to this. */
    async function auditWithRestartNeeded(value: boolean): Promise<string[]> {
      const response = await request(backend.server).get(
        `/api/onepassword/audit?restartNeeded=${value}`,
      );
      expect(response.status).toBe(200);
      bodies.push(response.text);
      const body = response.body as AuditResponse;
      expect(body.total).toBe(body.items.length);
      return body.items.map(r => r.secretName);
    }

    /** The CSV export's restartNeeded and consumers cells of payments-db. */
    async function csvRestartCells(): Promise<Record<string, string>> {
      const response = await request(backend.server).get(
        '/api/onepassword/audit?format=csv&restartNeeded=true',
      );
      expect(response.status).toBe(200);
      bodies.push(response.text);
      const [header, ...lines] = response.text.trim().split('\r\n');
      const names = header.split(',');
      const row = lines.find(line => line.includes('payments-db'));
      if (!row) return {};
      const cells = row.split(',');
      return {
        restartNeeded: cells[names.indexOf('restartNeeded')],
        consumers: cells[names.indexOf('consumers')],
      };
    }

    /** Rolls the Deployment as `kubectl rollout restart` does: a new pod template. */
    async function rolloutRestart() {
      sandbox.cluster('dev').api.mergePatch(
        'deployments',
        'payments',
        'payments-api',
        {
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
        { manager: 'kubectl-rollout' },
      );
      // The sandbox's Deployment controller re-creates the pods after the write.
      await new Promise(resolve => setImmediate(resolve));
    }

    beforeAll(async () => {
      requireVmModules();
      stateDir = mkdtempSync(join(tmpdir(), 'workload-consumers-test-'));
      sandbox = await startSandbox(scenario, { anyPorts: true, stateDir });
      await sandbox.cluster('dev').operator.idle();
      // A literal env value next to the Secret reference: people paste
      // credentials there, and it must never leave the cluster.
      sandbox.cluster('dev').api.mergePatch(
        'deployments',
        'payments',
        'payments-api',
        {
          spec: {
            template: {
              spec: {
                containers: [
                  {
                    name: 'payments-api',
                    image: 'registry.example.com/payments-api:1.0.0',
                    envFrom: [{ secretRef: { name: 'payments-db' } }],
                    env: [{ name: 'LEGACY_API_KEY', value: 'env-CANARY' }],
                  },
                ],
              },
            },
          },
        },
        { manager: 'kubectl' },
      );
      await new Promise(resolve => setImmediate(resolve));
      knex = await databases.init(databaseId);
      backend = await startSandboxBackend({
        sandbox,
        connectTokens: { main: 'test-backstage' },
        clusterToken: () => 'test-k8s-reader',
        entities,
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

    it('says pods started after the last write run the current value', async () => {
      const record = await paymentsDb();
      expect(await auditWithRestartNeeded(true)).toEqual([]);
      expect(record.status).toBe('in-sync');
      expect(record.restartNeeded).toBe(false);
      expect(record.restartHint).toBeNull();
      expect(record.consumers).toEqual([
        {
          namespace: 'payments',
          deployment: 'payments-api',
          kinds: ['envFrom'],
          containers: ['payments-api'],
          podCount: 1,
          podsBeforeWrite: 0,
          verdict: 'current',
        },
      ]);
    });

    it('says an in-sync Secret read through env needs a restart after a change, until a rollout', async () => {
      await nextSecond();
      sandbox
        .connectServer('main')
        .store.updateItem('payments', 'payments-db', {
          fields: { password: 'pw2-CANARY' },
        });
      await sandbox.cluster('dev').operator.pollNow();
      await backend.refresh();

      const changed = await paymentsDb();
      // The sync status is about the Secret, which is current.
      expect(changed.status).toBe('in-sync');
      expect(changed.secretVersion).toBe(changed.itemVersion);
      expect(changed.restartNeeded).toBe(true);
      expect(changed.consumers).toEqual([
        expect.objectContaining({
          deployment: 'payments-api',
          kinds: ['envFrom'],
          podCount: 1,
          podsBeforeWrite: 1,
          verdict: 'restart-needed',
        }),
      ]);
      expect(changed.restartHint).toMatch(/roll the Deployment/);
      expect(changed.hint).not.toBe(changed.restartHint);
      // The audit filters on it on the server, and exports it.
      expect(await auditWithRestartNeeded(true)).toEqual(['payments-db']);
      expect(await auditWithRestartNeeded(false)).toEqual([]);
      expect(await csvRestartCells()).toEqual({
        restartNeeded: 'true',
        consumers: 'payments-api (restart-needed)',
      });

      await rolloutRestart();
      await backend.refresh();
      const rolled = await paymentsDb();
      expect(rolled.status).toBe('in-sync');
      expect(rolled.restartNeeded).toBe(false);
      expect(rolled.consumers).toEqual([
        expect.objectContaining({
          deployment: 'payments-api',
          podCount: 1,
          podsBeforeWrite: 0,
          verdict: 'current',
        }),
      ]);
      expect(await auditWithRestartNeeded(true)).toEqual([]);
      expect(await auditWithRestartNeeded(false)).toEqual(['payments-db']);
      expect(await csvRestartCells()).toEqual({});
    });

    it('keeps every literal env value and Secret value out of responses, the database and the logs', async () => {
      const tables = ['onepassword_secret_records', 'onepassword_clusters'];
      const dump = JSON.stringify(
        await Promise.all(tables.map(t => knex(t).select('*'))),
      );
      expect(dump).toContain('payments-api');
      expect(dump).toContain('restartNeeded');
      expect(dump).not.toMatch(/CANARY|LEGACY_API_KEY/);
      expect(bodies.length).toBeGreaterThan(0);
      expect(bodies.join('\n')).toContain('consumers');
      expect(bodies.join('\n')).not.toMatch(/CANARY|LEGACY_API_KEY/);
      expect(logLines.join('\n')).not.toMatch(/CANARY/);
    });
  },
);
