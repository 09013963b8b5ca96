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

import { mockServices } from '@backstage/backend-test-utils';
import { KubernetesProxyClient } from './KubernetesProxyClient';
import { podRows, readClusterFacts } from './readClusterFacts';
import { ClusterCollectionCache } from './watch/ClusterCollectionCache';

/** Answers lists in pages of one item, and records every path asked. */
function pagingClient(items: Record<string, Array<{ metadata: any }>>) {
  const asked: string[] = [];
  const page = (path: string) => {
    asked.push(path);
    const url = new URL(path, 'http://cluster');
    const all = items[url.pathname] ?? [];
    const start = Number(url.searchParams.get('continue') ?? 0);
    const next = start + 1 < all.length ? String(start + 1) : undefined;
    return {
      kind: /\/(secrets|pods)$/.test(url.pathname)
        ? 'PartialObjectMetadataList'
        : 'List',
      metadata: { continue: next },
      items: all.slice(start, start + 1),
    };
  };
  const client = {
    async get(_cluster: string, path: string) {
      return page(path);
    },
    async open(_cluster: string, path: string) {
      return new Response(JSON.stringify(page(path)), { status: 200 });
    },
  } as unknown as KubernetesProxyClient;
  const collections = ClusterCollectionCache.create({
    client,
    logger: mockServices.logger.mock(),
    watch: false,
  });
  return { client, collections, asked };
}

describe('readClusterFacts', () => {
  it('follows continue tokens and narrows events with a fieldSelector', async () => {
    const annotations = {
      'operator.1password.io/item-path': 'vaults/a/items/b',
      'operator.1password.io/item-version': '1',
    };
    const { client, collections, asked } = pagingClient({
      '/api/v1/secrets': [
        { metadata: { name: 's1', namespace: 'a', annotations } },
        { metadata: { name: 's2', namespace: 'a', annotations } },
        { metadata: { name: 's3', namespace: 'a', annotations } },
      ],
    });
    const facts = await readClusterFacts(client, collections, 'dev');
    expect(facts.secrets.map(s => s.name)).toEqual(['s1', 's2', 's3']);
    expect(asked.filter(p => p.startsWith('/api/v1/secrets'))).toEqual([
      '/api/v1/secrets?limit=500',
      '/api/v1/secrets?limit=500&continue=1',
      '/api/v1/secrets?limit=500&continue=2',
    ]);
    expect(asked).toContain(
      `/api/v1/events?${new URLSearchParams({
        fieldSelector: 'involvedObject.kind=Deployment,type=Warning',
        limit: '500',
      })}`,
    );
  });

  it('reads pods metadata-only, only in namespaces where a Deployment reads a synced Secret', async () => {
    const annotations = {
      'operator.1password.io/item-path': 'vaults/a/items/b',
      'operator.1password.io/item-version': '1',
    };
    const deployment = (namespace: string, secretName: string) => ({
      metadata: { name: 'api', namespace },
      spec: {
        selector: { matchLabels: { app: 'api' } },
        template: {
          spec: {
            containers: [
              {
                name: 'api',
                envFrom: [{ secretRef: { name: secretName } }],
                env: [{ name: 'TOKEN', value: 'literal-CANARY' }],
              },
            ],
          },
        },
      },
    });
    const { client, collections, asked } = pagingClient({
      '/api/v1/secrets': [
        { metadata: { name: 'db', namespace: 'a', annotations } },
        { metadata: { name: 'db', namespace: 'b', annotations } },
      ],
      '/apis/apps/v1/deployments': [
        deployment('a', 'db'),
        deployment('b', 'unsynced'),
      ],
      '/api/v1/namespaces/a/pods': [
        {
          metadata: {
            name: 'api-1',
            namespace: 'a',
            labels: { app: 'api' },
            annotations: { note: 'kept out' },
            creationTimestamp: '2026-12-01T10:00:00Z',
            ownerReferences: [
              { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-x' },
            ],
          },
        },
      ],
    });
    const facts = await readClusterFacts(client, collections, 'dev');
    expect(asked.filter(p => p.includes('/pods'))).toEqual([
      '/api/v1/namespaces/a/pods?limit=500',
    ]);
    expect(facts.workloadPods).toEqual([
      {
        name: 'api-1',
        namespace: 'a',
        labels: { app: 'api' },
        creationTimestamp: '2026-12-01T10:00:00Z',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-x' },
        ],
      },
    ]);
    expect(JSON.stringify(facts.deployments)).not.toContain('CANARY');
  });
});

describe('readClusterFacts at scale', () => {
  const annotations = {
    'operator.1password.io/item-path': 'vaults/a/items/b',
    'operator.1password.io/item-version': '1',
  };
  const consumer = (namespace: string) => ({
    metadata: { name: 'api', namespace },
    spec: {
      selector: { matchLabels: { app: 'api' } },
      template: {
        spec: {
          containers: [
            { name: 'api', envFrom: [{ secretRef: { name: 'db' } }] },
          ],
        },
      },
    },
  });

  it('reads the pods of more than 8 consuming namespaces by one cluster-wide list, keeping those namespaces only', async () => {
    const namespaces = Array.from({ length: 9 }, (_, i) => `team-${i}`);
    const { client, collections, asked } = pagingClient({
      '/api/v1/secrets': namespaces.map(namespace => ({
        metadata: { name: 'db', namespace, annotations },
      })),
      '/apis/apps/v1/deployments': namespaces.map(consumer),
      '/api/v1/pods': [
        { metadata: { name: 'api-1', namespace: 'team-0' } },
        { metadata: { name: 'other', namespace: 'kube-system' } },
      ],
    });
    const facts = await readClusterFacts(client, collections, 'dev');
    expect(asked.filter(p => p.includes('/pods'))).toEqual([
      '/api/v1/pods?limit=500',
      '/api/v1/pods?limit=500&continue=1',
    ]);
    expect(facts.workloadPods.map(p => `${p.namespace}/${p.name}`)).toEqual([
      'team-0/api-1',
    ]);
  });

  it('keeps of a Secret only what the plugin reads: no other annotation, no other managedFields', async () => {
    const { client, collections } = pagingClient({
      '/api/v1/secrets': [
        {
          metadata: {
            name: 'db',
            namespace: 'a',
            annotations: {
              ...annotations,
              'kubectl.kubernetes.io/last-applied-configuration':
                '{"data":{"password":"CANARY"}}',
            },
            managedFields: [
              {
                manager: 'kubectl',
                time: '2026-12-01T09:00:00Z',
                fieldsV1: { 'f:data': { 'f:password': {} } },
              },
              {
                manager: 'onepassword-connect-operator',
                operation: 'Update',
                time: '2026-12-01T10:00:00Z',
                fieldsV1: {
                  'f:data': { 'f:password': {} },
                  'f:metadata': {
                    'f:annotations': {
                      'f:operator.1password.io/item-version': {},
                    },
                  },
                },
              },
            ],
          },
        },
      ],
    });
    const facts = await readClusterFacts(client, collections, 'dev');
    expect(facts.secrets).toHaveLength(1);
    expect(facts.secrets[0].annotations).toEqual(annotations);
    expect(facts.secrets[0].managedFields).toEqual([
      {
        manager: 'onepassword-connect-operator',
        operation: 'Update',
        time: '2026-12-01T10:00:00Z',
        fieldsV1: {
          'f:metadata': {
            'f:annotations': { 'f:operator.1password.io/item-version': {} },
          },
        },
      },
    ]);
    expect(JSON.stringify(facts)).not.toContain('CANARY');
  });
});

describe('podRows', () => {
  it('reads status and restarts from the printed columns', () => {
    expect(
      podRows(
        {
          columnDefinitions: [
            { name: 'Name' },
            { name: 'Ready' },
            { name: 'Status' },
            { name: 'Restarts' },
            { name: 'Age' },
          ],
          rows: [
            { cells: ['op-1', '0/1', 'CrashLoopBackOff', '7 (2m ago)', '1h'] },
          ],
        },
        'onepassword',
      ),
    ).toEqual([
      {
        name: 'op-1',
        namespace: 'onepassword',
        status: 'CrashLoopBackOff',
        restarts: 7,
        ready: '0/1',
      },
    ]);
  });
});
