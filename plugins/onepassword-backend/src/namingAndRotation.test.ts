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
  NamingViolationsResponse,
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

jest.setTimeout(120_000);

const { databases, supportedIds } = createTestDatabases();

const DAY_MS = 24 * 3600 * 1000;

/** Services of the demo (examples/entities.yaml), with their systems. */
const component = (name: string, system: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': name },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: `team-${system}`,
    system,
  },
});

const entities = [
  component('payments-api', 'payments'),
  component('orders-worker', 'payments'),
  component('ledger-service', 'payments'),
  component('checkout-web', 'storefront'),
  component('identity-service', 'identity'),
];

describe.each(supportedIds)(
  'naming rules and rotation against the demo sandbox (%s)',
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

    beforeAll(async () => {
      requireVmModules();
      stateDir = mkdtempSync(join(tmpdir(), 'onepassword-naming-'));
      sandbox = await startSandbox('demo', { anyPorts: true, stateDir });
      knex = await databases.init(databaseId);
      backend = await startSandboxBackend({
        sandbox,
        connectTokens: {
          main: 'sandbox-connect-main-backstage',
          legacy: 'sandbox-connect-legacy-backstage',
        },
        clusterToken: cluster => `sandbox-k8s-${cluster}-reader`,
        entities,
        knex,
        logLines: [],
        onePasswordConfig: {
          naming: {
            vaults: '{system}',
            connectServers: { regex: '^(main|legacy-dc)$' },
            onePasswordItems: '{title}',
          },
          rotation: {
            maxAge: [
              { vaults: ['pay*'], maxAge: { days: 20 } },
              { categories: ['password'], maxAge: 'P365D' },
            ],
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

    describe('GET /naming', () => {
      it('lists each name that breaks a rule, with the name expected, and none that keeps it', async () => {
        const naming = await get<NamingViolationsResponse>('/naming');
        expect(naming.rules).toEqual({
          vault: '{system}',
          connectServer: '/^(main|legacy-dc)$/',
          onePasswordItem: '{title}',
        });
        const summary = naming.items.map(v => [
          v.rule,
          v.name,
          v.expected,
          v.entityRef ?? v.namespace ?? null,
        ]);
        // A vault titled after another system than the service's.
        expect(summary).toContainEqual([
          'vault',
          'finance-restricted',
          'payments',
          'component:default/ledger-service',
        ]);
        // A Connect server name outside the rule: legacy serves legacy-dc.
        expect(summary).toContainEqual([
          'connectServer',
          'legacy',
          'a name matching /^(main|legacy-dc)$/',
          null,
        ]);
        // A OnePasswordItem named other than the item it syncs.
        expect(summary).toContainEqual([
          'onePasswordItem',
          'identity-signing-key',
          'signing-key-v2',
          'identity',
        ]);
        // The names that keep the rules are not listed.
        const names = naming.items.map(v => `${v.rule}:${v.name}`);
        expect(names).not.toContain('vault:payments');
        expect(names).not.toContain('vault:storefront');
        expect(names).not.toContain('connectServer:main');
        expect(names).not.toContain('onePasswordItem:payments-db');
        expect(names).not.toContain('onePasswordItem:checkout-session-key');
        expect(
          naming.items.find(v => v.name === 'identity-signing-key')?.message,
        ).toBe(
          "'identity-signing-key' breaks the naming rule '{title}' (onepassword.naming.onePasswordItems): expected 'signing-key-v2'",
        );
      });
    });

    describe('rotation.maxAge', () => {
      it("flags records whose item is older than its rule's maximum age, with when it came due", async () => {
        const due = await get<AuditResponse>('/audit?rotationDue=true');
        expect(
          due.items.map(r => `${r.cluster}/${r.namespace}/${r.secretName}`),
        ).toEqual(
          expect.arrayContaining([
            'dev-eu/payments/payments-db',
            'prod-us/payments/payments-db',
          ]),
        );
        expect(due.total).toBe(2);
        for (const record of due.items) {
          expect(record.rotationDue).toBe(true);
          expect(record.itemCategory).toBe('LOGIN');
          expect(Date.parse(record.rotateBy!)).toBe(
            Date.parse(record.itemUpdatedAt!) + 20 * DAY_MS,
          );
        }

        const all = await get<AuditResponse>('/audit?limit=500');
        const notDue = await get<AuditResponse>(
          '/audit?rotationDue=false&limit=500',
        );
        expect(notDue.total).toBe(all.total - 2);
        const byName = new Map(all.items.map(r => [r.secretName, r]));
        // The payments vault's other item changed minutes ago: not yet due.
        expect(byName.get('orders-stripe-key')).toMatchObject({
          rotationDue: false,
          itemCategory: 'API_CREDENTIAL',
        });
        // A PASSWORD item outside the payments vault gets the category's rule.
        const session = byName.get('checkout-session-key')!;
        expect(session.rotationDue).toBe(false);
        expect(Date.parse(session.rotateBy!)).toBe(
          Date.parse(session.itemUpdatedAt!) + 365 * DAY_MS,
        );
        // No rule for a LOGIN item elsewhere.
        expect(byName.get('identity-db')).toMatchObject({
          rotateBy: null,
          rotationDue: false,
        });

        const entity = await get<EntitySecretsResponse>(
          '/entities/default/component/payments-api/secrets',
        );
        expect(entity.items.map(r => r.rotationDue)).toEqual([true, true]);
      });

      it('answers a bad rotationDue filter with a 400 naming it', async () => {
        const response = await request(backend.server).get(
          '/api/onepassword/audit?rotationDue=soon',
        );
        expect(response.status).toBe(400);
        expect(response.body.error.message).toBe(
          "Query parameter 'rotationDue' must be true or false, not 'soon'",
        );
      });

      it('is no longer due once the item changed in 1Password', async () => {
        sandbox
          .connectServer('main')
          .store.updateItem('payments', 'payments-db', {
            fields: { password: 'pw-CANARY-rotated' },
          });
        await backend.refresh();
        const due = await get<AuditResponse>('/audit?rotationDue=true');
        expect(due.total).toBe(0);
      });
    });
  },
);
