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
  ClusterHealth,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { startSandbox } from '@internal/sandbox';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import {
  requireVmModules,
  startSandboxBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(60_000);

// The demo scenario (packages/sandbox/scenarios/demo.yaml) promises one status
// per service; this keeps the plugin and the scenario in agreement.
describe('the demo scenario', () => {
  it('shows every status the demo promises', async () => {
    requireVmModules();
    const stateDir = mkdtempSync(join(tmpdir(), 'onepassword-demo-'));
    const sandbox = await startSandbox('demo', { anyPorts: true, stateDir });
    const backend = await startSandboxBackend({
      sandbox,
      connectTokens: {
        main: 'sandbox-connect-main-backstage',
        legacy: 'sandbox-connect-legacy-backstage',
      },
      clusterToken: cluster => `sandbox-k8s-${cluster}-reader`,
      entities: [],
      logLines: [],
      // As app-config.yaml: operators that reach Connect in their cluster.
      onePasswordConfig: {
        clusters: {
          'edge-eu': { connectServer: 'main' },
          'staging-eu': { connectServer: 'main' },
        },
      },
    });
    const statuses = async () => {
      await backend.refresh();
      const audit = await request(backend.server).get(
        '/api/onepassword/audit?limit=500',
      );
      return Object.fromEntries(
        (audit.body.items as AuditRecord[]).map(r => [
          `${r.cluster}/${r.namespace}/${r.secretName}`,
          r.status,
        ]),
      );
    };
    /** Beside the statuses: restart needed, and the Connect and token problems. */
    const facts = async () => {
      const audit = await request(backend.server).get(
        '/api/onepassword/audit?restartNeeded=true',
      );
      const clusters = await request(backend.server).get(
        '/api/onepassword/clusters',
      );
      return {
        restartNeeded: (audit.body.items as AuditRecord[]).map(
          r => `${r.cluster}/${r.namespace}/${r.secretName}`,
        ),
        connectProblems: Object.fromEntries(
          (clusters.body.items as ClusterHealth[])
            .map(c => [
              c.name,
              (c.operators ?? []).flatMap(o =>
                (o.connectProblems ?? []).map(p => p.kind),
              ),
            ])
            .filter(([, kinds]) => kinds.length),
        ),
      };
    };
    const promisedFacts = {
      restartNeeded: ['dev-eu/payments/invoice-signing-key'],
      connectProblems: {
        'edge-eu': ['connect-crash-loop'],
        'staging-eu': ['credentials-changed'],
        'staging-us': ['token-changed'],
      },
    };
    try {
      const promised = {
        'dev-eu/default/shared-smtp': 'in-sync',
        'dev-eu/identity/identity-db': 'in-sync',
        'dev-eu/identity/identity-signing-key': 'item-not-found',
        'dev-eu/payments/payments-db': 'in-sync',
        'dev-eu/payments/invoice-signing-key': 'in-sync',
        'edge-eu/edge/edge-gateway-tls': 'error',
        'staging-eu/reports/reports-db': 'error',
        'staging-us/inventory/inventory-db': 'in-sync',
        'dev-eu/search/search-api-key': 'missing',
        'dev-eu/storefront/checkout-session-key': 'stale',
        'legacy-dc/billing/billing-db': 'unknown',
        'prod-us/payments/ledger-db': 'access-denied',
        'prod-us/payments/orders-stripe-key': 'pending',
        'prod-us/payments/payments-db': 'in-sync',
        'prod-us/platform/smtp-credentials': 'error',
      };
      expect(await statuses()).toEqual(promised);
      expect(await facts()).toEqual(promisedFacts);

      // An hour of operator polls (prod-us polls every 600 s, dev-eu every
      // 60 s) and failed-reconcile retries: every status is still there.
      for (let poll = 0; poll < 6; poll++) {
        for (const cluster of sandbox.clusters)
          await cluster.operator.pollNow();
      }
      expect(await statuses()).toEqual(promised);
      expect(await facts()).toEqual(promisedFacts);
    } finally {
      await backend.stop();
      await sandbox.stop();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
