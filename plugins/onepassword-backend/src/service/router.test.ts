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
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ConflictError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { readOnePasswordConfig } from '../config';
import { DatabaseSecretSyncStore } from '../database/DatabaseSecretSyncStore';
import { makeRecord } from '../__testUtils__/records';
import { RefreshTrigger } from './RefreshTrigger';
import { createRouter } from './router';
import { SecretSyncQueryService } from './SecretSyncQueryService';

const config = readOnePasswordConfig(
  new ConfigReader({
    onepassword: {
      connect: {
        servers: [{ name: 'main', url: 'http://localhost:8080', token: 'x' }],
      },
      scaffolder: {
        allowedVaults: [{ server: 'main', vaults: ['team-*', 'payments'] }],
      },
    },
  }),
);

const entity = (name: string, annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { owner: 'team-a' },
});

describe('createRouter', () => {
  let knex: Knex;
  let app: express.Express;
  let now: number;
  const triggerTask = jest.fn();
  const authorize = jest.fn();
  const auditSuccess = jest.fn();
  const auditFail = jest.fn();
  const createEvent = jest.fn();

  beforeEach(async () => {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    const store = await DatabaseSecretSyncStore.create({
      database: { getClient: async () => knex },
    });
    await store.replaceRecords(
      [
        makeRecord(),
        makeRecord({
          secretName: 'other',
          status: 'stale',
          labels: { 'backstage.io/kubernetes-id': 'other' },
          entityRef: null,
          owner: null,
        }),
        makeRecord({
          namespace: 'search',
          secretName: 'search-key',
          labels: { app: 'search', tier: 'api' },
          message: 'a, "quoted" =cmd',
        }),
      ],
      '2026-11-28T10:00:00.000Z',
    );
    await store.setLastRefreshAt('2026-11-28T10:00:30.000Z');
    await store.replaceVaults('main', [
      {
        vaultId: 'v1',
        name: 'payments',
        access: 'listed',
        contentVersion: 1,
        items: [],
        checkedAt: 'x',
      },
      {
        vaultId: 'v2',
        name: 'team-sandbox',
        access: 'listed',
        contentVersion: 1,
        items: [],
        checkedAt: 'x',
      },
      {
        vaultId: 'v3',
        name: 'finance',
        access: 'listed',
        contentVersion: 1,
        items: [],
        checkedAt: 'x',
      },
      {
        vaultId: 'v4',
        name: null,
        access: 'denied',
        contentVersion: null,
        items: null,
        checkedAt: 'x',
      },
    ]);
    now = 1_000_000;
    authorize.mockResolvedValue([{ result: AuthorizeResult.ALLOW }]);
    createEvent.mockResolvedValue({ success: auditSuccess, fail: auditFail });
    const router = await createRouter({
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions.mock({ authorize }),
      auditor: mockServices.auditor.mock({ createEvent }),
      query: SecretSyncQueryService.create({
        store,
        config,
        catalog: catalogServiceMock({
          entities: [
            entity('payments-api', {
              'backstage.io/kubernetes-id': 'payments-api',
            }),
            entity('search', {
              'backstage.io/kubernetes-label-selector':
                'app=search,tier in (api,web)',
              'backstage.io/kubernetes-namespace': 'search',
            }),
            entity('lonely', {}),
          ],
        }),
      }),
      refresh: RefreshTrigger.create({
        scheduler: mockServices.scheduler.mock({ triggerTask }),
        store,
        now: () => now,
      }),
    });
    app = express().use(router).use(mockErrorHandler());
  });

  afterEach(async () => {
    jest.resetAllMocks();
    await knex.destroy();
  });

  describe('GET /entities/:namespace/:kind/:name/secrets', () => {
    it('returns the records the entity selects by kubernetes-id', async () => {
      const response = await request(app).get(
        '/entities/default/component/payments-api/secrets',
      );
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        entityRef: 'component:default/payments-api',
        asOf: '2026-11-28T10:00:30.000Z',
        summary: {
          total: 1,
          byStatus: expect.objectContaining({ 'in-sync': 1 }),
        },
      });
      expect(response.body.items[0]).not.toHaveProperty('labels');
      expect(authorize).toHaveBeenCalledWith(
        [
          {
            permission: expect.objectContaining({
              name: 'onepassword.secrets.read',
            }),
            resourceRef: 'component:default/payments-api',
          },
        ],
        expect.anything(),
      );
    });

    it('matches a label selector and namespace', async () => {
      const response = await request(app).get(
        '/entities/default/component/search/secrets',
      );
      expect(response.body.items.map((r: any) => r.secretName)).toEqual([
        'search-key',
      ]);
    });

    it('returns empty items for an entity with no Secrets', async () => {
      const response = await request(app).get(
        '/entities/default/component/lonely/secrets',
      );
      expect(response.status).toBe(200);
      expect(response.body.items).toEqual([]);
    });

    it('404 for an unknown entity', async () => {
      const response = await request(app).get(
        '/entities/default/component/nope/secrets',
      );
      expect(response.status).toBe(404);
      expect(response.body.error).toMatchObject({
        name: 'NotFoundError',
        message: "No entity 'component:default/nope'",
      });
    });

    it('403 when the permission is denied', async () => {
      authorize.mockResolvedValue([{ result: AuthorizeResult.DENY }]);
      const response = await request(app).get(
        '/entities/default/component/payments-api/secrets',
      );
      expect(response.status).toBe(403);
      expect(response.body.error.name).toBe('NotAllowedError');
    });
  });

  describe('GET /audit', () => {
    it('pages with a cursor', async () => {
      const first = await request(app).get('/audit?limit=2&sort=secretName');
      expect(first.status).toBe(200);
      expect(first.body.total).toBe(3);
      expect(first.body.items.map((r: any) => r.secretName)).toEqual([
        'other',
        'payments-db',
      ]);
      const second = await request(app).get(
        `/audit?limit=2&sort=secretName&cursor=${first.body.nextCursor}`,
      );
      expect(second.body.items.map((r: any) => r.secretName)).toEqual([
        'search-key',
      ]);
      expect(second.body.nextCursor).toBeNull();
    });

    it('filters orphans and statuses', async () => {
      const response = await request(app).get(
        '/audit?orphans=true&status=stale,error',
      );
      expect(
        response.body.items.map((r: any) => [r.secretName, r.entityRef]),
      ).toEqual([['other', null]]);
    });

    it('exports CSV with quoting and formula protection', async () => {
      const response = await request(app).get(
        '/audit?format=csv&sort=secretName',
      );
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      const lines = response.text.trim().split('\r\n');
      expect(lines).toHaveLength(4);
      expect(lines[0].split(',')).toContain('secretName');
      expect(lines[3]).toContain('"a, ""quoted"" =cmd"');
    });

    it.each([
      ['status=green', "Invalid status 'green'"],
      [
        'sort=color',
        "Invalid sort 'color'; use one of status, cluster, namespace, secretName, entityRef, owner, syncedAt, itemUpdatedAt, '-' prefixed for descending",
      ],
      [
        'limit=0',
        "Query parameter 'limit' must be a whole number from 1 to 500",
      ],
      [
        'orphans=maybe',
        "Query parameter 'orphans' must be true or false, not 'maybe'",
      ],
      ['cursor=nope', "Invalid cursor 'nope'"],
      ['format=xml', "Query parameter 'format' must be json or csv, not 'xml'"],
    ])('400 for %s', async (query, message) => {
      const response = await request(app).get(`/audit?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({
        name: 'InputError',
        message,
      });
    });

    it('403 without the audit permission, audited as a failure', async () => {
      authorize.mockResolvedValue([{ result: AuthorizeResult.DENY }]);
      expect((await request(app).get('/audit')).status).toBe(403);
      expect(createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'audit-read' }),
      );
      expect(auditFail).toHaveBeenCalledWith({
        error: expect.objectContaining({ name: 'NotAllowedError' }),
      });
      expect(auditSuccess).not.toHaveBeenCalled();
    });
  });

  describe('GET /vaults', () => {
    it('offers only listed vaults allowed by config', async () => {
      const response = await request(app).get('/vaults');
      expect(response.body).toEqual({
        items: [
          { server: 'main', id: 'v1', name: 'payments' },
          { server: 'main', id: 'v2', name: 'team-sandbox' },
        ],
      });
    });
  });

  describe('POST /refresh', () => {
    it('triggers the task, then rate limits with Retry-After', async () => {
      const first = await request(app).post('/refresh');
      expect(first.status).toBe(202);
      expect(first.body).toEqual({
        triggered: true,
        lastRefreshAt: '2026-11-28T10:00:30.000Z',
      });
      expect(triggerTask).toHaveBeenCalledWith('onepassword-refresh');
      expect(createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'refresh' }),
      );
      expect(auditSuccess).toHaveBeenCalledTimes(1);

      now += 4_000;
      const second = await request(app).post('/refresh');
      expect(second.status).toBe(429);
      expect(second.headers['retry-after']).toBe('6');

      now += 6_000;
      expect((await request(app).post('/refresh')).status).toBe(202);
    });

    it('409 while a refresh runs', async () => {
      triggerTask.mockRejectedValue(
        new ConflictError('Task onepassword-refresh is currently running'),
      );
      const response = await request(app).post('/refresh');
      expect(response.status).toBe(409);
    });

    it('401 without credentials', async () => {
      const response = await request(app)
        .post('/refresh')
        .set('Authorization', mockCredentials.none.header());
      expect(response.status).toBe(401);
    });
  });
});
