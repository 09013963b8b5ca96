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

import { toError } from '@backstage/errors';
import {
  ConnectProblem,
  evaluateConnectDeployment,
  OperatorHealthFacts,
  OperatorSettings,
} from '@secret-sync/backstage-plugin-onepassword-common';
import pLimit from 'p-limit';
import { normalizedOrigin, OnePasswordConfig } from '../config';
import { ServerView } from '../connect/ConnectSnapshotService';
import { operatorConnectFacts } from '../kubernetes/inClusterConnect';
import { KubernetesProxyClient } from '../kubernetes/KubernetesProxyClient';
import {
  findOperators,
  operatorFor,
  operatorHealth,
} from '../kubernetes/operatorDeployments';
import { readClusterFacts } from '../kubernetes/readClusterFacts';
import { KindReadProblem } from '../kubernetes/types';
import { ClusterCollectionCache } from '../kubernetes/watch/ClusterCollectionCache';
import {
  collectSyncedSecrets,
  OperatorDeploymentFacts,
  SyncedSecretCandidate,
} from './collectSyncedSecrets';

/** Clusters read at once by a refresh. */
const CLUSTER_CONCURRENCY = 8;

/**
 * Auth providers that need a signed-in user's token: `google` and `oidc`
 * fail without one and `aks` falls back to anonymous, so a background
 * refresh cannot read such a cluster.
 */
const USER_TOKEN_AUTH_PROVIDERS = ['google', 'oidc', 'aks'];

function userTokenOnly(
  name: string,
  authProvider: string | null,
): string | undefined {
  if (!authProvider || !USER_TOKEN_AUTH_PROVIDERS.includes(authProvider)) {
    return undefined;
  }
  return `cluster '${name}' uses the '${authProvider}' auth provider, which needs a signed-in user's token, so a background refresh cannot read it. Configure it with serviceAccount, aws, azure or googleServiceAccount for the plugin to read it`;
}

/** One operator of a cluster, with what the refresh learnt about it. */
export interface OperatorRead {
  facts: OperatorDeploymentFacts;
  health: OperatorHealthFacts | undefined;
  serverName: string | null;
  /** Candidates in the namespaces this operator serves. */
  secretCount: number;
  /** Its in-cluster Connect and token Secret, as read. */
  connect: ReturnType<typeof operatorConnectFacts>;
  /** Set by {@link assessConnectDeployments} once the servers' health is known. */
  connectProblems: ConnectProblem[];
}

/** What a refresh read of one cluster: its candidates, or why it could not. */
export type ClusterRead =
  | {
      name: string;
      ok: true;
      candidates: SyncedSecretCandidate[];
      operators: OperatorRead[];
      problems: KindReadProblem[];
      /** Collections read by paged lists instead of watched, and why. */
      unwatched: Array<{ collection: string; reason: string }>;
      /** When the cluster was read (epoch ms). */
      readAt: number;
      /**
       * What the collections read held (see
       * `ClusterCollectionCache.fingerprint`): while it stays the same, a
       * read gives this read again. Null when the read also asked the
       * cluster directly (pods of an unavailable Deployment), or read a
       * collection that is not watched.
       */
      fingerprint: string | null;
    }
  | {
      name: string;
      ok: false;
      error: string;
      /** Reachable, but not readable without a user (auth provider). */
      notReadable?: boolean;
    };

/** The clusters a refresh read, and whether the cluster list itself was read. */
export interface ClustersRead {
  clusters: ClusterRead[];
  /** Why the Kubernetes plugin's cluster list could not be read. */
  listError?: string;
}

/** The operator (of a cluster read) that serves a namespace. */
export function operatorOf(
  cluster: Extract<ClusterRead, { ok: true }>,
  namespace: string,
): OperatorRead | undefined {
  const facts = operatorFor(
    cluster.operators.map(o => o.facts),
    namespace,
  );
  return cluster.operators.find(o => o.facts === facts);
}

/** An operator as `GET /clusters` shows it. */
export function operatorSettings(operator: OperatorRead): OperatorSettings {
  const { facts, health } = operator;
  return {
    namespace: facts.namespace,
    deploymentName: facts.deploymentName,
    version: facts.version,
    pollingIntervalSeconds: facts.pollingIntervalSeconds,
    pollingIntervalFromOperator: true,
    autoRestart: facts.autoRestart,
    watchNamespaces: facts.watchNamespaces,
    connectHost: facts.connectHost,
    connectServer: operator.serverName,
    available: health?.available ?? true,
    reason: health?.available === false ? health.reason : null,
    authMethod: facts.authMethod,
    secretCount: operator.secretCount,
    inClusterConnect: operator.connect.state,
    tokenSecret: operator.connect.tokenSecret,
    connectProblems: operator.connectProblems,
  };
}

/** The problems of an operator's Connect and token, as one hint for its records. */
export function connectHintOf(
  operator: OperatorRead | undefined,
): string | null {
  if (!operator?.connectProblems.length) return null;
  return operator.connectProblems
    .map(problem => `${problem.message} ${problem.hint}`)
    .join(' ');
}

/**
 * What is wrong with each operator's in-cluster Connect and token, judged
 * with the health of the Connect server it uses (known only after the
 * servers were read).
 */
export function assessConnectDeployments(
  clusters: ClusterRead[],
  views: Map<string, ServerView>,
): void {
  for (const cluster of clusters) {
    if (!cluster.ok) continue;
    const servicesUnreadable = cluster.problems.some(
      p => p.kind === 'services',
    );
    for (const operator of cluster.operators) {
      const view = operator.serverName
        ? views.get(operator.serverName)
        : undefined;
      const { input } = operator.connect;
      operator.connectProblems = evaluateConnectDeployment({
        ...input,
        // A Service that could not be read is not one that is missing.
        connect: servicesUnreadable ? null : input.connect,
        serverHealth:
          view?.state === 'ok'
            ? {
                name: operator.serverName!,
                dependencies: view.health.dependencies,
              }
            : null,
      });
    }
  }
}

/** Which configured server a cluster's operator uses. */
export function serverFor(
  config: OnePasswordConfig,
  cluster: string,
  operator: OperatorDeploymentFacts | null,
): string | null {
  const configured = config.clusterServers.get(cluster);
  if (configured) return configured;
  // A service-account operator reads 1Password without Connect: only the
  // configuration can say which Connect server sees its vaults.
  if (operator?.authMethod === 'service-account') return null;
  const origin = operator?.connectHost
    ? normalizedOrigin(operator.connectHost)
    : undefined;
  const match = config.servers.find(
    s => origin && normalizedOrigin(s.url) === origin,
  );
  if (match) return match.name;
  // With a single server there is nothing to choose; the operator's host is
  // typically an in-cluster name that Backstage reaches by another URL.
  return config.servers.length === 1 ? config.servers[0].name : null;
}

function unwatchedCollections(
  collections: ClusterCollectionCache,
  cluster: string,
): Array<{ collection: string; reason: string }> {
  return collections
    .states(cluster)
    .flatMap(s =>
      s.unwatchedReason
        ? [{ collection: s.path, reason: s.unwatchedReason }]
        : [],
    );
}

/** A successful read of a cluster. */
export type ClusterReadOk = Extract<ClusterRead, { ok: true }>;

/**
 * An earlier read of the cluster, when its collections have not changed
 * since (nor has anything else it read): what a read now would give.
 */
function unchangedRead(
  collections: ClusterCollectionCache,
  earlier: ClusterReadOk | undefined,
): ClusterReadOk | undefined {
  if (!earlier?.fingerprint) return undefined;
  const now = Date.now();
  const fingerprint = collections.touch(earlier.name, earlier.readAt, now);
  if (fingerprint !== earlier.fingerprint) return undefined;
  return {
    ...earlier,
    readAt: now,
    unwatched: unwatchedCollections(collections, earlier.name),
  };
}

/** Reads one cluster's synced Secret candidates and operators. */
export async function readCluster(
  options: {
    config: OnePasswordConfig;
    kubernetes: KubernetesProxyClient;
    collections: ClusterCollectionCache;
  },
  name: string,
): Promise<ClusterRead> {
  const { config } = options;
  const readAt = Date.now();
  // Requests beyond the watched collections: their answers are not known
  // to be unchanged without asking again.
  let directRequests = 0;
  const direct: Pick<KubernetesProxyClient, 'get'> = {
    get: (...args) => {
      directRequests++;
      return options.kubernetes.get(...args);
    },
  };
  try {
    const facts = await readClusterFacts(direct, options.collections, name, {
      namespaces: config.clusterNamespaces.get(name),
    });
    const candidates = collectSyncedSecrets(facts, name);
    const found = findOperators(facts.deployments);
    const operators: OperatorRead[] = found.map(operator => ({
      facts: operator,
      health: operatorHealth(
        facts.deployments.find(
          d =>
            d.metadata.name === operator.deploymentName &&
            (d.metadata.namespace ?? 'default') === operator.namespace,
        )!,
        operator,
        facts.operatorPods.get(
          `${operator.namespace}/${operator.deploymentName}`,
        ),
      ),
      serverName: serverFor(config, name, operator),
      secretCount: candidates.filter(
        c => operatorFor(found, c.facts.namespace) === operator,
      ).length,
      connect: operatorConnectFacts(facts, operator),
      connectProblems: [],
    }));
    return {
      name,
      ok: true,
      candidates,
      operators,
      problems: facts.problems,
      unwatched: unwatchedCollections(options.collections, name),
      readAt,
      fingerprint:
        directRequests === 0
          ? options.collections.fingerprint(name, readAt)
          : null,
    };
  } catch (e) {
    return { name, ok: false, error: toError(e).message };
  }
}

/**
 * Reads every cluster the Kubernetes plugin lists, a few at a time. When the
 * list itself fails, the previously known clusters are reported as failed
 * with that reason, so their records are kept and marked unknown.
 */
export async function readClusters(
  options: {
    config: OnePasswordConfig;
    kubernetes: KubernetesProxyClient;
    collections: ClusterCollectionCache;
  },
  previousClusterNames: string[],
  /** Earlier reads, by cluster, given again where nothing they read changed. */
  earlierReads?: Map<string, ClusterReadOk>,
): Promise<ClustersRead> {
  let listed: Array<{ name: string; authProvider: string | null }>;
  try {
    listed = await options.kubernetes.listClusterInfo();
  } catch (e) {
    const error = `the Kubernetes plugin's cluster list failed: ${
      toError(e).message
    }`;
    return {
      listError: error,
      clusters: previousClusterNames.map(name => ({ name, ok: false, error })),
    };
  }
  const limit = pLimit(CLUSTER_CONCURRENCY);
  const clusters = await Promise.all(
    listed.map(({ name, authProvider }) => {
      const notReadable = userTokenOnly(name, authProvider);
      return notReadable
        ? { name, ok: false as const, error: notReadable, notReadable: true }
        : limit(
            async () =>
              unchangedRead(options.collections, earlierReads?.get(name)) ??
              (await readCluster(options, name)),
          );
    }),
  );
  // Watches of clusters that are gone, or of collections no longer read, stop.
  await options.collections.sweep(listed.map(c => c.name));
  return { clusters };
}
