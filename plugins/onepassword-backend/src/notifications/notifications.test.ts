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

import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  notificationService,
  NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import {
  SecretHistoryResponse,
  SyncStatus,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { Sandbox, Scenario, startSandbox } from '@internal/sandbox';
import { Knex } from 'knex';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  requireVmModules,
  SandboxBackend,
  startSandboxBackend,
} from '../__testUtils__/testBackend';
import { HISTORY_PRUNE_TASK_ID } from '../history/HistoryRetention';

jest.setTimeout(120_000);

const { databases, supportedIds } = createTestDatabases();

const kid = (id: string) => ({ 'backstage.io/kubernetes-id': id });

const scenario: Scenario = {
  name: 'onepassword-notifications-test',
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
              version: 2,
              updatedAt: '-30d',
              fields: [
                { label: 'password', purpose: 'PASSWORD', value: 'pw-CANARY' },
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
                { label: 'password', purpose: 'PASSWORD', value: 'l-CANARY' },
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
      tokens: ['test-k8s-reader'],
      operator: {
        connectServer: 'main',
        connectToken: 'operator',
        pollingIntervalSeconds: 60,
        autoRestart: false,
        watchNamespaces: ['payments'],
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
              name: 'ledger-db',
              itemPath: 'vaults/restricted/items/ledger-db',
              labels: kid('ledger-service'),
            },
          ],
          // Reads payments-db through env: a new value needs a restart.
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
};

const component = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations: kid(name) },
  spec: { type: 'service', lifecycle: 'production', owner: `team-${name}` },
});

const entities = [component('payments-api'), component('ledger-service')];

describe.each(supportedIds)(
  'notifications and history against the sandbox (%s)',
  databaseId => {
    let sandbox: Sandbox;
    let stateDir: string;
    let knex: Knex;
    let backend: SandboxBackend | undefined;
    const sent: NotificationSendOptions[] = [];
    const logLines: string[] = [];

    /** A backend whose notifications service records what it is asked to send. */
    async function startBackend() {
      backend = await startSandboxBackend({
        sandbox,
        connectTokens: { main: 'test-backstage' },
        clusterToken: () => 'test-k8s-reader',
        entities,
        knex,
        logLines,
        onePasswordConfig: {
          notifications: {
            platformRecipients: ['group:default/platform'],
            quietPeriod: { hours: 1 },
          },
          history: { retention: { days: 30 } },
        },
        features: [
          createServiceFactory({
            service: notificationService,
            deps: {},
            factory: () => ({
              send: async (notification: NotificationSendOptions) => {
                sent.push(notification);
              },
            }),
          }),
        ],
      });
      return backend;
    }

    /** The notifications sent by `action`, as scope and recipients. */
    async function sentDuring(action: () => Promise<void>) {
      const from = sent.length;
      await action();
      return sent.slice(from);
    }

    async function history(query = '') {
      return request(backend!.server).get(
        `/api/onepassword/entities/default/component/payments-api/secrets/history${query}`,
      );
    }

    function revokeOperatorAndChangeItem() {
      const connect = sandbox.connectServer('main');
      connect.tokens.revoke('operator');
      connect.store.updateItem('payments', 'payments-db', {
        fields: { password: 'pw-CANARY-2' },
        updatedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
      });
    }

    beforeAll(async () => {
      requireVmModules();
      stateDir = mkdtempSync(join(tmpdir(), 'onepassword-notifications-'));
      sandbox = await startSandbox(scenario, { anyPorts: true, stateDir });
      knex = await databases.init(databaseId);
      await startBackend();
    });

    afterAll(async () => {
      await backend?.stop();
      await sandbox?.stop();
      rmSync(stateDir, { recursive: true, force: true });
    });

    it('sends nothing on the first refresh after install, though a record is access-denied', async () => {
      const first = await sentDuring(() => backend!.refresh());
      expect(first).toEqual([]);
      const again = await sentDuring(() => backend!.refresh());
      expect(again).toEqual([]);
    });

    it('after a restart, tells the owning entity once when its Secret turns stale', async () => {
      revokeOperatorAndChangeItem();
      await sandbox.cluster('dev').operator.pollNow();
      // A restart keeps what the database knows: this is not a first refresh.
      await backend!.stop();
      await startBackend();

      const stale = await sentDuring(() => backend!.refresh());
      expect(stale).toEqual([
        {
          recipients: {
            type: 'entity',
            entityRef: 'component:default/payments-api',
          },
          payload: expect.objectContaining({
            title: 'payments-api: Secret payments-db is stale',
            link: '/catalog/default/component/payments-api/secrets',
            severity: 'normal',
            topic: '1Password secret sync',
            scope: 'onepassword:dev/payments/payments-db:stale',
            metadata: expect.objectContaining({
              secretName: 'payments-db',
              status: 'stale',
              previousStatus: 'in-sync',
            }),
          }),
        },
      ]);
      expect(stale[0].payload.description).toMatch(/fails silently/);
      expect(JSON.stringify(stale)).not.toContain('CANARY');

      expect(await sentDuring(() => backend!.refresh())).toEqual([]);
    });

    it('tells once when it recovers, and that its pods now need a restart', async () => {
      // Kubernetes times are whole seconds: a write in the second the pods
      // were created cannot be told from one before them (it counts as not).
      await new Promise(resolve => setTimeout(resolve, 1100));
      sandbox.connectServer('main').tokens.restore('operator');
      await sandbox.cluster('dev').operator.pollNow();
      const recovered = await sentDuring(() => backend!.refresh());
      expect(recovered.map(n => n.payload.scope).sort()).toEqual([
        'onepassword:dev/payments/payments-db:recovered',
        'onepassword:dev/payments/payments-db:restart-needed',
      ]);
      expect(
        recovered.every(
          n =>
            n.recipients.type === 'entity' &&
            n.recipients.entityRef === 'component:default/payments-api',
        ),
      ).toBe(true);
      expect(await sentDuring(() => backend!.refresh())).toEqual([]);
    });

    it('keeps quiet when the record turns stale again within the quiet period', async () => {
      revokeOperatorAndChangeItem();
      await sandbox.cluster('dev').operator.pollNow();
      const again = await sentDuring(() => backend!.refresh());
      expect(again.map(n => n.payload.scope)).not.toContain(
        'onepassword:dev/payments/payments-db:stale',
      );
      sandbox.connectServer('main').tokens.restore('operator');
      await sandbox.cluster('dev').operator.pollNow();
      await backend!.refresh();
    });

    it('sends the platform owners one digest when a Connect server turns unhealthy', async () => {
      const connect = sandbox.connectServer('main');
      connect.faults.set({ error500: true });
      const down = await sentDuring(() => backend!.refresh());
      connect.faults.clear();
      expect(down).toEqual([
        {
          recipients: { type: 'entity', entityRef: ['group:default/platform'] },
          payload: expect.objectContaining({
            title: '1 1Password sync component unhealthy',
            severity: 'high',
            link: '/onepassword',
          }),
        },
      ]);
      expect(down[0].payload.description).toMatch(/^Connect server main: /);
      // Back to healthy: the records return from unknown, which notifies nobody.
      expect(await sentDuring(() => backend!.refresh())).toEqual([]);
    });

    it('serves the history of every refresh, newest first, paged with a cursor', async () => {
      const response = await history();
      expect(response.status).toBe(200);
      const body = response.body as SecretHistoryResponse;
      const statuses = (key: string) =>
        body.items.filter(t => t.recordKey === key).map(t => t.toStatus);
      expect(statuses('dev/payments/payments-db')).toEqual<SyncStatus[]>([
        'in-sync',
        'unknown',
        'in-sync',
        'stale',
        'in-sync',
        'stale',
        'in-sync',
      ]);
      expect(body.items[0]).toMatchObject({
        recordKey: 'dev/payments/payments-db',
        cluster: 'dev',
        namespace: 'payments',
        secretName: 'payments-db',
        fromStatus: 'unknown',
      });

      const pages: string[] = [];
      let cursor: string | null = null;
      do {
        const page: request.Response = await history(
          `?record=dev/payments/payments-db&limit=3${
            cursor ? `&cursor=${cursor}` : ''
          }`,
        );
        expect(page.status).toBe(200);
        pages.push(
          ...(page.body as SecretHistoryResponse).items.map(t => t.toStatus),
        );
        cursor = (page.body as SecretHistoryResponse).nextCursor;
      } while (cursor);
      expect(pages).toEqual(statuses('dev/payments/payments-db'));
    });

    it('answers bad history parameters with 400 and a message, an unknown record with 404', async () => {
      for (const [query, message] of [
        ['?limit=0', /'limit' must be a whole number from 1 to 500/],
        ['?since=yesterday', /'since' must be an ISO 8601 time/],
        ['?cursor=not-a-cursor', /Invalid cursor/],
        [
          '?record=payments-db',
          /'record' must be cluster\/namespace\/secretName/,
        ],
      ] as const) {
        const response = await history(query);
        expect(response.status).toBe(400);
        expect(response.body.error.message).toMatch(message);
      }
      const unknown = await history('?record=dev/payments/ledger-db');
      expect(unknown.status).toBe(404);
    });

    it('sorts the audit by "in this status since", paged by the keyset cursor', async () => {
      const since: Array<string | null> = [];
      let cursor: string | null = null;
      do {
        const page: request.Response = await request(backend!.server).get(
          `/api/onepassword/audit?sort=-statusSince&limit=1${
            cursor ? `&cursor=${cursor}` : ''
          }`,
        );
        expect(page.status).toBe(200);
        since.push(...page.body.items.map((r: any) => r.statusSince));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(since).toHaveLength(2);
      expect(since.every(s => s !== null)).toBe(true);
      expect([...since].sort().reverse()).toEqual(since);
    });

    it('prunes transitions older than the retention', async () => {
      await knex('onepassword_status_transitions').insert({
        record_key: 'dev/payments/payments-db',
        from_status: null,
        to_status: 'error',
        at: new Date(Date.now() - 31 * 24 * 3_600_000).toISOString(),
      });
      const before = await history('?limit=500');
      expect(before.body.items.map((t: any) => t.toStatus)).toContain('error');
      await backend!.triggerTask(HISTORY_PRUNE_TASK_ID);
      const after = await history('?limit=500');
      expect(after.body.items.map((t: any) => t.toStatus)).not.toContain(
        'error',
      );
      expect(after.body.items.length).toBe(before.body.items.length - 1);
    });
  },
);
