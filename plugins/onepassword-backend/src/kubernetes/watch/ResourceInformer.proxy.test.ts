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

import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { Sandbox, Scenario, startSandbox } from '@internal/sandbox';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { eventually } from '../../__testUtils__/paymentsScenario';
import { requireVmModules } from '../../__testUtils__/testBackend';
import { KubernetesProxyClient } from '../KubernetesProxyClient';
import { ObjectMeta } from '../types';
import { ProxyCollectionTransport } from './ProxyCollectionTransport';
import { ClusterCollectionCache } from './ClusterCollectionCache';
import { CollectionRequestError, ResourceInformer } from './ResourceInformer';

jest.setTimeout(60_000);

const scenario: Scenario = {
  name: 'informer-proxy-test',
  connect: [
    {
      name: 'main',
      port: 0,
      tokens: [{ name: 'operator', token: 'test-operator', vaults: '*' }],
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
      tokens: ['test-k8s-admin'],
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
            },
          ],
        },
      ],
    },
  ],
} as unknown as Scenario;

describe('ResourceInformer through the Kubernetes plugin proxy', () => {
  let sandbox: Sandbox;
  let stateDir: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let client: KubernetesProxyClient;

  beforeAll(async () => {
    requireVmModules();
    stateDir = mkdtempSync(join(tmpdir(), 'informer-'));
    sandbox = await startSandbox(scenario, { anyPorts: true, stateDir });
    const cluster = sandbox.cluster('dev');
    backend = await startTestBackend({
      features: [
        kubernetesPlugin,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'dev',
                      url: cluster.url,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: cluster.adminToken,
                      caData: cluster.caData,
                      skipMetricsLookup: true,
                    },
                  ],
                },
              ],
            },
          },
        }),
      ],
    });
    const port = backend.server.port();
    client = KubernetesProxyClient.create({
      discovery: {
        getBaseUrl: async () => `http://localhost:${port}/api/kubernetes`,
        getExternalBaseUrl: async () =>
          `http://localhost:${port}/api/kubernetes`,
      },
      auth: mockServices.auth({ pluginId: 'onepassword' }),
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('lists metadata only, then sees a change in the cluster without another list', async () => {
    const informer = ResourceInformer.create<{ metadata: ObjectMeta }>({
      name: 'dev/secrets',
      transport: ProxyCollectionTransport.create({
        client,
        cluster: 'dev',
        path: '/api/v1/namespaces/payments/secrets',
        metadataOnly: true,
      }),
      keyOf: s => `${s.metadata.namespace}/${s.metadata.name}`,
      logger: mockServices.logger.mock(),
      pageSize: 1,
    });
    try {
      await sandbox.cluster('dev').operator.idle();
      await informer.sync();
      const listed = informer.items();
      expect(listed.map(s => s.metadata.name)).toContain('payments-db');
      // Nothing but metadata was held: no data, no value.
      for (const secret of listed) expect(secret).not.toHaveProperty('data');
      expect(JSON.stringify(listed)).not.toContain('CANARY');
      await eventually(() => expect(informer.getState().mode).toBe('watching'));
      const lists = informer.getState().listRequests;

      sandbox
        .cluster('dev')
        .api.mergePatch(
          'secrets',
          'payments',
          'payments-db',
          { metadata: { labels: { touched: 'yes' } } },
          { manager: 'kubectl-edit' },
        );
      await eventually(() =>
        expect(
          informer.items().find(s => s.metadata.name === 'payments-db')
            ?.metadata.labels?.touched,
        ).toBe('yes'),
      );
      expect(informer.getState().listRequests).toBe(lists);
      expect(JSON.stringify(informer.items())).not.toContain('CANARY');
    } finally {
      await informer.stop();
    }
  });

  it('reports an unreachable cluster as failing and recovers when it is back', async () => {
    const informer = ResourceInformer.create<{ metadata: ObjectMeta }>({
      name: 'dev/deployments',
      transport: ProxyCollectionTransport.create({
        client,
        cluster: 'dev',
        path: '/apis/apps/v1/deployments',
      }),
      keyOf: d => `${d.metadata.namespace}/${d.metadata.name}`,
      logger: mockServices.logger.mock(),
      backoff: { initialMs: 50, maxMs: 200 },
    });
    const faults = sandbox.cluster('dev').faults;
    try {
      faults.setDown(true);
      await informer.sync();
      expect(informer.getState()).toMatchObject({
        mode: 'failing',
        synced: false,
      });
      faults.setDown(false);
      await eventually(() => expect(informer.getState().synced).toBe(true));
      await eventually(() => expect(informer.getState().mode).toBe('watching'));
    } finally {
      faults.setDown(false);
      await informer.stop();
    }
  });

  it('answers repeated reads from the cache, and a missing collection with its status', async () => {
    const changes: string[] = [];
    const cache = ClusterCollectionCache.create({
      client,
      logger: mockServices.logger.mock(),
      onChange: cluster => changes.push(cluster),
    });
    try {
      const first = await cache.list<{ metadata: ObjectMeta }>('dev', {
        path: '/apis/onepassword.com/v1/onepassworditems',
      });
      expect(first.map(i => i.metadata.name)).toEqual(['payments-db']);
      const after = cache.requestCounts();
      for (let i = 0; i < 3; i++) {
        await cache.list('dev', {
          path: '/apis/onepassword.com/v1/onepassworditems',
        });
      }
      expect(cache.requestCounts().list).toBe(after.list);

      const error = await cache
        .list('dev', { path: '/apis/example.com/v1/widgets' })
        .catch(e => e);
      expect(error).toBeInstanceOf(CollectionRequestError);
      expect(error.statusCode).toBe(404);
      expect(cache.states('dev').map(s => [s.path, s.mode])).toEqual([
        ['/apis/onepassword.com/v1/onepassworditems', 'watching'],
        ['/apis/example.com/v1/widgets', 'failing'],
      ]);

      changes.length = 0;
      sandbox
        .cluster('dev')
        .api.mergePatch(
          'onepassworditems',
          'payments',
          'payments-db',
          { metadata: { labels: { touched: 'yes' } } },
          { manager: 'kubectl-edit' },
        );
      await eventually(() => expect(changes).toContain('dev'));
      const items = await cache.list<{ metadata: ObjectMeta }>('dev', {
        path: '/apis/onepassword.com/v1/onepassworditems',
      });
      expect(items[0].metadata.labels?.touched).toBe('yes');
      expect(cache.requestCounts().list).toBe(after.list + 1);
    } finally {
      await cache.stop();
    }
  });
});
