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
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { makeRecord } from '../__testUtils__/records';
import type { SecretSyncQueryService } from '../service/SecretSyncQueryService';
import { registerSecretSyncActions } from './registerSecretSyncActions';

const record = makeRecord({
  status: 'stale',
  message: 'The Secret carries version 2; the item is at version 3',
  hint: 'Check the operator logs',
});

function setUp(allowed: string[]) {
  const actionsRegistry = actionsRegistryServiceMock();
  const authorized: Array<{ permission: string; resourceRef?: string }> = [];
  const permissions = mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(request => {
        authorized.push({
          permission: request.permission.name,
          resourceRef: (request as { resourceRef?: string }).resourceRef,
        });
        return {
          result: allowed.includes(request.permission.name)
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
        };
      }),
  });
  const calls: unknown[] = [];
  const query = {
    getEntitySecrets: async (entityRef: string) => {
      calls.push(['entity', entityRef]);
      const { labels: _l, entityRef: _e, owner: _o, ...item } = record;
      return {
        entityRef,
        asOf: '2026-11-28T10:00:00.000Z',
        summary: { total: 1, byStatus: {} },
        items: [item],
        servers: [],
        clusters: [],
      };
    },
    getAudit: async (request: unknown) => {
      calls.push(['audit', request]);
      const { labels: _l, ...item } = record;
      return {
        items: [item],
        total: 7,
        byStatus: {},
        byCluster: [],
        owners: [],
        nextCursor: null,
      };
    },
  } as unknown as SecretSyncQueryService;
  registerSecretSyncActions({ actionsRegistry, permissions, query });
  return { actionsRegistry, authorized, calls };
}

describe('agent actions', () => {
  it('answers an entity status with the owner permission checked on that entity', async () => {
    const { actionsRegistry, authorized, calls } = setUp([
      'onepassword.secrets.read',
    ]);
    const { output } = await actionsRegistry.invoke({
      id: 'test:get-entity-secret-sync-status',
      input: { entityRef: 'payments-api' },
      credentials: mockCredentials.user('user:default/dev'),
    });
    expect(authorized).toEqual([
      {
        permission: 'onepassword.secrets.read',
        resourceRef: 'component:default/payments-api',
      },
    ]);
    expect(calls).toEqual([['entity', 'component:default/payments-api']]);
    expect(output).toMatchObject({
      entityRef: 'component:default/payments-api',
      total: 1,
      secrets: [
        {
          secretName: 'payments-db',
          status: 'stale',
          hint: 'Check the operator logs',
          autoRestart: true,
        },
      ],
    });
  });

  it('refuses an entity status without the permission, before reading anything', async () => {
    const { actionsRegistry, calls } = setUp([]);
    await expect(
      actionsRegistry.invoke({
        id: 'test:get-entity-secret-sync-status',
        input: { entityRef: 'component:default/payments-api' },
        credentials: mockCredentials.user('user:default/other'),
      }),
    ).rejects.toThrow('Not allowed: onepassword.secrets.read');
    expect(calls).toEqual([]);
  });

  it('names a malformed entity ref', async () => {
    const { actionsRegistry } = setUp(['onepassword.secrets.read']);
    await expect(
      actionsRegistry.invoke({
        id: 'test:get-entity-secret-sync-status',
        input: { entityRef: 'component:' },
        credentials: mockCredentials.user(),
      }),
    ).rejects.toThrow(/Invalid entityRef 'component:'/);
  });

  it('lists the Secrets needing attention with the audit permission, through the audit query', async () => {
    const { actionsRegistry, calls } = setUp(['onepassword.audit.read']);
    const { output } = await actionsRegistry.invoke({
      id: 'test:list-unhealthy-secrets',
      input: { cluster: ['dev-eu'], limit: 10 },
      credentials: mockCredentials.user('user:default/platform'),
    });
    expect(output).toMatchObject({
      total: 7,
      secrets: [
        { entityRef: 'component:default/payments-api', status: 'stale' },
      ],
    });
    const [[, request]] = calls as Array<[string, any]>;
    expect(request).toMatchObject({ cluster: ['dev-eu'], limit: 10 });
    expect(request.status).not.toContain('in-sync');
    expect(request.status).not.toContain('pending');
    expect(request.status).toContain('stale');
  });

  it('lists the Secrets whose pods need a restart, whatever their status', async () => {
    const { actionsRegistry, calls } = setUp(['onepassword.audit.read']);
    await actionsRegistry.invoke({
      id: 'test:list-unhealthy-secrets',
      input: { restartNeeded: true },
      credentials: mockCredentials.user('user:default/platform'),
    });
    const [[, request]] = calls as Array<[string, any]>;
    expect(request).toMatchObject({ restartNeeded: true });
    expect(request.status).toBeUndefined();
  });

  it('refuses the list without the audit permission', async () => {
    const { actionsRegistry, calls } = setUp(['onepassword.secrets.read']);
    await expect(
      actionsRegistry.invoke({
        id: 'test:list-unhealthy-secrets',
        input: {},
        credentials: mockCredentials.user(),
      }),
    ).rejects.toThrow('Not allowed: onepassword.audit.read');
    expect(calls).toEqual([]);
  });

  it('never hands an agent more than the record facts', async () => {
    const { actionsRegistry } = setUp(['onepassword.secrets.read']);
    const { output } = await actionsRegistry.invoke({
      id: 'test:get-entity-secret-sync-status',
      input: { entityRef: 'component:default/payments-api' },
      credentials: mockCredentials.user(),
    });
    const [secret] = (output as { secrets: Array<Record<string, unknown>> })
      .secrets;
    expect(Object.keys(secret).sort()).toEqual(
      [
        'autoRestart',
        'cluster',
        'connectHint',
        'connectServer',
        'hint',
        'itemPath',
        'itemTitle',
        'itemUpdatedAt',
        'itemVersion',
        'message',
        'namespace',
        'nextPollBy',
        'pollingIntervalSeconds',
        'restartHint',
        'restartNeeded',
        'secretName',
        'secretVersion',
        'status',
        'statusSince',
        'syncedAt',
        'vaultName',
      ].sort(),
    );
  });
});
