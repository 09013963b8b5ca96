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

import { InputError } from '@backstage/errors';
import { ClusterSpec, NamespaceSpec, Scenario, VaultSpec } from './types';

/** Sizes of a generated scenario. @public */
export interface GenerateScenarioOptions {
  /** Services (catalog entities); each gets a namespace and a Deployment. */
  services: number;
  /** 1Password items; each is synced by one OnePasswordItem of one service. */
  items: number;
  clusters: number;
  vaults: number;
}

const pad = (value: number) => String(value).padStart(5, '0');

/** The `backstage.io/kubernetes-id` of generated service number `index`. */
export function generatedServiceName(index: number): string {
  return `service-${pad(index)}`;
}

/**
 * A large deterministic scenario for benchmarks: one Connect server `main`
 * (tokens `backstage`, `operator`, `admin`), `items` items spread round-robin
 * over `vaults` vaults and over `services` services, the services spread
 * round-robin over `clusters` clusters. Every fifth item was edited after its
 * Secret was synced (so statuses are not all green). All ports are 0.
 */
export function generateScenario(options: GenerateScenarioOptions): Scenario {
  for (const [key, value] of Object.entries(options)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new InputError(
        `generateScenario: ${key} must be a positive integer, got ${value}`,
      );
    }
  }
  const { services, items, clusters, vaults } = options;

  const vaultSpecs: VaultSpec[] = Array.from({ length: vaults }, (_, v) => ({
    name: `vault-${pad(v)}`,
    createdAt: '-400d',
    items: [],
  }));
  const clusterSpecs: ClusterSpec[] = Array.from(
    { length: clusters },
    (_, c) => ({
      name: `cluster-${pad(c)}`,
      port: 0,
      tokens: [
        `sandbox-k8s-cluster-${pad(c)}-admin`,
        `sandbox-k8s-cluster-${pad(c)}-reader`,
      ],
      operator: {
        connectServer: 'main',
        connectToken: 'operator',
        pollingIntervalSeconds: 600,
        autoRestart: false,
      },
      namespaces: [],
    }),
  );
  const namespaces: NamespaceSpec[] = Array.from(
    { length: services },
    (_, s) => {
      const service = generatedServiceName(s);
      const namespace: NamespaceSpec = {
        name: service,
        onePasswordItems: [],
        deployments: [
          {
            name: service,
            labels: { 'backstage.io/kubernetes-id': service },
            secretRefs: [],
          },
        ],
      };
      clusterSpecs[s % clusters].namespaces.push(namespace);
      return namespace;
    },
  );

  for (let i = 0; i < items; i++) {
    const vault = vaultSpecs[i % vaults];
    const title = `item-${pad(i)}`;
    const edited = i % 5 === 0;
    vault.items.push({
      title,
      category: 'LOGIN',
      version: edited ? 3 : 2,
      createdAt: '-200d',
      updatedAt: edited ? '-2h' : '-20d',
      fields: [
        { label: 'username', purpose: 'USERNAME', value: `user-${i}-CANARY` },
        { label: 'password', purpose: 'PASSWORD', value: `pw-CANARY-${i}` },
      ],
    });
    const namespace = namespaces[i % services];
    namespace.onePasswordItems!.push({
      name: title,
      itemPath: `vaults/${vault.name}/items/${title}`,
      labels: { 'backstage.io/kubernetes-id': namespace.name },
      syncedSecret: { version: 2, syncedAt: '-10d' },
    });
    namespace.deployments![0].secretRefs!.push(title);
  }

  return {
    name: `generated-s${services}-i${items}-c${clusters}-v${vaults}`,
    connect: [
      {
        name: 'main',
        port: 0,
        tokens: [
          {
            name: 'backstage',
            token: 'sandbox-connect-main-backstage',
            vaults: '*',
            write: true,
          },
          {
            name: 'operator',
            token: 'sandbox-connect-main-operator',
            vaults: '*',
          },
          {
            name: 'admin',
            token: 'sandbox-connect-main-admin',
            vaults: '*',
            write: true,
          },
        ],
        vaults: vaultSpecs,
      },
    ],
    clusters: clusterSpecs,
  };
}

/** Reads `services=N,items=M,clusters=C,vaults=V` (the CLI's `--generate`). */
export function parseGenerateOptions(text: string): GenerateScenarioOptions {
  const sizes: Record<string, number> = {
    services: 10,
    items: 40,
    clusters: 2,
    vaults: 4,
  };
  for (const part of text.split(',').filter(Boolean)) {
    const [key, value] = part.split('=');
    if (!(key in sizes)) {
      throw new InputError(
        `--generate: unknown size '${key}' (expected services, items, clusters, vaults)`,
      );
    }
    if (!/^\d+$/.test(value ?? '')) {
      throw new InputError(
        `--generate: ${key} must be a positive integer, got '${value ?? ''}'`,
      );
    }
    sizes[key] = Number(value);
  }
  return sizes as unknown as GenerateScenarioOptions;
}
