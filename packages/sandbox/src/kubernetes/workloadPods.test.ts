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

import { ResourceStore } from './ResourceStore';
import { KubeObject } from './types';
import { WorkloadPods } from './workloadPods';

const manager = { manager: 'kubectl-client-side-apply' };
const settle = () => new Promise(resolve => setTimeout(resolve, 0));

function deployment(
  name: string,
  image = 'example/app:1',
  replicas = 2,
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'payments' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'app',
              image,
              env: [
                {
                  name: 'DB_PASSWORD',
                  valueFrom: { secretKeyRef: { name: 'db', key: 'password' } },
                },
              ],
            },
          ],
        },
      },
    },
  };
}

describe('WorkloadPods', () => {
  let now: Date;
  let store: ResourceStore;
  let controller: WorkloadPods;

  const pods = (app: string) =>
    store
      .list('pods', { namespace: 'payments' })
      .items.filter(pod => pod.metadata.labels?.app === app);

  beforeEach(() => {
    now = new Date('2026-11-28T10:00:00.000Z');
    store = ResourceStore.create({ clock: () => now });
    store.create(
      'namespaces',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments' } },
      manager,
    );
    store.create('deployments.apps', deployment('payments-api'), manager);
    store.create(
      'deployments.apps',
      deployment(
        'onepassword-connect-operator',
        '1password/onepassword-operator:1.12.0',
        1,
      ),
      manager,
    );
    controller = WorkloadPods.start({
      store,
      skip: d => d.metadata.name === 'onepassword-connect-operator',
      // Scenario history for the seeded Deployment only.
      startedAt: d =>
        d.metadata.name === 'payments-api'
          ? new Date('2026-11-27T10:00:00.000Z')
          : undefined,
      clock: () => now,
    });
  });

  afterEach(() => controller.stop());

  it('runs replicas Pods of each Deployment, created at the scenario time, owned through a ReplicaSet', async () => {
    await settle();
    const running = pods('payments-api');
    expect(running).toHaveLength(2);
    for (const pod of running) {
      expect(pod.metadata.creationTimestamp).toBe('2026-11-27T10:00:00Z');
      expect(pod.metadata.ownerReferences?.[0]).toMatchObject({
        kind: 'ReplicaSet',
        name: `payments-api-${pod.metadata.labels?.['pod-template-hash']}`,
      });
      expect(pod.status?.phase).toBe('Running');
    }
    // The simulator shows the operator's Pod: this controller leaves it alone.
    expect(pods('onepassword-connect-operator')).toEqual([]);
  });

  it('rolls the Pods out when the pod template changes, as a restart stamp does', async () => {
    await settle();
    const before = pods('payments-api').map(p => p.metadata.name);
    now = new Date('2026-11-28T11:00:00.000Z');
    store.mergePatch(
      'deployments.apps',
      'payments',
      'payments-api',
      {
        spec: {
          template: {
            metadata: {
              annotations: {
                'operator.1password.io/last-restarted': now.toISOString(),
              },
            },
          },
        },
      },
      { manager: 'manager' },
    );
    await settle();
    const after = pods('payments-api');
    expect(after).toHaveLength(2);
    expect(
      after.map(p => p.metadata.name).filter(name => before.includes(name)),
    ).toEqual([]);
    expect(after.map(p => p.metadata.creationTimestamp)).toEqual([
      '2026-11-28T11:00:00Z',
      '2026-11-28T11:00:00Z',
    ]);
  });

  it('leaves the Pods alone on a change outside the template, such as status', async () => {
    await settle();
    const before = pods('payments-api').map(p => p.metadata.name);
    store.mergePatch(
      'deployments.apps',
      'payments',
      'payments-api',
      { metadata: { labels: { team: 'payments' } } },
      manager,
    );
    await settle();
    expect(pods('payments-api').map(p => p.metadata.name)).toEqual(before);
  });

  it('scales, and removes the Pods of a deleted Deployment', async () => {
    await settle();
    store.mergePatch(
      'deployments.apps',
      'payments',
      'payments-api',
      { spec: { replicas: 0 } },
      manager,
    );
    await settle();
    expect(pods('payments-api')).toEqual([]);
    store.mergePatch(
      'deployments.apps',
      'payments',
      'payments-api',
      { spec: { replicas: 1 } },
      manager,
    );
    await settle();
    expect(pods('payments-api')).toHaveLength(1);
    store.delete('deployments.apps', 'payments', 'payments-api', manager);
    await settle();
    expect(pods('payments-api')).toEqual([]);
  });

  it('makes Pods for a Deployment created later, at the time of its creation', async () => {
    await settle();
    now = new Date('2026-11-28T12:00:00.000Z');
    store.create(
      'deployments.apps',
      deployment('orders-worker', 'example/orders:1', 1),
      manager,
    );
    await settle();
    const [pod] = pods('orders-worker');
    expect(pod.metadata.creationTimestamp).toBe('2026-11-28T12:00:00Z');
  });
});
