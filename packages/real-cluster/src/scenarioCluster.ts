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

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  CertificateAuthority,
  ClusterSpec,
  collectionPath,
  operatorLocation,
  ResourceStore,
  seedCluster,
} from '@internal/sandbox';
import { RealBinaries, requireRealBinaries } from './binaries';
import { ManagedProcess } from './ManagedProcess';
import { RealCluster } from './RealCluster';
import { startRealOperator } from './RealOperator';

/** The static-token user the real operator runs as, bound to its own ClusterRole. */
export const OPERATOR_USER = 'onepassword-connect-operator';
/** What the scenario's other tokens may do: read everything, as on the sandbox. */
export const READER_CLUSTER_ROLE = 'test-world-reader';

const RESOURCE_ORDER = [
  'namespaces',
  'deployments.apps',
  'onepassworditems.onepassword.com',
  'secrets',
  'events',
] as const;

const API_VERSIONS: Record<(typeof RESOURCE_ORDER)[number], [string, string]> =
  {
    namespaces: ['v1', 'Namespace'],
    'deployments.apps': ['apps/v1', 'Deployment'],
    'onepassworditems.onepassword.com': [
      'onepassword.com/v1',
      'OnePasswordItem',
    ],
    secrets: ['v1', 'Secret'],
    events: ['v1', 'Event'],
  };

export interface ScenarioClusterOptions {
  /** The cluster's scenario entry, times resolved (`loadScenario`). */
  spec: ClusterSpec;
  /** The Connect server the operator talks to and its token (as for `startKubernetesCluster`). */
  connect: { url: string; token: string; seedToken?: string };
  workDir: string;
  ca?: CertificateAuthority;
  port?: number;
  binaries?: RealBinaries;
  /** Start the real operator (unless the scenario says it is not running); default true. */
  operator?: boolean;
}

/** A real cluster holding a scenario's objects, with the real operator running against it. */
export interface ScenarioCluster {
  name: string;
  cluster: RealCluster;
  /** The running operator process, if any. */
  operator?: ManagedProcess;
  /** The operator's container environment, read from its Deployment as the kubelet would. */
  operatorEnv(): Promise<Record<string, string | undefined>>;
  /** Stops the operator (if running) and starts it again, optionally with other variables. */
  restartOperator(
    overrides?: Record<string, string | undefined>,
  ): Promise<ManagedProcess>;
  stopOperator(): Promise<void>;
  stop(): Promise<void>;
}

/** The parts of an object a client sends on create; the server owns the rest. */
function forCreate(resource: (typeof RESOURCE_ORDER)[number], object: any) {
  const [apiVersion, kind] = API_VERSIONS[resource];
  const {
    uid: _uid,
    resourceVersion: _resourceVersion,
    creationTimestamp: _creationTimestamp,
    generation: _generation,
    managedFields: _managedFields,
    deletionTimestamp: _deletionTimestamp,
    ...metadata
  } = object.metadata;
  const { status: _status, ...rest } = object;
  return { ...rest, apiVersion, kind, metadata };
}

/**
 * Copies what the sandbox's scenario seeding puts into a fresh cluster (the
 * Helm install of the operator, namespaces, workloads, OnePasswordItems and
 * their history) into a real API server, so the sandbox and the real world
 * start from the same objects. Owner and event references get the new uids.
 */
async function copyScenarioObjects(
  cluster: RealCluster,
  store: ResourceStore,
): Promise<void> {
  const uids = new Map<string, string>();
  for (const resource of RESOURCE_ORDER) {
    for (const object of store.list(resource).items) {
      if (resource === 'namespaces') {
        const existing = await cluster.api.request({
          path: `/api/v1/namespaces/${object.metadata.name}`,
        });
        if (existing.status === 200) {
          uids.set(object.metadata.uid!, existing.body.metadata.uid);
          continue;
        }
      }
      const body = forCreate(resource, object);
      if (body.metadata.ownerReferences) {
        body.metadata.ownerReferences = body.metadata.ownerReferences.map(
          (owner: any) => ({ ...owner, uid: uids.get(owner.uid) ?? owner.uid }),
        );
      }
      if (resource === 'events' && body.involvedObject?.uid) {
        body.involvedObject = {
          ...body.involvedObject,
          uid: uids.get(body.involvedObject.uid) ?? body.involvedObject.uid,
        };
      }
      const created = await cluster.create(body);
      uids.set(object.metadata.uid!, created.metadata.uid);
      if (object.status && resource !== 'namespaces') {
        await cluster.api.expectOk({
          method: 'PATCH',
          path: `${collectionPath(body)}/${created.metadata.name}/status`,
          body: { status: object.status },
        });
      }
    }
  }
}

async function setUpRbac(cluster: RealCluster, readers: string[]) {
  await cluster.applyYamlFile(cluster.binaries.operatorRole);
  const role = parse(readFileSync(cluster.binaries.operatorRole, 'utf8'));
  await cluster.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: OPERATOR_USER },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: role.metadata.name,
    },
    subjects: [
      {
        kind: 'User',
        name: OPERATOR_USER,
        apiGroup: 'rbac.authorization.k8s.io',
      },
    ],
  });
  await cluster.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: READER_CLUSTER_ROLE },
    rules: [
      { apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] },
    ],
  });
  await cluster.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: READER_CLUSTER_ROLE },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: READER_CLUSTER_ROLE,
    },
    subjects: readers.map(name => ({
      kind: 'User',
      name,
      apiGroup: 'rbac.authorization.k8s.io',
    })),
  });
}

/**
 * Starts a real API server for one scenario cluster: the scenario's first
 * token is the admin's, the others read everything (as on the sandbox), and
 * the operator runs with its own token and the operator module's ClusterRole.
 */
export async function startScenarioCluster(
  options: ScenarioClusterOptions,
): Promise<ScenarioCluster> {
  const { spec } = options;
  const binaries = options.binaries ?? requireRealBinaries();
  const readers = spec.tokens
    .slice(1)
    .map((token, index) => ({ token, name: `reader-${index + 1}` }));
  const operatorToken = `operator-${spec.name}-${Date.now()}`;
  const cluster = await RealCluster.start({
    name: spec.name,
    workDir: options.workDir,
    ca: options.ca,
    adminToken: spec.tokens[0],
    users: [...readers, { token: operatorToken, name: OPERATOR_USER }],
    binaries,
    port: options.port,
  });
  const location = operatorLocation(spec);
  let operator: ManagedProcess | undefined;
  let generation = 0;
  try {
    await setUpRbac(
      cluster,
      readers.map(reader => reader.name),
    );
    const store = ResourceStore.create();
    await seedCluster({ store, spec, connect: options.connect });
    await copyScenarioObjects(cluster, store);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  const kubeconfig = cluster.writeKubeconfig(
    'operator.kubeconfig',
    operatorToken,
  );

  const operatorEnv = async () => {
    const deployment = await cluster.api.expectOk({
      path: `/apis/apps/v1/namespaces/${location.namespace}/deployments/${location.deploymentName}`,
    });
    const env: Record<string, string | undefined> = {};
    for (const variable of deployment.spec.template.spec.containers[0].env ??
      []) {
      const ref = variable.valueFrom?.secretKeyRef;
      if (ref) {
        const secret = await cluster.api.expectOk({
          path: `/api/v1/namespaces/${location.namespace}/secrets/${ref.name}`,
        });
        env[variable.name] = Buffer.from(
          secret.data?.[ref.key] ?? '',
          'base64',
        ).toString('utf8');
      } else if (variable.value !== undefined) {
        env[variable.name] = variable.value;
      }
    }
    return env;
  };

  const start = async (overrides: Record<string, string | undefined> = {}) => {
    generation += 1;
    operator = await startRealOperator({
      binary: binaries.operator,
      kubeconfig,
      env: { ...(await operatorEnv()), ...overrides },
      namespace: location.namespace,
      logFile: join(cluster.directory, `operator-${generation}.log`),
    });
    return operator;
  };
  const stopOperator = async () => {
    await operator?.stop();
    operator = undefined;
  };

  if (options.operator !== false && spec.operator.running !== false) {
    await start();
  }
  return {
    name: spec.name,
    cluster,
    get operator() {
      return operator;
    },
    operatorEnv,
    restartOperator: async overrides => {
      await stopOperator();
      return start(overrides);
    },
    stopOperator,
    stop: async () => {
      await stopOperator();
      await cluster.stop();
    },
  };
}
