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

import {
  ConnectDeploymentInput,
  findSecretReferences,
  InClusterConnectState,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { OperatorDeploymentFacts } from './operatorDeployments';
import {
  ClusterFacts,
  DeploymentResource,
  ObjectMeta,
  PodStatusRow,
  ServiceResource,
} from './types';

/** A Service of the cluster, by the name an in-cluster client resolves. */
export interface ServiceName {
  namespace: string;
  name: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The Service an `OP_CONNECT_HOST` names, as cluster DNS resolves it from
 * the operator's namespace: `name`, `name.namespace`, `name.namespace.svc`
 * or `name.namespace.svc.<cluster domain>`. Null for an address or an
 * outside host (Connect outside the cluster).
 */
export function connectServiceOf(
  connectHost: string | null,
  operatorNamespace: string,
  namespaces: ReadonlySet<string>,
): ServiceName | null {
  if (!connectHost) return null;
  let hostname: string;
  try {
    hostname = new URL(connectHost).hostname;
  } catch {
    return null;
  }
  const labels = hostname.split('.');
  if (!labels.every(label => DNS_LABEL.test(label))) return null;
  if (labels.length === 1) {
    return hostname === 'localhost'
      ? null
      : { namespace: operatorNamespace, name: hostname };
  }
  const [name, namespace, ...rest] = labels;
  if (rest.length === 0) {
    // `name.namespace` or an outside `example.com`: only a namespace of the
    // cluster makes it a Service.
    return namespaces.has(namespace) ? { namespace, name } : null;
  }
  return rest[0] === 'svc' ? { namespace, name } : null;
}

/** The Deployment whose pod template labels carry every label the Service selects. */
export function deploymentBehind(
  service: ServiceResource | undefined,
  deployments: DeploymentResource[],
): DeploymentResource | undefined {
  const selector = Object.entries(service?.spec?.selector ?? {});
  if (!service || selector.length === 0) return undefined;
  const namespace = service.metadata.namespace ?? 'default';
  return deployments.find(
    d =>
      (d.metadata.namespace ?? 'default') === namespace &&
      selector.every(
        ([key, value]) => d.spec?.template?.metadata?.labels?.[key] === value,
      ),
  );
}

/** The Secret Connect reads its credentials from: named for them, else the first referenced. */
export function credentialsSecretOf(
  deployment: DeploymentResource,
): string | null {
  const references = findSecretReferences(deployment.spec?.template?.spec);
  const named = references.find(r =>
    /credential|op-session/i.test(`${r.secretName} ${r.key ?? ''}`),
  );
  return (named ?? references[0])?.secretName ?? null;
}

/**
 * The Secret the operator's token comes from: `OP_CONNECT_TOKEN`, or
 * `OP_SERVICE_ACCOUNT_TOKEN` for a service-account operator; both are read
 * only at start.
 */
export function tokenSecretOf(deployment: DeploymentResource): string | null {
  for (const name of ['OP_CONNECT_TOKEN', 'OP_SERVICE_ACCOUNT_TOKEN']) {
    for (const container of deployment.spec?.template?.spec?.containers ?? []) {
      const variable = container.env?.find(e => e.name === name);
      const secret = variable?.valueFrom?.secretKeyRef?.name;
      if (secret) return secret;
    }
  }
  return null;
}

/** When a Secret was last written: its latest `managedFields` time, else its creation. */
export function lastWrittenAt(meta: ObjectMeta): string | null {
  const times = [
    meta.creationTimestamp,
    ...(meta.managedFields ?? []).map(f => f.time),
  ]
    .filter((t): t is string => !!t && !Number.isNaN(Date.parse(t)))
    .map(t => Date.parse(t));
  return times.length ? new Date(Math.max(...times)).toISOString() : null;
}

/** Whether a pod is one of a Deployment's, by its selector. */
export function isPodOfDeployment(
  pod: ObjectMeta,
  deployment: DeploymentResource,
): boolean {
  if (
    (pod.namespace ?? 'default') !==
    (deployment.metadata.namespace ?? 'default')
  ) {
    return false;
  }
  const matchLabels = deployment.spec?.selector?.matchLabels;
  if (matchLabels && Object.keys(matchLabels).length) {
    return Object.entries(matchLabels).every(
      ([label, value]) => pod.labels?.[label] === value,
    );
  }
  return (
    pod.ownerReferences?.some(
      o =>
        o.kind === 'ReplicaSet' &&
        o.name.startsWith(`${deployment.metadata.name}-`),
    ) ?? false
  );
}

const key = (namespace: string | undefined, name: string) =>
  `${namespace ?? 'default'}/${name}`;

function isFullyAvailable(deployment: DeploymentResource): boolean | null {
  const status = deployment.status;
  if (!status) return null;
  const wanted = deployment.spec?.replicas ?? 1;
  return (
    (status.availableReplicas ?? 0) >= wanted &&
    (status.unavailableReplicas ?? 0) === 0
  );
}

/**
 * What the refresh read of one operator's Connect deployment and token, as
 * the input of `evaluateConnectDeployment` and the state `GET /clusters`
 * shows. Pure.
 */
export function operatorConnectFacts(
  facts: Pick<
    ClusterFacts,
    | 'deployments'
    | 'services'
    | 'operatorSecrets'
    | 'connectPods'
    | 'operatorNamespacePods'
    | 'namespaces'
  >,
  operator: OperatorDeploymentFacts,
): {
  input: Omit<ConnectDeploymentInput, 'serverHealth'>;
  state: InClusterConnectState | null;
  tokenSecret: string | null;
} {
  const secrets = new Map(
    facts.operatorSecrets.map(s => [key(s.namespace, s.name), s]),
  );
  const written = (namespace: string, name: string | null) => {
    if (!name) return null;
    const meta = secrets.get(key(namespace, name));
    return {
      namespace,
      name,
      writtenAt: meta ? lastWrittenAt(meta) : null,
    };
  };
  const operatorDeployment = facts.deployments.find(
    d =>
      d.metadata.name === operator.deploymentName &&
      (d.metadata.namespace ?? 'default') === operator.namespace,
  );
  const tokenName = operatorDeployment
    ? tokenSecretOf(operatorDeployment)
    : null;
  const operatorPods = operatorDeployment
    ? facts.operatorNamespacePods.filter(
        p => !p.deletionTimestamp && isPodOfDeployment(p, operatorDeployment),
      )
    : [];

  const serviceName =
    operator.authMethod === 'connect'
      ? connectServiceOf(
          operator.connectHost,
          operator.namespace,
          new Set(facts.namespaces.map(n => n.metadata.name)),
        )
      : null;
  const service = serviceName
    ? facts.services.find(
        s =>
          s.metadata.name === serviceName.name &&
          (s.metadata.namespace ?? 'default') === serviceName.namespace,
      )
    : undefined;
  const deployment = deploymentBehind(service, facts.deployments);
  const credentialsName = deployment ? credentialsSecretOf(deployment) : null;
  const deploymentKey = deployment
    ? key(deployment.metadata.namespace, deployment.metadata.name)
    : null;
  const rows: PodStatusRow[] = deploymentKey
    ? facts.connectPods.get(deploymentKey) ?? []
    : [];
  const pods = deployment
    ? facts.operatorNamespacePods
        .filter(p => !p.deletionTimestamp && isPodOfDeployment(p, deployment))
        .map(p => {
          const row = rows.find(r => r.name === p.name);
          return {
            name: p.name,
            createdAt: p.creationTimestamp ?? null,
            status: row?.status ?? null,
            restarts: row?.restarts ?? null,
          };
        })
    : [];
  const connectNamespace = deployment?.metadata.namespace ?? 'default';

  return {
    tokenSecret: tokenName ? key(operator.namespace, tokenName) : null,
    state:
      serviceName && service
        ? {
            service: key(serviceName.namespace, serviceName.name),
            deployment: deploymentKey,
            credentialsSecret: credentialsName
              ? key(connectNamespace, credentialsName)
              : null,
            available: deployment ? isFullyAvailable(deployment) : null,
            podCount: pods.length,
            restarts: rows.length
              ? rows.reduce((sum, r) => sum + r.restarts, 0)
              : null,
          }
        : null,
    input: {
      operator: {
        namespace: operator.namespace,
        deploymentName: operator.deploymentName,
        podCreatedAt: operatorPods
          .map(p => p.creationTimestamp)
          .filter((t): t is string => Boolean(t)),
        tokenSecret: written(operator.namespace, tokenName),
      },
      connect: serviceName
        ? {
            service: { ...serviceName, found: Boolean(service) },
            deployment: deployment
              ? {
                  namespace: connectNamespace,
                  name: deployment.metadata.name,
                  available: isFullyAvailable(deployment),
                  pods,
                }
              : null,
            credentialsSecret: written(connectNamespace, credentialsName),
          }
        : null,
    },
  };
}
