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

import { ResponseError } from '@backstage/errors';
import {
  findSecretReferences,
  OperatorAnnotations,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { KubernetesProxyClient } from './KubernetesProxyClient';
import { findOperators, OPERATOR_SETTINGS_ENV } from './operatorDeployments';
import { ClusterCollectionCache } from './watch/ClusterCollectionCache';
import { CollectionRequestError } from './watch/ResourceInformer';
import {
  ClusterFacts,
  ContainerSpec,
  DeploymentResource,
  EventResource,
  KindReadProblem,
  KubernetesTable,
  NamespaceResource,
  ObjectMeta,
  OnePasswordItemResource,
  PodStatusRow,
  ServiceResource,
} from './types';
import {
  connectServiceOf,
  deploymentBehind,
  ServiceName,
} from './inClusterConnect';

/** Pod namespaces read one by one; more are read by one cluster-wide list. */
const PER_NAMESPACE_POD_READS_UP_TO = 8;
const OPERATOR_EVENT_REASONS = ['ReconcileError', 'RateLimited'];
const TABLE_ACCEPT = 'application/json;as=Table;g=meta.k8s.io;v=v1';
/** The operator records its events as Warnings on Deployments only. */
const EVENT_FIELD_SELECTOR = 'involvedObject.kind=Deployment,type=Warning';

interface Kind {
  /** Shown in problems, e.g. `secrets` or `onepassworditems.onepassword.com`. */
  name: string;
  group: string;
  resource: string;
  path(namespace?: string): string;
}

const kind = (group: string, version: string, resource: string): Kind => ({
  name: group ? `${resource}.${group}` : resource,
  group,
  resource,
  path: namespace => {
    const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
    return namespace
      ? `${base}/namespaces/${encodeURIComponent(namespace)}/${resource}`
      : `${base}/${resource}`;
  },
});

const KINDS = {
  namespaces: kind('', 'v1', 'namespaces'),
  onePasswordItems: kind('onepassword.com', 'v1', 'onepassworditems'),
  secrets: kind('', 'v1', 'secrets'),
  deployments: kind('apps', 'v1', 'deployments'),
  events: kind('', 'v1', 'events'),
  pods: kind('', 'v1', 'pods'),
  services: kind('', 'v1', 'services'),
};

function statusOf(error: unknown): number | undefined {
  if (error instanceof ResponseError) return error.statusCode;
  if (error instanceof CollectionRequestError) return error.statusCode;
  return undefined;
}

/**
 * A Deployment as the cache keeps it: `env[].value` dropped, since people
 * paste credentials there, but for the operator's own settings, which are
 * what the plugin reads of an operator Deployment.
 */
function withoutLiteralEnv(object: unknown): DeploymentResource {
  const deployment = object as DeploymentResource;
  const podSpec = deployment.spec?.template?.spec;
  if (!podSpec) return deployment;
  const strip = (containers?: ContainerSpec[]) =>
    containers?.map(container => ({
      ...container,
      env: container.env?.map(({ value, ...variable }) =>
        OPERATOR_SETTINGS_ENV.includes(variable.name)
          ? { ...variable, value }
          : variable,
      ),
    }));
  return {
    ...deployment,
    spec: {
      ...deployment.spec,
      template: {
        ...deployment.spec!.template,
        spec: {
          ...podSpec,
          containers: strip(podSpec.containers),
          initContainers: strip(podSpec.initContainers),
        },
      },
    },
  };
}

/** A pod as the cache keeps it: who owns it, its labels and when it started. */
function podMetadata(object: unknown): { metadata: ObjectMeta } {
  const meta = (object as { metadata: ObjectMeta }).metadata;
  return {
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      labels: meta.labels,
      creationTimestamp: meta.creationTimestamp,
      deletionTimestamp: meta.deletionTimestamp,
      ownerReferences: meta.ownerReferences?.map(
        ({ apiVersion, kind: ownerKind, name }) => ({
          apiVersion,
          kind: ownerKind,
          name,
        }),
      ),
    },
  };
}

const OPERATOR_ANNOTATION_PREFIX = 'operator.1password.io/';

/**
 * A Secret as the cache keeps it. One the operator did not write is kept as
 * its name and when it was last written (its creation and its latest
 * managedFields entry, which tell whether a Connect credentials or operator
 * token Secret changed after its pods started): a cluster's Secrets are
 * mostly not the operator's, and their annotations can be large (kubectl's
 * last-applied-configuration even carries the data of an applied Secret).
 * Of an operator Secret: its labels,
 * owners, the operator's annotations, and of managedFields only the entries
 * that wrote the item version, with that field alone (see lastOperatorWrite).
 */
function secretMetadata(object: unknown): { metadata: ObjectMeta } {
  const meta = (object as { metadata: ObjectMeta & { uid?: string } }).metadata;
  const operatorAnnotations = Object.entries(meta.annotations ?? {}).filter(
    ([key]) => key.startsWith(OPERATOR_ANNOTATION_PREFIX),
  );
  const base = { name: meta.name, namespace: meta.namespace, uid: meta.uid };
  if (
    meta.annotations?.[OperatorAnnotations.itemPath] === undefined ||
    meta.annotations?.[OperatorAnnotations.itemVersion] === undefined
  ) {
    const latest = (meta.managedFields ?? []).reduce<
      NonNullable<ObjectMeta['managedFields']>[number] | undefined
    >(
      (last, f) =>
        f.time && (!last?.time || Date.parse(f.time) > Date.parse(last.time))
          ? f
          : last,
      undefined,
    );
    return {
      metadata: {
        ...base,
        creationTimestamp: meta.creationTimestamp,
        ...(latest
          ? {
              managedFields: [
                {
                  manager: latest.manager,
                  operation: latest.operation,
                  time: latest.time,
                },
              ],
            }
          : {}),
      },
    };
  }
  const versionField = `f:${OperatorAnnotations.itemVersion}`;
  const managedFields = (meta.managedFields ?? [])
    .filter(f => {
      const annotations = (
        f.fieldsV1?.['f:metadata'] as Record<string, unknown> | undefined
      )?.['f:annotations'] as Record<string, unknown> | undefined;
      return annotations !== undefined && versionField in annotations;
    })
    .map(({ manager, operation, time }) => ({
      manager,
      operation,
      time,
      fieldsV1: { 'f:metadata': { 'f:annotations': { [versionField]: {} } } },
    }));
  return {
    metadata: {
      ...base,
      labels: meta.labels,
      annotations: Object.fromEntries(operatorAnnotations),
      creationTimestamp: meta.creationTimestamp,
      deletionTimestamp: meta.deletionTimestamp,
      ownerReferences: meta.ownerReferences?.map(
        ({ apiVersion, kind: ownerKind, name }) => ({
          apiVersion,
          kind: ownerKind,
          name,
        }),
      ),
      ...(managedFields.length ? { managedFields } : {}),
    },
  };
}

/** A Service as the cache keeps it: its name and the pods it selects. */
function serviceSelector(object: unknown): ServiceResource {
  const service = object as ServiceResource;
  return {
    metadata: {
      name: service.metadata.name,
      namespace: service.metadata.namespace,
    },
    spec: { selector: service.spec?.selector },
  };
}

/** Written by `kubectl apply` on every object it applies: the whole object again. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Object metadata as the cache keeps it for kinds read in full: without
 * `managedFields` (the field ownership of every write, often larger than
 * the object) and kubectl's last-applied copy of the object, which nothing
 * of these kinds is read from. 20,000 OnePasswordItems, 5,000 Deployments
 * and Namespaces otherwise hold them all between refreshes.
 */
function leanMetadata(meta: ObjectMeta): ObjectMeta {
  const { managedFields: _, ...rest } = meta;
  if (rest.annotations?.[LAST_APPLIED] === undefined) return rest;
  const { [LAST_APPLIED]: __, ...annotations } = rest.annotations;
  return { ...rest, annotations };
}

/** A OnePasswordItem as the cache keeps it: what it points at and its conditions. */
function onePasswordItem(object: unknown): OnePasswordItemResource {
  const item = object as OnePasswordItemResource;
  return {
    metadata: leanMetadata(item.metadata),
    spec: { itemPath: item.spec?.itemPath },
    status: {
      conditions: item.status?.conditions?.map(
        ({ type, status, message, lastTransitionTime }) => ({
          type,
          status,
          message,
          lastTransitionTime,
        }),
      ),
    },
  };
}

function leanObject<T extends { metadata: ObjectMeta }>(object: unknown): T {
  const value = object as T;
  return { ...value, metadata: leanMetadata(value.metadata) };
}

function projectionFor<T>(path: string) {
  if (path.endsWith('/services')) {
    return serviceSelector as (object: unknown) => T;
  }
  if (path.endsWith('/deployments')) {
    return ((object: unknown) =>
      withoutLiteralEnv(leanObject<DeploymentResource>(object))) as (
      object: unknown,
    ) => T;
  }
  if (path.endsWith('/onepassworditems')) {
    return onePasswordItem as (object: unknown) => T;
  }
  if (path.endsWith('/namespaces') || path.endsWith('/events')) {
    return leanObject as (object: unknown) => T;
  }
  if (path.endsWith('/pods')) return podMetadata as (object: unknown) => T;
  if (path.endsWith('/secrets')) {
    return secretMetadata as (object: unknown) => T;
  }
  return undefined;
}

/** A failure that says the cluster answered, about this kind only. */
function isKindFailure(status: number | undefined): boolean {
  return status === 403 || status === 404;
}

function withQuery(path: string, query: Record<string, string | undefined>) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, value);
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

function forbiddenMessage(k: Kind, namespaces: string[] | null): string {
  const rule = `list and watch on "${k.resource}" in ${
    k.group ? `API group "${k.group}"` : 'the core API group ("")'
  }`;
  return namespaces?.length
    ? `Forbidden to list ${k.name} in namespaces ${namespaces.join(
        ', ',
      )}: the plugin's service account needs ${rule} there (a Role and RoleBinding in each namespace).`
    : `Forbidden to list ${k.name} cluster-wide: the plugin's service account needs ${rule} (a ClusterRole), or set onepassword.clusters.<cluster>.namespaces to read namespace by namespace.`;
}

/**
 * Reads the objects one refresh needs from one cluster: OnePasswordItems,
 * operator-managed Secrets (metadata only), Deployments, Namespaces, the
 * operator's events, the operators' pods (as printed tables, never their
 * spec) and the pods of Deployments that read a synced Secret (metadata
 * only). Each kind is read on its own and paged: a kind that is forbidden
 * cluster-wide is read per namespace (the configured ones, else the
 * operators' WATCH_NAMESPACE); one that stays forbidden, or a missing CRD, is
 * a problem of that kind and the others still count. Throws only when the
 * cluster itself cannot be read.
 */
export async function readClusterFacts(
  client: Pick<KubernetesProxyClient, 'get'>,
  collections: ClusterCollectionCache,
  cluster: string,
  options: { namespaces?: string[] } = {},
): Promise<ClusterFacts> {
  const problems: KindReadProblem[] = [];

  // Collections come from watched caches: a refresh sends no list request
  // while their watches hold, and the cache pages its own relists.
  const listAll = async <T>(
    path: string,
    metadataOnly = false,
    query?: Record<string, string>,
  ): Promise<{ items: T[]; kind?: string }> => ({
    items: await collections.list<T>(cluster, {
      path,
      metadataOnly,
      query,
      project: projectionFor<T>(path),
    }),
    // The cache refuses a metadata-only collection that answers more.
    kind: metadataOnly ? 'PartialObjectMetadataList' : 'List',
  });

  /** A kind namespace by namespace; a namespace that forbids it is recorded. */
  const readNamespaces = async <T>(
    k: Kind,
    namespaces: string[],
    metadataOnly?: boolean,
    query?: Record<string, string>,
  ): Promise<{ items: T[]; kind?: string } | undefined> => {
    const items: T[] = [];
    let listKind: string | undefined;
    const forbidden: string[] = [];
    for (const namespace of namespaces) {
      try {
        const page = await listAll<T>(k.path(namespace), metadataOnly, query);
        listKind ??= page.kind;
        items.push(...page.items);
      } catch (e) {
        const nsStatus = statusOf(e);
        if (nsStatus === 404 && k === KINDS.onePasswordItems) {
          problems.push({
            kind: k.name,
            status: 404,
            message:
              'The 1Password operator is not installed: the cluster has no OnePasswordItem CRD (404 on onepassworditems.onepassword.com).',
          });
          return undefined;
        }
        if (!isKindFailure(nsStatus)) throw e;
        forbidden.push(namespace);
      }
    }
    if (forbidden.length) {
      problems.push({
        kind: k.name,
        status: 403,
        message: forbiddenMessage(k, forbidden),
        namespaces: forbidden,
      });
    }
    // Every namespace forbidden: nothing was answered, so nothing to refuse.
    return {
      items,
      kind: listKind ?? (metadataOnly ? 'PartialObjectMetadataList' : 'List'),
    };
  };

  /** A kind cluster-wide, else per namespace; a kind failure is recorded, not thrown. */
  const readKind = async <T>(
    k: Kind,
    namespaces: string[] | null,
    metadataOnly?: boolean,
    query?: Record<string, string>,
  ): Promise<{ items: T[]; kind?: string } | undefined> => {
    let status: number | undefined;
    try {
      return await listAll<T>(k.path(), metadataOnly, query);
    } catch (e) {
      status = statusOf(e);
      if (!isKindFailure(status)) throw e;
    }
    if (status === 404) {
      problems.push({
        kind: k.name,
        status,
        message:
          k === KINDS.onePasswordItems
            ? 'The 1Password operator is not installed: the cluster has no OnePasswordItem CRD (404 on onepassworditems.onepassword.com).'
            : `The cluster does not serve ${k.name} (404).`,
      });
      return undefined;
    }
    if (!namespaces?.length) {
      problems.push({
        kind: k.name,
        status: 403,
        message: forbiddenMessage(k, null),
      });
      return undefined;
    }
    return readNamespaces<T>(k, namespaces, metadataOnly, query);
  };

  const configured = options.namespaces?.length ? options.namespaces : null;
  const deployments =
    (await readKind<DeploymentResource>(KINDS.deployments, configured))
      ?.items ?? [];
  const operators = findOperators(deployments);
  const watched = operators.flatMap(o => o.watchNamespaces ?? []);
  const namespaces =
    configured ??
    (watched.length && operators.every(o => o.watchNamespaces)
      ? [...new Set(watched.filter(Boolean))]
      : null);

  const [namespaceList, onePasswordItems, secrets, events, operatorPods] =
    await Promise.all([
      readKind<NamespaceResource>(KINDS.namespaces, null),
      readKind<OnePasswordItemResource>(KINDS.onePasswordItems, namespaces),
      readKind<{ metadata: ObjectMeta }>(KINDS.secrets, namespaces, true),
      readKind<EventResource>(KINDS.events, namespaces, undefined, {
        fieldSelector: EVENT_FIELD_SELECTOR,
      }),
      readOperatorPods(operators, deployments),
    ]);
  if (secrets?.kind && secrets.kind !== 'PartialObjectMetadataList') {
    // Never hold Secret data, even if something on the way dropped the Accept header.
    throw new Error(
      `Cluster '${cluster}' answered the metadata-only Secret list with '${secrets.kind}'; refusing to read Secrets`,
    );
  }
  const syncedSecrets = (secrets?.items ?? [])
    .map(s => s.metadata)
    .filter(
      m =>
        m.annotations?.[OperatorAnnotations.itemPath] !== undefined &&
        m.annotations?.[OperatorAnnotations.itemVersion] !== undefined,
    );
  // Pods are read only where they can tell something: namespaces in which
  // a Deployment reads a synced Secret; namespace by namespace, as a team's
  // Role often grants pods in its own namespaces only.
  // Beyond a few namespaces, one cluster-wide list and watch costs less than
  // a list and a watch held per namespace (5,000 namespaces: 10,000 requests
  // on the first refresh and 5,000 open watches); where pods are forbidden
  // cluster-wide, they are read namespace by namespace still.
  const podNamespaces = namespacesWithConsumers(deployments, syncedSecrets);
  const inPodNamespaces = new Set(podNamespaces);
  let workloadPods: { items: Array<{ metadata: ObjectMeta }> } | undefined;
  if (podNamespaces.length > PER_NAMESPACE_POD_READS_UP_TO) {
    workloadPods = await readKind(KINDS.pods, podNamespaces, true);
  } else if (podNamespaces.length) {
    workloadPods = await readNamespaces(KINDS.pods, podNamespaces, true);
  }
  // The operators' own namespaces and their in-cluster Connect's: the
  // Services behind OP_CONNECT_HOST, the token and credentials Secrets
  // (metadata only) and the pods' creation times.
  const knownNamespaces = new Set(
    (namespaceList?.items ?? []).map(n => n.metadata.name),
  );
  const connectServices = operators
    .filter(o => o.authMethod === 'connect')
    .map(o => connectServiceOf(o.connectHost, o.namespace, knownNamespaces))
    .filter((s): s is ServiceName => s !== null);
  const infraNamespaces = [
    ...new Set([
      ...operators.map(o => o.namespace),
      ...connectServices.map(s => s.namespace),
    ]),
  ].sort();
  const serviceList = connectServices.length
    ? await readNamespaces<ServiceResource>(KINDS.services, [
        ...new Set(connectServices.map(s => s.namespace)),
      ])
    : undefined;
  const services = serviceList?.items ?? [];
  // Secrets read cluster-wide already hold these namespaces'.
  const unreadSecretNamespaces =
    namespaces === null
      ? []
      : infraNamespaces.filter(ns => !namespaces.includes(ns));
  const moreSecrets = unreadSecretNamespaces.length
    ? await readNamespaces<{ metadata: ObjectMeta }>(
        KINDS.secrets,
        unreadSecretNamespaces,
        true,
      )
    : undefined;
  for (const list of [secrets, moreSecrets]) {
    if (list?.kind && list.kind !== 'PartialObjectMetadataList') {
      throw new Error(
        `Cluster '${cluster}' answered the metadata-only Secret list with '${list.kind}'; refusing to read Secrets`,
      );
    }
  }
  const infra = new Set(infraNamespaces);
  const operatorSecrets = [
    ...(secrets?.items ?? []),
    ...(moreSecrets?.items ?? []),
  ]
    .map(s => s.metadata)
    .filter(m => infra.has(m.namespace ?? 'default'))
    .map(({ name, namespace, creationTimestamp, managedFields }) => ({
      name,
      namespace,
      creationTimestamp,
      // Only when, never what: the times of the writes.
      managedFields: managedFields?.map(({ manager, operation, time }) => ({
        manager,
        operation,
        time,
      })),
    }));
  const infraPods = infraNamespaces.length
    ? await readNamespaces<{ metadata: ObjectMeta }>(
        KINDS.pods,
        infraNamespaces,
        true,
      )
    : undefined;
  const connectDeployments = connectServices
    .map(name =>
      deploymentBehind(
        services.find(
          s =>
            s.metadata.name === name.name &&
            (s.metadata.namespace ?? 'default') === name.namespace,
        ),
        deployments,
      ),
    )
    .filter((d): d is DeploymentResource => d !== undefined);
  const connectPods = await readPodTables(connectDeployments);

  return {
    namespaces: namespaceList?.items ?? [],
    onePasswordItems: onePasswordItems?.items ?? [],
    secrets: syncedSecrets,
    deployments,
    workloadPods: (workloadPods?.items ?? [])
      .map(p => p.metadata)
      .filter(p => inPodNamespaces.has(p.namespace ?? 'default')),
    events: (events?.items ?? []).filter(e =>
      OPERATOR_EVENT_REASONS.includes(e.reason ?? ''),
    ),
    operatorPods,
    services,
    operatorSecrets,
    connectPods,
    operatorNamespacePods: (infraPods?.items ?? []).map(p => p.metadata),
    problems,
  };

  /** Printed pod rows of Deployments not fully available: a healthy one costs no request. */
  async function readPodTables(
    found: DeploymentResource[],
  ): Promise<Map<string, PodStatusRow[]>> {
    const result = new Map<string, PodStatusRow[]>();
    for (const deployment of found) {
      if (isFullyAvailable(deployment)) continue;
      const namespace = deployment.metadata.namespace ?? 'default';
      const selector = Object.entries(
        deployment.spec?.selector?.matchLabels ?? {},
      )
        .map(([key, value]) => `${key}=${value}`)
        .join(',');
      if (!selector) continue;
      try {
        const table = await client.get<KubernetesTable>(
          cluster,
          withQuery(KINDS.pods.path(namespace), { labelSelector: selector }),
          TABLE_ACCEPT,
        );
        result.set(
          `${namespace}/${deployment.metadata.name}`,
          podRows(table, namespace),
        );
      } catch (e) {
        if (!isKindFailure(statusOf(e))) throw e;
        problems.push({
          kind: KINDS.pods.name,
          status: statusOf(e) ?? null,
          message: `Cannot read the pods of Connect ${namespace}/${
            deployment.metadata.name
          } (${statusOf(
            e,
          )}): its restarts and crash loops are not visible. Grant list on "pods" in API group "" there.`,
          namespaces: [namespace],
        });
      }
    }
    return result;
  }

  /** Each operator's pods as printed rows (status, restarts), never their spec. */
  async function readOperatorPods(
    found: ReturnType<typeof findOperators>,
    all: DeploymentResource[],
  ): Promise<Map<string, PodStatusRow[]>> {
    const result = new Map<string, PodStatusRow[]>();
    for (const operator of found) {
      const deployment = all.find(
        d =>
          d.metadata.name === operator.deploymentName &&
          (d.metadata.namespace ?? 'default') === operator.namespace,
      );
      if (isFullyAvailable(deployment)) {
        // Pods tell a crash loop; a Deployment with every replica available
        // has none, so a healthy operator costs no request.
        continue;
      }
      const selector = Object.entries(
        operator.podSelector ??
          deployment?.spec?.template?.metadata?.labels ??
          {},
      )
        .map(([key, value]) => `${key}=${value}`)
        .join(',');
      if (!selector) continue;
      try {
        const table = await client.get<KubernetesTable>(
          cluster,
          withQuery(KINDS.pods.path(operator.namespace), {
            labelSelector: selector,
          }),
          TABLE_ACCEPT,
        );
        result.set(
          `${operator.namespace}/${operator.deploymentName}`,
          podRows(table, operator.namespace),
        );
      } catch (e) {
        if (!isKindFailure(statusOf(e))) throw e;
        problems.push({
          kind: KINDS.pods.name,
          status: statusOf(e) ?? null,
          message: `Cannot read the operator's pods in namespace ${
            operator.namespace
          } (${statusOf(
            e,
          )}): its restarts and crash loops are not visible. Grant list on "pods" in API group "" there.`,
          namespaces: [operator.namespace],
        });
      }
    }
    return result;
  }
}

/** Namespaces where some Deployment's pod template reads a synced Secret. */
function namespacesWithConsumers(
  deployments: DeploymentResource[],
  secrets: ObjectMeta[],
): string[] {
  const synced = new Set(
    secrets.map(s => `${s.namespace ?? 'default'}/${s.name}`),
  );
  const namespaces = new Set<string>();
  for (const d of deployments) {
    const namespace = d.metadata.namespace ?? 'default';
    if (
      findSecretReferences(d.spec?.template?.spec).some(r =>
        synced.has(`${namespace}/${r.secretName}`),
      )
    ) {
      namespaces.add(namespace);
    }
  }
  return [...namespaces].sort();
}

function isFullyAvailable(deployment: DeploymentResource | undefined) {
  const wanted = deployment?.spec?.replicas ?? 1;
  const status = deployment?.status;
  return (
    wanted > 0 &&
    (status?.availableReplicas ?? 0) >= wanted &&
    (status?.unavailableReplicas ?? 0) === 0
  );
}

/** The Name, Status, Restarts and Ready columns of a printed Pod table. */
export function podRows(
  table: KubernetesTable,
  namespace: string,
): PodStatusRow[] {
  const columns = (table.columnDefinitions ?? []).map(c => c.name);
  const cell = (row: { cells: unknown[] }, name: string) =>
    row.cells[columns.indexOf(name)];
  return (table.rows ?? []).map(row => ({
    name: String(cell(row, 'Name') ?? row.object?.metadata?.name ?? ''),
    namespace,
    status: String(cell(row, 'Status') ?? ''),
    // `5 (2m ago)` since kubectl 1.22; the count comes first.
    restarts: Number.parseInt(String(cell(row, 'Restarts') ?? '0'), 10) || 0,
    ready: String(cell(row, 'Ready') ?? ''),
  }));
}
