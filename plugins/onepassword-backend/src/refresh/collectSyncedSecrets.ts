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
  ConsumingDeploymentInput,
  findSecretReferences,
  OperatorAnnotations,
  OperatorEvent,
  SecretConsumer,
  SecretSyncInput,
} from '@secret-sync/backstage-plugin-onepassword-common';
import {
  findOperators,
  OperatorDeploymentFacts,
} from '../kubernetes/operatorDeployments';
import {
  ClusterFacts,
  DeploymentResource,
  EventResource,
  ObjectMeta,
} from '../kubernetes/types';

export type { OperatorDeploymentFacts } from '../kubernetes/operatorDeployments';

/**
 * A synced Secret found in a cluster, with every fact of the evaluation
 * input except those from Connect, the operator and the previous refresh.
 */
export interface SyncedSecretCandidate {
  facts: Omit<
    SecretSyncInput,
    'item' | 'connectServer' | 'previous' | 'operator'
  >;
  labels: Record<string, string>;
  /**
   * The Deployments of the namespace whose pod templates read the Secret,
   * with their pods' creation times; auto-restart as annotated on the
   * Deployment, resolved with the operator's setting by the caller.
   */
  workloads: ConsumingWorkload[];
  /** Why the pods of the namespace could not be read; null if they were. */
  podsUnreadable: string | null;
}

/** A Deployment that reads a synced Secret, with what its pods say. */
interface ConsumingWorkload
  extends Omit<ConsumingDeploymentInput, 'autoRestart'> {
  /** `operator.1password.io/auto-restart` on the Deployment. */
  autoRestart: string | null;
}

/** The first operator of a cluster (see {@link findOperators} for all). */
export function findOperator(
  deployments: DeploymentResource[],
): OperatorDeploymentFacts | null {
  return findOperators(deployments)[0] ?? null;
}

/** The operator's rewrite of a name into a DNS-1123 subdomain. */
export function secretNameFor(name: string): string {
  if (
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(
      name,
    ) &&
    name.length <= 253
  ) {
    return name;
  }
  return name
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .slice(0, 253)
    .replace(/^[-.]+|[-.]+$/g, '');
}

/** Names of the Secrets a Deployment uses, the way the operator finds them. */
export function secretsUsedBy(d: DeploymentResource): Set<string> {
  const spec = d.spec?.template?.spec;
  const names = new Set(findSecretReferences(spec).map(r => r.secretName));
  // The operator counts every Secret volume, mounted or not.
  for (const v of spec?.volumes ?? []) {
    if (v.secret?.secretName) names.add(v.secret.secretName);
    v.projected?.sources?.forEach(
      s => s.secret?.name && names.add(s.secret.name),
    );
  }
  const itemName = deploymentAnnotation(d, OperatorAnnotations.itemName);
  if (itemName) names.add(itemName);
  return names;
}

/** Whether a pod is one of a Deployment's, by its selector (else its ReplicaSet's name). */
function isPodOf(pod: ObjectMeta, d: DeploymentResource): boolean {
  if ((pod.namespace ?? 'default') !== (d.metadata.namespace ?? 'default')) {
    return false;
  }
  const matchLabels = d.spec?.selector?.matchLabels;
  if (matchLabels && Object.keys(matchLabels).length) {
    return Object.entries(matchLabels).every(
      ([label, value]) => pod.labels?.[label] === value,
    );
  }
  return (
    pod.ownerReferences?.some(
      o => o.kind === 'ReplicaSet' && o.name.startsWith(`${d.metadata.name}-`),
    ) ?? false
  );
}

const OPERATOR_ANNOTATION = /^operator\.1password\.io\/[a-zA-Z.]+/;
const NOT_DISCOVERED = new Set<string>([
  OperatorAnnotations.lastRestarted,
  OperatorAnnotations.autoRestart,
]);

function operatorAnnotationsOf(
  annotations: Record<string, string> | undefined,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(annotations ?? {}).filter(
      ([key]) => OPERATOR_ANNOTATION.test(key) && !NOT_DISCOVERED.has(key),
    ),
  );
}

/**
 * The operator's `GetAnnotationsForDeployment`: the operator annotations of
 * the Deployment, or, when it has none, those of its pod template; never a
 * mix of both.
 */
function deploymentAnnotation(
  d: DeploymentResource,
  key: string,
): string | undefined {
  const own = operatorAnnotationsOf(d.metadata.annotations);
  const chosen = Object.keys(own).length
    ? own
    : operatorAnnotationsOf(d.spec?.template?.metadata?.annotations);
  return chosen[key];
}

/** When the operator last wrote the version annotation, from managedFields. */
export function lastOperatorWrite(meta: ObjectMeta): string | null {
  const versionKey = `f:${OperatorAnnotations.itemVersion}`;
  const times = (meta.managedFields ?? [])
    .filter(f => {
      const annotations = (
        f.fieldsV1?.['f:metadata'] as
          | Record<string, Record<string, unknown>>
          | undefined
      )?.['f:annotations'];
      return annotations !== undefined && versionKey in annotations;
    })
    .map(f => f.time)
    .filter((t): t is string => !!t && !Number.isNaN(Date.parse(t)))
    .sort();
  return times.length ? new Date(times[times.length - 1]).toISOString() : null;
}

function isoOrNull(t: string | null | undefined): string | null {
  return t && !Number.isNaN(Date.parse(t)) ? new Date(t).toISOString() : null;
}

/** The latest occurrence of a (possibly merged) event. */
function eventTime(e: EventResource) {
  return isoOrNull(
    e.series?.lastObservedTime ??
      e.lastTimestamp ??
      e.eventTime ??
      e.firstTimestamp ??
      e.metadata.creationTimestamp,
  );
}

function parseVersion(value: string | undefined): number | null {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) ? n : null;
}

/**
 * Every Secret the operator manages or should manage in one cluster: one per
 * OnePasswordItem, one per annotated Deployment, and any operator-written
 * Secret whose source is gone. Pure.
 */
export function collectSyncedSecrets(
  facts: ClusterFacts,
  cluster: string,
): SyncedSecretCandidate[] {
  const key = (ns: string | undefined, name: string) => `${ns}/${name}`;
  const secrets = new Map(
    facts.secrets.map(s => [key(s.namespace, s.name), s]),
  );
  const namespaces = new Map(
    facts.namespaces.map(n => [n.metadata.name, n.metadata]),
  );
  const deploymentsByNamespace = new Map<string, DeploymentResource[]>();
  for (const d of facts.deployments) {
    const ns = d.metadata.namespace ?? 'default';
    deploymentsByNamespace.set(ns, [
      ...(deploymentsByNamespace.get(ns) ?? []),
      d,
    ]);
  }
  const seen = new Set<string>();

  const candidate = (options: {
    namespace: string;
    secretName: string;
    source: SyncedSecretCandidate['facts']['source'];
    itemPath: string;
    ready: SyncedSecretCandidate['facts']['ready'];
    events: OperatorEvent[];
    labels: Record<string, string>;
  }): SyncedSecretCandidate => {
    const secret = secrets.get(key(options.namespace, options.secretName));
    seen.add(key(options.namespace, options.secretName));
    const consumers: SecretConsumer[] = (
      deploymentsByNamespace.get(options.namespace) ?? []
    )
      .filter(d => secretsUsedBy(d).has(options.secretName))
      .map(d => ({
        name: d.metadata.name,
        autoRestart:
          d.metadata.annotations?.[OperatorAnnotations.autoRestart] ?? null,
        lastRestartedAt:
          d.spec?.template?.metadata?.annotations?.[
            OperatorAnnotations.lastRestarted
          ] ?? null,
      }));
    const secretName = options.secretName;
    const workloads: ConsumingWorkload[] = (
      deploymentsByNamespace.get(options.namespace) ?? []
    )
      .filter(d =>
        findSecretReferences(d.spec?.template?.spec).some(
          r => r.secretName === secretName,
        ),
      )
      .map(d => ({
        namespace: options.namespace,
        name: d.metadata.name,
        podSpec: d.spec?.template?.spec,
        podCreatedAt: facts.workloadPods
          .filter(pod => !pod.deletionTimestamp && isPodOf(pod, d))
          .map(pod => pod.creationTimestamp)
          .filter((t): t is string => Boolean(t)),
        autoRestart:
          d.metadata.annotations?.[OperatorAnnotations.autoRestart] ?? null,
        lastRestartedAt:
          d.spec?.template?.metadata?.annotations?.[
            OperatorAnnotations.lastRestarted
          ] ?? null,
      }));
    const podsProblem = facts.problems.find(
      p =>
        p.kind === 'pods' &&
        (!p.namespaces || p.namespaces.includes(options.namespace)),
    );
    return {
      workloads,
      podsUnreadable: workloads.length ? podsProblem?.message ?? null : null,
      facts: {
        cluster,
        namespace: options.namespace,
        secretName: options.secretName,
        source: options.source,
        itemPath: options.itemPath,
        secret: secret
          ? {
              itemPath:
                secret.annotations?.[OperatorAnnotations.itemPath] ?? null,
              itemVersion: parseVersion(
                secret.annotations?.[OperatorAnnotations.itemVersion],
              ),
              lastWrittenAt: lastOperatorWrite(secret),
              autoRestart:
                secret.annotations?.[OperatorAnnotations.autoRestart] ?? null,
            }
          : null,
        ready: options.ready,
        events: options.events,
        namespaceAutoRestart:
          namespaces.get(options.namespace)?.annotations?.[
            OperatorAnnotations.autoRestart
          ] ?? null,
        consumers,
      },
      labels: { ...(secret?.labels ?? {}), ...options.labels },
    };
  };

  const result: SyncedSecretCandidate[] = [];
  for (const opi of facts.onePasswordItems) {
    const ready = opi.status?.conditions?.find(c => c.type === 'Ready');
    result.push(
      candidate({
        namespace: opi.metadata.namespace ?? 'default',
        secretName: secretNameFor(opi.metadata.name),
        source: 'OnePasswordItem',
        itemPath: opi.spec?.itemPath ?? '',
        ready: ready
          ? {
              status:
                ready.status === 'True' || ready.status === 'False'
                  ? ready.status
                  : 'Unknown',
              message: ready.message,
              lastTransitionTime: ready.lastTransitionTime,
            }
          : null,
        events: [],
        labels: opi.metadata.labels ?? {},
      }),
    );
  }
  for (const d of facts.deployments) {
    const itemPath = deploymentAnnotation(d, OperatorAnnotations.itemPath);
    const itemName = deploymentAnnotation(d, OperatorAnnotations.itemName);
    if (!itemPath || !itemName) continue;
    const namespace = d.metadata.namespace ?? 'default';
    if (seen.has(key(namespace, secretNameFor(itemName)))) continue;
    const events = facts.events
      .filter(
        e =>
          e.involvedObject?.kind === 'Deployment' &&
          e.involvedObject.name === d.metadata.name &&
          (e.involvedObject.namespace ?? e.metadata.namespace) === namespace,
      )
      .map(e => ({
        reason: e.reason ?? '',
        message: e.message ?? '',
        at: eventTime(e),
        count: e.series?.count ?? e.count ?? 1,
        firstAt: isoOrNull(e.firstTimestamp ?? e.eventTime),
      }))
      .sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''));
    result.push(
      candidate({
        namespace,
        secretName: secretNameFor(itemName),
        source: 'Deployment',
        itemPath,
        ready: null,
        events,
        labels: d.metadata.labels ?? {},
      }),
    );
  }
  for (const s of facts.secrets) {
    const namespace = s.namespace ?? 'default';
    if (seen.has(key(namespace, s.name))) continue;
    const owner = s.ownerReferences?.find(
      o => o.kind === 'Deployment' || o.kind === 'OnePasswordItem',
    );
    result.push(
      candidate({
        namespace,
        secretName: s.name,
        source: owner?.kind === 'Deployment' ? 'Deployment' : 'OnePasswordItem',
        itemPath: s.annotations?.[OperatorAnnotations.itemPath] ?? '',
        ready: null,
        events: [],
        labels: {},
      }),
    );
  }
  return result;
}
