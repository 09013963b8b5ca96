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

import type { Scenario } from '@internal/sandbox';

/** Backstage's Connect token on each of the fault scenario's servers. */
export const TOKENS = {
  main: 'fault-token-main-7d1f',
  second: 'fault-token-second-93ab',
};
const kid = (id: string) => ({ 'backstage.io/kubernetes-id': id });

function connectSpec(name: string, vault: string) {
  return {
    name,
    port: 0,
    tokens: [
      {
        name: 'backstage',
        token: TOKENS[name as keyof typeof TOKENS],
        vaults: [vault],
      },
      { name: 'operator', token: `op-${name}`, vaults: [vault] },
    ],
    vaults: [
      {
        name: vault,
        items: [
          {
            title: `${vault}-db`,
            category: 'PASSWORD' as const,
            fields: [
              {
                label: 'password',
                purpose: 'PASSWORD' as const,
                value: `${vault}-CANARY`,
              },
            ],
          },
        ],
      },
    ],
  };
}

function clusterSpec(
  name: string,
  server: string,
  namespace: string,
  vault: string,
) {
  return {
    name,
    port: 0,
    tokens: [`k8s-admin-${name}`, `k8s-reader-${name}`],
    operator: {
      connectServer: server,
      connectToken: 'operator',
      pollingIntervalSeconds: 60,
      autoRestart: false,
      watchNamespaces: [namespace],
    },
    namespaces: [
      {
        name: namespace,
        onePasswordItems: [
          {
            name: `${vault}-db`,
            itemPath: `vaults/${vault}/items/${vault}-db`,
            labels: kid(`${vault}-api`),
          },
        ],
      },
    ],
  };
}

/**
 * Two Connect servers, each serving one cluster's operator: 'dev' (server
 * 'main', vault payments) and 'prod' (server 'second', vault storefront).
 * Backstage reads cluster `c` with the token `k8s-reader-<c>`.
 */
export const FAULT_SCENARIO: Scenario = {
  name: 'connect-faults',
  connect: [
    connectSpec('main', 'payments'),
    connectSpec('second', 'storefront'),
  ],
  clusters: [
    clusterSpec('dev', 'main', 'payments', 'payments'),
    clusterSpec('prod', 'second', 'storefront', 'storefront'),
  ],
} as Scenario;
