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

/**
 * Fills a fresh cluster with a scenario's objects as they would be after a
 * Helm install of the operator and the teams' own deployments, including
 * history from before the sandbox started (Secrets the operator synced then).
 */

import { randomUUID } from 'node:crypto';
import { SandboxLogger, silentLogger } from '../logger';
import {
  connectDeployment,
  connectService,
  credentialsFile,
  credentialsSecret,
  IN_CLUSTER_CONNECT_HOST,
} from '../operator/inClusterConnect';
import {
  ClusterSpec,
  DeploymentSpec,
  OnePasswordItemSpec,
} from '../scenario/types';
import {
  DEFAULT_OPERATOR_NAME,
  DEFAULT_OPERATOR_NAMESPACE,
  DEFAULT_OPERATOR_VERSION,
  DEFAULT_POLLING_INTERVAL_SECONDS,
  operatorDeployment,
  operatorTokenSecret,
} from '../operator/helmManifests';
import {
  OperatorConnectClient,
  OperatorItem,
  parseItemPath,
} from '../operator/OperatorConnectClient';
import {
  AUTO_RESTART_ANNOTATION,
  buildSecret,
  FINALIZER,
  readyStatus,
} from '../operator/operatorModel';
import {
  DEPLOYMENT_EVENT_COMPONENT,
  OPERATOR_FIELD_MANAGER,
} from '../operator/OperatorSimulator';
import { podSpecFor } from './podTemplates';
import { kubernetesTime, ResourceStore } from './ResourceStore';
import { KubeObject } from './types';

/** The field manager of objects the scenario's people applied. */
const SCENARIO_MANAGER = 'kubectl-client-side-apply';
const OPI = 'onepassworditems.onepassword.com';

interface SeedOptions {
  store: ResourceStore;
  spec: ClusterSpec;
  connect: {
    url: string;
    /** The operator's token. */
    token: string;
    /**
     * A token that can read every vault, used only to fill in history that
     * predates the operator token losing access; defaults to `token`.
     */
    seedToken?: string;
  };
  logger?: SandboxLogger;
}

/** Where the operator is installed in the cluster. */
export function operatorLocation(spec: ClusterSpec) {
  return {
    namespace: spec.operator.namespace ?? DEFAULT_OPERATOR_NAMESPACE,
    deploymentName: spec.operator.deploymentName ?? DEFAULT_OPERATOR_NAME,
  };
}

function namespaceObject(
  name: string,
  labels: Record<string, string> = {},
  annotations?: Record<string, string>,
): KubeObject {
  return {
    metadata: {
      name,
      labels: { ...labels, 'kubernetes.io/metadata.name': name },
      ...(annotations ? { annotations } : {}),
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

function deploymentObject(namespace: string, spec: DeploymentSpec): KubeObject {
  const selector = { 'app.kubernetes.io/name': spec.name };
  return {
    metadata: {
      name: spec.name,
      namespace,
      labels: { ...selector, ...spec.labels },
      ...(spec.annotations ? { annotations: spec.annotations } : {}),
    },
    spec: {
      replicas: spec.replicas ?? 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { ...selector, ...spec.labels } },
        spec: podSpecFor(spec),
      },
    },
  };
}

function onePasswordItemObject(
  namespace: string,
  spec: OnePasswordItemSpec,
): KubeObject {
  return {
    metadata: {
      name: spec.name,
      namespace,
      ...(spec.labels ? { labels: spec.labels } : {}),
      ...(spec.annotations ? { annotations: spec.annotations } : {}),
      ...(spec.syncedSecret
        ? {
            creationTimestamp: kubernetesTime(
              new Date(spec.syncedSecret.syncedAt),
            ),
          }
        : {}),
    },
    ...(spec.type ? { type: spec.type } : {}),
    spec: { itemPath: spec.itemPath },
  };
}

/**
 * The item as the operator read it back then. Its content today stands in
 * for the content then; when no token can read it any more, the path stays
 * as written and the data is a placeholder.
 */
async function historicItem(
  client: OperatorConnectClient,
  spec: OnePasswordItemSpec,
  logger: SandboxLogger,
): Promise<OperatorItem> {
  const version = spec.syncedSecret!.version;
  try {
    return { ...(await client.getItemByPath(spec.itemPath)), version };
  } catch (error) {
    logger.warn(
      `Cannot read ${spec.itemPath} to seed the history of ${spec.name}`,
      {
        error: error instanceof Error ? error.message : String(error),
      },
    );
    const { vault, item } = parseItemPath(spec.itemPath);
    return {
      id: item,
      title: item,
      vaultId: vault,
      version,
      tags: [],
      fields: [{ label: 'value', value: 'synced-before-sandbox-CANARY' }],
      urls: [],
      files: [],
    };
  }
}

/** How many history items are read from Connect at once; large scenarios have thousands. */
const HISTORY_READ_CONCURRENCY = 16;

async function readHistory(
  specs: OnePasswordItemSpec[],
  read: (spec: OnePasswordItemSpec) => Promise<OperatorItem>,
): Promise<Map<OnePasswordItemSpec, OperatorItem>> {
  const items = new Map<OnePasswordItemSpec, OperatorItem>();
  let next = 0;
  const worker = async () => {
    while (next < specs.length) {
      const spec = specs[next++];
      items.set(spec, await read(spec));
    }
  };
  await Promise.all(Array.from({ length: HISTORY_READ_CONCURRENCY }, worker));
  return items;
}

/** Creates the scenario's namespaces, operator install, workloads and history. */
export async function seedCluster(options: SeedOptions): Promise<void> {
  const { store, spec } = options;
  const logger = options.logger ?? silentLogger;
  const operator = spec.operator;
  const { namespace: operatorNamespace, deploymentName } =
    operatorLocation(spec);
  const apply = { manager: SCENARIO_MANAGER };

  const namespaces = new Map<string, KubeObject>();
  for (const name of ['default', 'kube-system', operatorNamespace]) {
    namespaces.set(name, namespaceObject(name));
  }
  for (const namespace of spec.namespaces) {
    namespaces.set(
      namespace.name,
      namespaceObject(namespace.name, namespace.labels, namespace.annotations),
    );
  }
  for (const namespace of namespaces.values())
    store.create('namespaces', namespace, apply);

  const helm = { manager: 'helm' };
  // Installed before the pods that read them started.
  const installedBefore = (startedAt?: string) => ({
    ...helm,
    at: startedAt ? new Date(Date.parse(startedAt) - 60_000) : undefined,
  });
  store.create(
    'secrets',
    operatorTokenSecret(operatorNamespace, options.connect.token),
    installedBefore(operator.startedAt),
  );
  const inCluster = operator.inClusterConnect;
  if (inCluster) {
    const installed = installedBefore(inCluster.startedAt);
    store.create(
      'secrets',
      credentialsSecret(
        operatorNamespace,
        credentialsFile(randomUUID()),
        inCluster.credentialsEncoding ?? 'twice',
      ),
      installed,
    );
    store.create('services', connectService(operatorNamespace), installed);
    store.create(
      'deployments.apps',
      connectDeployment(operatorNamespace),
      installed,
    );
  }
  const deployment = operatorDeployment({
    name: deploymentName,
    namespace: operatorNamespace,
    version: operator.version ?? DEFAULT_OPERATOR_VERSION,
    connectHost: inCluster ? IN_CLUSTER_CONNECT_HOST : options.connect.url,
    pollingIntervalSeconds:
      operator.pollingIntervalSeconds ?? DEFAULT_POLLING_INTERVAL_SECONDS,
    autoRestart: operator.autoRestart ?? false,
    watchNamespaces: operator.watchNamespaces,
  });
  if (operator.running === false) deployment.spec.replicas = 0;
  store.create(
    'deployments.apps',
    deployment,
    installedBefore(operator.startedAt),
  );

  const seedClient = new OperatorConnectClient(
    options.connect.url,
    options.connect.seedToken ?? options.connect.token,
  );
  const historicItems = await readHistory(
    spec.namespaces.flatMap(namespace =>
      (namespace.onePasswordItems ?? []).filter(item => item.syncedSecret),
    ),
    itemSpec => historicItem(seedClient, itemSpec, logger),
  );
  for (const namespace of spec.namespaces) {
    for (const workload of namespace.deployments ?? []) {
      const created = store.create(
        'deployments.apps',
        deploymentObject(namespace.name, workload),
        apply,
      );
      for (const event of workload.events ?? []) {
        const at = kubernetesTime(event.at ? new Date(event.at) : new Date());
        store.create(
          'events',
          {
            metadata: {
              generateName: `${workload.name}.`,
              namespace: namespace.name,
            },
            involvedObject: {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: workload.name,
              namespace: namespace.name,
              uid: created.metadata.uid,
            },
            reason: event.reason,
            message: event.message,
            source: { component: DEPLOYMENT_EVENT_COMPONENT },
            firstTimestamp: at,
            lastTimestamp: at,
            count: 1,
            type: 'Warning',
            reportingComponent: DEPLOYMENT_EVENT_COMPONENT,
          },
          { manager: OPERATOR_FIELD_MANAGER, at: new Date(at) },
        );
      }
    }
    for (const itemSpec of namespace.onePasswordItems ?? []) {
      const created = store.create(
        OPI,
        onePasswordItemObject(namespace.name, itemSpec),
        apply,
      );
      const history = itemSpec.syncedSecret;
      if (!history) continue;
      const at = new Date(history.syncedAt);
      const written = { manager: OPERATOR_FIELD_MANAGER, at };
      const withFinalizer = store.mergePatch(
        OPI,
        namespace.name,
        itemSpec.name,
        { metadata: { finalizers: [FINALIZER] } },
        written,
      );
      store.mergePatch(
        OPI,
        namespace.name,
        itemSpec.name,
        { status: readyStatus(undefined, undefined, kubernetesTime(at)) },
        { ...written, subresource: 'status' },
      );
      const item = historicItems.get(itemSpec)!;
      const autoRestart = itemSpec.annotations?.[AUTO_RESTART_ANNOTATION];
      store.create(
        'secrets',
        buildSecret({
          name: itemSpec.name,
          namespace: namespace.name,
          item,
          annotations: autoRestart
            ? { [AUTO_RESTART_ANNOTATION]: autoRestart }
            : {},
          labels: itemSpec.labels,
          type: itemSpec.type,
          owner: {
            ...withFinalizer,
            metadata: { ...withFinalizer.metadata, uid: created.metadata.uid },
          },
        }),
        written,
      );
    }
  }
}
