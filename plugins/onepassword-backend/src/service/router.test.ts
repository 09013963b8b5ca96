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

import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ConflictError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { onePasswordAuditReadPermission } from '@secret-sync/backstage-plugin-onepassword-common';
import express from 'express';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { readOnePasswordConfig } from '../config';
import { DatabaseSecretSyncStore } from '../database/DatabaseSecretSyncStore';
import { makeRecord } from '../__testUtils__/records';
import { RefreshTrigger } from './RefreshTrigger';
import { DatabaseRefreshLimiter } from '../database/DatabaseRefreshLimiter';
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
  const startRefresh = jest.fn();
  const authorize = jest.fn();
  const authorizeConditional = jest.fn();
  const logger = mockServices.logger.mock();
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
          secretName: 'formula',
          labels: { app: 'nothing' },
          entityRef: null,
          owner: null,
          message: '=HYPERLINK("http://evil","formula")',
        }),
        makeRecord({
          namespace: 'search',
          secretName: 'search-key',
          labels: { app: 'search', tier: 'api' },
          message: 'a, "quoted" =cmd',
          vaultId: 'bbbbbbbbbbbbbbbbbbbbbbbbbb',
          entityRef: 'component:default/search',
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
    authorize.mockImplementation(async requests =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    );
    authorizeConditional.mockResolvedValue([{ result: AuthorizeResult.ALLOW }]);
    createEvent.mockResolvedValue({ success: auditSuccess, fail: auditFail });
    const catalog = catalogServiceMock({
      entities: [
        entity('payments-api', {
          'backstage.io/kubernetes-id': 'payments-api',
          '1password.com/vaults': 'payments',
        }),
        entity('search', {
          'backstage.io/kubernetes-label-selector':
            'app=search,tier in (api,web)',
          'backstage.io/kubernetes-namespace': 'search',
          '1password.com/vaults': 'team-sandbox, finance',
        }),
        entity('lonely', {}),
      ],
    });
    const router = await createRouter({
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions.mock({
        authorize,
        authorizeConditional,
      }),
      auditor: mockServices.auditor.mock({ createEvent }),
      logger,
      catalog,
      query: SecretSyncQueryService.create({ store, config, catalog }),
      refresh: RefreshTrigger.create({
        start: startRefresh,
        store,
        limiter: await DatabaseRefreshLimiter.create({
          database: { getClient: async () => knex },
        }),
        now: () => now,
      }),
    });
    // No mockErrorHandler: the router answers its own errors.
    app = express().use(router);
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
      expect(first.body.total).toBe(4);
      expect(first.body.items.map((r: any) => r.secretName)).toEqual([
        'formula',
        'other',
      ]);
      const second = await request(app).get(
        `/audit?limit=2&sort=secretName&cursor=${first.body.nextCursor}`,
      );
      expect(second.body.items.map((r: any) => r.secretName)).toEqual([
        'payments-db',
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
      expect(lines).toHaveLength(5);
      expect(lines[0].split(',')).toContain('secretName');
      expect(lines[4]).toContain('"a, ""quoted"" =cmd"');
      // A message that starts with a formula is written as text.
      const formulaLine = lines.find(line => line.includes('formula'))!;
      expect(formulaLine).toContain(
        `"'=HYPERLINK(""http://evil"",""formula"")"`,
      );
      expect(formulaLine).not.toMatch(/,=/);
    });

    it.each([
      ['status=green', "Invalid status 'green'"],
      [
        'sort=color',
        "Invalid sort 'color'; use one of status, cluster, namespace, secretName, entityRef, owner, syncedAt, itemUpdatedAt, statusSince, '-' prefixed for descending",
      ],
      [
        'limit=0',
        "Query parameter 'limit' must be a whole number from 1 to 500",
      ],
      [
        'orphans=maybe',
        "Query parameter 'orphans' must be true or false, not 'maybe'",
      ],
      [
        'restartNeeded=yes',
        "Query parameter 'restartNeeded' must be true or false, not 'yes'",
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

  describe('GET /naming', () => {
    it('answers the violations to a caller with the audit permission', async () => {
      const response = await request(app).get('/naming');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ rules: {}, items: [] });
      expect(authorize).toHaveBeenCalledWith(
        [{ permission: onePasswordAuditReadPermission }],
        expect.anything(),
      );
    });

    it('403 without the audit permission', async () => {
      authorize.mockResolvedValue([{ result: AuthorizeResult.DENY }]);
      const response = await request(app).get('/naming');
      expect(response.status).toBe(403);
      expect(response.body.error.name).toBe('NotAllowedError');
    });
  });

  describe('GET /audit?vault', () => {
    it('keeps the records whose Secrets come from the vaults', async () => {
      const response = await request(app).get(
        '/audit?vault=bbbbbbbbbbbbbbbbbbbbbbbbbb&sort=secretName',
      );
      expect(response.status).toBe(200);
      expect(response.body.total).toBe(1);
      expect(response.body.items.map((r: any) => r.secretName)).toEqual([
        'search-key',
      ]);
    });
  });

  describe('GET /vault-usage', () => {
    it('lists each vault with the entities synced from it, no orphans', async () => {
      const response = await request(app).get('/vault-usage');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        asOf: '2026-11-28T10:00:30.000Z',
        items: [
          {
            vaultId: 'aaaaaaaaaaaaaaaaaaaaaaaaaa',
            entityRefs: ['component:default/payments-api'],
          },
          {
            vaultId: 'bbbbbbbbbbbbbbbbbbbbbbbbbb',
            entityRefs: ['component:default/search'],
          },
        ],
      });
    });

    it('403 without the audit permission', async () => {
      authorize.mockResolvedValue([{ result: AuthorizeResult.DENY }]);
      const response = await request(app).get('/vault-usage');
      expect(response.status).toBe(403);
      expect(response.body.error.message).toBe(
        'Not allowed: onepassword.audit.read',
      );
    });
  });

  describe('GET /vaults', () => {
    it('offers every allowed vault to a caller allowed outright', async () => {
      const response = await request(app).get('/vaults');
      expect(response.body).toEqual({
        items: [
          { server: 'main', id: 'v1', name: 'payments' },
          { server: 'main', id: 'v2', name: 'team-sandbox' },
        ],
      });
    });

    it('offers an owner only the allowed vaults of the entities they may request credentials for', async () => {
      authorizeConditional.mockResolvedValue([
        {
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'catalog',
          resourceType: 'catalog-entity',
          conditions: { rule: 'IS_ENTITY_OWNER', params: { claims: [] } },
        },
      ]);
      // The caller owns search (team-sandbox, finance), not payments-api.
      authorize.mockImplementation(async requests =>
        requests.map((r: { resourceRef?: string }) => ({
          result:
            r.resourceRef === 'component:default/search'
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        })),
      );
      const response = await request(app).get('/vaults');
      expect(response.status).toBe(200);
      // finance is the entity's, but not on the allow-list.
      expect(response.body).toEqual({
        items: [{ server: 'main', id: 'v2', name: 'team-sandbox' }],
      });
    });

    it('403 for a caller who may request credentials for nothing', async () => {
      authorizeConditional.mockResolvedValue([
        { result: AuthorizeResult.DENY },
      ]);
      const response = await request(app).get('/vaults');
      expect(response.status).toBe(403);
      expect(response.body.error).toEqual({
        name: 'NotAllowedError',
        message: 'Not allowed: onepassword.credentials.request',
      });
    });
  });

  describe.each(['/servers', '/clusters'])('GET %s', path => {
    it('answers with the health permission', async () => {
      const response = await request(app).get(path);
      expect(response.status).toBe(200);
      expect(authorize).toHaveBeenCalledWith(
        [
          {
            permission: expect.objectContaining({
              name: 'onepassword.health.read',
            }),
          },
        ],
        expect.anything(),
      );
    });

    it('403 without it', async () => {
      authorize.mockResolvedValue([{ result: AuthorizeResult.DENY }]);
      const response = await request(app).get(path);
      expect(response.status).toBe(403);
      expect(response.body.error.message).toBe(
        'Not allowed: onepassword.health.read',
      );
    });
  });

  describe('auditor events', () => {
    it.each([
      [
        'get',
        '/entities/default/component/payments-api/secrets',
        'entity-secrets-read',
        { entityRef: 'component:default/payments-api', total: 1 },
      ],
      ['get', '/audit', 'audit-read', { total: 4 }],
      ['get', '/audit?format=csv', 'audit-read', undefined],
      ['get', '/servers', 'servers-read', { total: 0 }],
      ['get', '/clusters', 'clusters-read', { total: 0 }],
      ['get', '/vaults', 'vaults-read', { total: 2 }],
      ['post', '/refresh', 'refresh', undefined],
    ] as const)(
      '%s %s is one %s event, a success',
      async (method, path, eventId, meta) => {
        const response = await request(app)[method](path);
        expect(response.status).toBeLessThan(300);
        expect(createEvent).toHaveBeenCalledTimes(1);
        expect(createEvent).toHaveBeenCalledWith(
          expect.objectContaining({ eventId, request: expect.anything() }),
        );
        expect(auditSuccess).toHaveBeenCalledTimes(1);
        expect(auditSuccess).toHaveBeenCalledWith(meta ? { meta } : undefined);
        expect(auditFail).not.toHaveBeenCalled();
      },
    );

    it.each([
      ['get', '/entities/default/component/payments-api/secrets'],
      ['get', '/servers'],
      ['get', '/clusters'],
      ['post', '/refresh'],
    ] as const)(
      '%s %s denied is audited as a failure',
      async (method, path) => {
        authorize.mockResolvedValue([{ result: AuthorizeResult.DENY }]);
        expect((await request(app)[method](path)).status).toBe(403);
        expect(auditFail).toHaveBeenCalledWith({
          error: expect.objectContaining({ name: 'NotAllowedError' }),
        });
        expect(auditSuccess).not.toHaveBeenCalled();
      },
    );

    it('audits bad input as a failure', async () => {
      const response = await request(app).get(
        '/entities/default/a%2Fb/payments-api/secrets',
      );
      expect(response.status).toBe(400);
      expect(createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'entity-secrets-read' }),
      );
      expect(auditFail).toHaveBeenCalledWith({
        error: expect.objectContaining({ name: 'InputError' }),
      });
    });
  });

  describe('hostile input', () => {
    it.each([
      ['a%2Fb', 'kind', "Invalid entity kind 'a/b' in the URL"],
      ['a%2F', 'kind', "Invalid entity kind 'a/' in the URL"],
      ['%20', 'kind', "Invalid entity kind ' ' in the URL"],
      ['comp%00onent', 'kind', "Invalid entity kind 'comp\\u0000onent'"],
    ])('400 for the kind %s', async (kind, _part, message) => {
      const response = await request(app).get(
        `/entities/default/${kind}/payments-api/secrets`,
      );
      expect(response.status).toBe(400);
      expect(response.body.error.name).toBe('InputError');
      expect(response.body.error.message).toContain(message);
      expect(JSON.stringify(response.body)).not.toContain('\\u0000"');
    });

    it.each([
      ['default', 'x%00y'],
      ['de%2Ffault', 'payments-api'],
      ['default', `${'a'.repeat(64)}`],
    ])('400 for namespace %s and name %s', async (namespace, name) => {
      const response = await request(app).get(
        `/entities/${namespace}/component/${name}/secrets`,
      );
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(
        /^Invalid entity (namespace|name) /,
      );
    });

    it.each(['q=%00', 'q=a%00b', 'owner=%0d%0a', 'cluster=%00'])(
      '400 for the audit query %s',
      async query => {
        const response = await request(app).get(`/audit?${query}`);
        expect(response.status).toBe(400);
        expect(response.body.error.name).toBe('InputError');
        expect(response.body.error.message).toMatch(
          /^Query parameter '\w+' holds a control character/,
        );
      },
    );
  });

  describe('error bodies', () => {
    it('never echo the query string, a stack or a cause', async () => {
      const response = await request(app).get(
        '/audit?status=green&token=hunter2',
      );
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: { name: 'InputError', message: "Invalid status 'green'" },
        request: { method: 'GET', url: '/audit' },
        response: { statusCode: 400 },
      });
      expect(response.text).not.toContain('hunter2');
    });

    it('replace an unexpected error by a log id, logged in full', async () => {
      jest
        .spyOn(SecretSyncQueryService.prototype, 'getServers')
        .mockRejectedValueOnce(
          new Error("ENOENT: no such file, open '/srv/app/secret.json'"),
        );
      const response = await request(app).get('/servers?x=1');
      expect(response.status).toBe(500);
      expect(response.body.error.message).toMatch(
        /^An internal error occurred logId=[0-9a-f]{20}$/,
      );
      expect(response.text).not.toContain('/srv/app');
      expect(response.text).not.toContain('x=1');
      expect(response.body.error).not.toHaveProperty('stack');
      expect(logger.error).toHaveBeenCalledWith(
        expect.stringContaining(response.body.error.message.split('=')[1]),
        expect.objectContaining({ message: expect.stringContaining('ENOENT') }),
      );
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
      expect(startRefresh).toHaveBeenCalledTimes(1);
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

    it('409 while a refresh runs, which does not use up the caller window', async () => {
      startRefresh.mockRejectedValueOnce(
        new ConflictError('A refresh is already running'),
      );
      const response = await request(app).post('/refresh');
      expect(response.status).toBe(409);
      expect(response.body.error.name).toBe('ConflictError');
      // Right after the refusal, the same caller may try again.
      expect((await request(app).post('/refresh')).status).toBe(202);
    });

    it('limits each user on their own', async () => {
      const as = (user: string) =>
        request(app)
          .post('/refresh')
          .set('Authorization', mockCredentials.user.header(user));
      expect((await as('user:default/alice')).status).toBe(202);
      expect((await as('user:default/alice')).status).toBe(429);
      expect((await as('user:default/bob')).status).toBe(202);
    });

    it('401 without credentials', async () => {
      const response = await request(app)
        .post('/refresh')
        .set('Authorization', mockCredentials.none.header());
      expect(response.status).toBe(401);
    });
  });
});
