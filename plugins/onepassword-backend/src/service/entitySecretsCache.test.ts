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

import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { CatalogServiceRequestOptions } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DEFAULT_POLL_GRACE_SECONDS } from '@secret-sync/backstage-plugin-onepassword-common';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { readOnePasswordConfig } from '../config';
import { DatabaseRefreshLimiter } from '../database/DatabaseRefreshLimiter';
import { DatabaseSecretSyncStore } from '../database/DatabaseSecretSyncStore';
import { StoredSecretRecord } from '../database/SecretSyncStore';
import { createTestDatabases } from '../__testUtils__/databases';
import { makeRecord } from '../__testUtils__/records';
import { RefreshTrigger } from './RefreshTrigger';
import { createRouter } from './router';
import { SecretSyncQueryService } from './SecretSyncQueryService';

jest.setTimeout(60_000);

const { databases, supportedIds } = createTestDatabases();

const config = readOnePasswordConfig(
  new ConfigReader({
    onepassword: {
      connect: {
        servers: [{ name: 'main', url: 'http://localhost:8080', token: 'x' }],
      },
    },
  }),
);

const PATH = '/entities/default/component/payments-api/secrets';
const OUTSIDER = 'user:default/outsider';
const HIDDEN_FROM = 'user:default/no-catalog-access';

const userOf = (credentials: BackstageCredentials) =>
  (credentials.principal as { userEntityRef?: string }).userEntityRef;

/**
 * One replica as the plugin wires it: its own store and query service (so
 * its own cache) over the shared database, the router, a permission policy
 * that denies OUTSIDER and a catalog that hides the entity from HIDDEN_FROM.
 */
async function startReplica(knex: Knex) {
  const store = await DatabaseSecretSyncStore.create({
    database: { getClient: async () => knex },
  });
  const component = (name: string, annotations: Record<string, string>) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { owner: 'group:default/payments' },
  });
  const catalog = catalogServiceMock({
    entities: [
      component('payments-api', {
        'backstage.io/kubernetes-id': 'payments-api',
      }),
      component('orders-api', {
        'backstage.io/kubernetes-id': 'orders-api',
        'backstage.io/kubernetes-namespace': 'orders',
      }),
      component('search', {
        'backstage.io/kubernetes-label-selector': 'app=search',
      }),
    ],
  });
  const getEntityByRef = catalog.getEntityByRef.bind(catalog);
  catalog.getEntityByRef = async (ref, options) =>
    options &&
    'credentials' in options &&
    userOf(options.credentials) === HIDDEN_FROM
      ? undefined
      : getEntityByRef(ref, options as CatalogServiceRequestOptions);
  const listRecords = jest.spyOn(store, 'listRecords');
  const router = await createRouter({
    httpAuth: mockServices.httpAuth(),
    permissions: mockServices.permissions.mock({
      authorize: async (requests, options) =>
        requests.map(() => ({
          result:
            userOf(options!.credentials) === OUTSIDER
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
    }),
    auditor: mockServices.auditor.mock(),
    logger: mockServices.logger.mock(),
    catalog,
    query: SecretSyncQueryService.create({ store, config, catalog }),
    refresh: RefreshTrigger.create({
      start: async () => {},
      store,
      limiter: await DatabaseRefreshLimiter.create({
        database: { getClient: async () => knex },
      }),
    }),
  });
  const app = express().use(router);
  return {
    store,
    /** How many times this replica read the records table for an entity. */
    recordReads: () => listRecords.mock.calls.length,
    get: (user = 'user:default/owner', path = PATH) =>
      request(app)
        .get(path)
        .set('authorization', mockCredentials.user.header(user)),
  };
}

/** What a refresh writes, in its order: records and health, then its time. */
async function refresh(
  store: DatabaseSecretSyncStore,
  records: StoredSecretRecord[],
  at: string,
) {
  await store.replaceRecords(records, at);
  await store.setLastRefreshAt(at);
}

describe.each(supportedIds)('entity answers cached per refresh (%s)', id => {
  let knex: Knex;

  beforeEach(async () => {
    knex = await databases.init(id);
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('serves a repeated read from the cache, and another replica’s refresh at the next read', async () => {
    const a = await startReplica(knex);
    const b = await startReplica(knex);
    await refresh(a.store, [makeRecord()], '2026-11-28T10:00:00.000Z');

    const first = await b.get();
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe(
      'application/json; charset=utf-8',
    );
    expect(first.body).toMatchObject({
      entityRef: 'component:default/payments-api',
      asOf: '2026-11-28T10:00:00.000Z',
      summary: { total: 1 },
      items: [{ secretName: 'payments-db', status: 'in-sync' }],
    });
    expect(first.body.items[0]).not.toHaveProperty('labels');
    const again = await b.get();
    expect(again.text).toBe(first.text);
    expect(b.recordReads()).toBe(1);

    // Replica A refreshes: B's cached answer is of an older generation.
    await refresh(
      a.store,
      [
        makeRecord({ secretName: 'payments-db', status: 'error' }),
        makeRecord({ secretName: 'payments-new' }),
      ],
      '2026-11-28T10:01:00.000Z',
    );
    const afterRefresh = await b.get();
    expect(afterRefresh.body).toMatchObject({
      asOf: '2026-11-28T10:01:00.000Z',
      summary: { total: 2 },
    });
    expect(
      afterRefresh.body.items.map(
        (r: { secretName: string; status: string }) =>
          `${r.secretName} ${r.status}`,
      ),
    ).toEqual(['payments-db error', 'payments-new in-sync']);
    expect(b.recordReads()).toBe(2);
    // A read on A itself, whose own refresh it was, agrees.
    expect((await a.get()).text).toBe(afterRefresh.text);
  });

  it('turns a cached pending record stale when its deadline passes, with no refresh', async () => {
    const changedAt = Date.parse('2026-11-28T10:00:00.000Z');
    const deadline = changedAt + (600 + DEFAULT_POLL_GRACE_SECONDS) * 1000;
    // Only the clock is faked: the database drivers keep their timers.
    jest.useFakeTimers({
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
      now: deadline - 2_000,
    });
    const replica = await startReplica(knex);
    await refresh(
      replica.store,
      [
        makeRecord({
          status: 'pending',
          itemVersion: 4,
          itemUpdatedAt: new Date(changedAt).toISOString(),
          statusSince: new Date(changedAt).toISOString(),
        }),
      ],
      new Date(deadline - 5_000).toISOString(),
    );

    expect((await replica.get()).body.items[0].status).toBe('pending');
    jest.setSystemTime(deadline - 1_000);
    expect((await replica.get()).body.items[0].status).toBe('pending');
    expect(replica.recordReads()).toBe(1);

    jest.setSystemTime(deadline);
    const stale = await replica.get();
    expect(stale.body.items[0]).toMatchObject({
      status: 'stale',
      statusSince: new Date(deadline).toISOString(),
    });
    expect(stale.body.summary.byStatus).toMatchObject({ stale: 1, pending: 0 });
  });

  it('answers concurrent first reads of several entities from one read of their records', async () => {
    const replica = await startReplica(knex);
    const labelled = (
      kubernetesId: string,
      namespace: string,
      secretName: string,
    ) =>
      makeRecord({
        namespace,
        secretName,
        labels: { 'backstage.io/kubernetes-id': kubernetesId },
      });
    await refresh(
      replica.store,
      [
        labelled('payments-api', 'payments', 'payments-db'),
        labelled('orders-api', 'orders', 'orders-db'),
        // Labelled for orders-api, but outside the namespace it names.
        labelled('orders-api', 'payments', 'orders-elsewhere'),
        makeRecord({
          namespace: 'search',
          secretName: 'search-key',
          labels: { app: 'search' },
        }),
      ],
      '2026-11-28T10:00:00.000Z',
    );
    const names = (response: request.Response) =>
      response.body.items.map((r: { secretName: string }) => r.secretName);
    const user = 'user:default/owner';
    const [payments, orders, search] = await Promise.all([
      replica.get(user, PATH),
      replica.get(user, '/entities/default/component/orders-api/secrets'),
      replica.get(user, '/entities/default/component/search/secrets'),
    ]);
    expect(names(payments)).toEqual(['payments-db']);
    expect(names(orders)).toEqual(['orders-db']);
    expect(names(search)).toEqual(['search-key']);
    expect(orders.body.entityRef).toBe('component:default/orders-api');
    // The two selecting by kubernetes-id share one read; the label
    // selector reads on its own.
    expect(replica.recordReads()).toBe(2);
  });

  it('decides permission and catalog access per request, whatever is cached', async () => {
    const replica = await startReplica(knex);
    await refresh(replica.store, [makeRecord()], '2026-11-28T10:00:00.000Z');
    expect((await replica.get()).status).toBe(200);
    expect((await replica.get()).status).toBe(200);

    const denied = await replica.get(OUTSIDER);
    expect(denied.status).toBe(403);
    expect(denied.body.error.name).toBe('NotAllowedError');
    expect(denied.text).not.toContain('payments-db');

    const hidden = await replica.get(HIDDEN_FROM);
    expect(hidden.status).toBe(404);
    expect(hidden.text).not.toContain('payments-db');
  });
});
