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

import { Scenario } from '@internal/sandbox';

/** The labels (and annotations) by which an entity selects its workloads. */
export const kubernetesIdLabels = (id: string) => ({
  'backstage.io/kubernetes-id': id,
});

/**
 * The smallest world of the backend's sandbox tests: Connect server `main`
 * with vault `payments` holding the password item `payments-db`, and cluster
 * `dev` whose operator (polling hourly, no auto-restart) syncs it into the
 * Secret `payments-db` of namespace `payments`, which Deployment
 * `payments-api` reads. Tokens: `test-backstage` and `test-operator` on
 * Connect, `test-k8s-admin` and `test-k8s-reader` on the cluster.
 */
export function paymentsScenario(name: string): Scenario {
  return {
    name,
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
                fields: [
                  {
                    label: 'password',
                    purpose: 'PASSWORD',
                    value: 'pw-CANARY',
                  },
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
        tokens: ['test-k8s-admin', 'test-k8s-reader'],
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
                labels: kubernetesIdLabels('payments-api'),
              },
            ],
            deployments: [
              {
                name: 'payments-api',
                labels: kubernetesIdLabels('payments-api'),
                secretRefs: ['payments-db'],
              },
            ],
          },
        ],
      },
    ],
  } as unknown as Scenario;
}

/** The catalog entity that owns the workloads of {@link paymentsScenario}. */
export const paymentsApiEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: kubernetesIdLabels('payments-api'),
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-payments' },
};

/** Tries `check` until it passes, or throws its last error after `timeoutMs`. */
export async function eventually(
  check: () => unknown,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise(resolve => setTimeout(resolve, intervalMs));
    }
  }
}
