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

import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { toError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterHealth,
  connectCacheState,
  ConnectServerHealth,
  emptyStatusCounts,
  evaluateSecretSync,
  ItemLookup,
  markUnknown,
  OperatorHealthFacts,
  OperatorSettings,
  recordKey,
  SecretSyncRecord,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { normalizedOrigin, OnePasswordConfig } from '../config';
import { ConnectGateway } from '../connect/ConnectGateway';
import {
  ConnectSnapshotService,
  ServerView,
} from '../connect/ConnectSnapshotService';
import {
  SecretSyncStore,
  StoredSecretRecord,
} from '../database/SecretSyncStore';
import { EntityClaims, loadEntityClaims } from '../entities/EntityClaims';
import { KubernetesProxyClient } from '../kubernetes/KubernetesProxyClient';
import {
  findOperators,
  operatorFor,
  operatorHealth,
} from '../kubernetes/operatorDeployments';
import { readClusterFacts } from '../kubernetes/readClusterFacts';
import { ClusterCollectionCache } from '../kubernetes/watch/ClusterCollectionCache';
import { KindReadProblem } from '../kubernetes/types';
import {
  collectSyncedSecrets,
  OperatorDeploymentFacts,
  SyncedSecretCandidate,
} from './collectSyncedSecrets';
import { workloadConsumerFields } from './workloadConsumers';
import { resolveItem, vaultToProbe } from './resolveItem';
import { SyncMetrics } from './SyncMetrics';

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
interface OperatorRead {
  facts: OperatorDeploymentFacts;
  health: OperatorHealthFacts | undefined;
  serverName: string | null;
  /** Candidates in the namespaces this operator serves. */
  secretCount: number;
}

type ClusterRead =
  | {
      name: string;
      ok: true;
      candidates: SyncedSecretCandidate[];
      operators: OperatorRead[];
      problems: KindReadProblem[];
    }
  | {
      name: string;
      ok: false;
      error: string;
      /** Reachable, but not readable without a user (auth provider). */
      notReadable?: boolean;
    };

/** The operator (of a cluster read) that serves a namespace. */
function operatorOf(
  cluster: Extract<ClusterRead, { ok: true }>,
  namespace: string,
): OperatorRead | undefined {
  const facts = operatorFor(
    cluster.operators.map(o => o.facts),
    namespace,
  );
  return cluster.operators.find(o => o.facts === facts);
}

async function mapLimited<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from(
    { length: Math.min(limit, items.length) },
    async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index]);
      }
    },
  );
  await Promise.all(workers);
  return results;
}

function operatorSettings(operator: OperatorRead): OperatorSettings {
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
  };
}

/** @public */
export interface RefreshServiceOptions {
  config: OnePasswordConfig;
  store: SecretSyncStore;
  kubernetes: KubernetesProxyClient;
  /** The clusters' collections, kept current by watches between refreshes. */
  collections: ClusterCollectionCache;
  gateways: Map<string, ConnectGateway>;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  metrics?: SyncMetrics;
}

/**
 * One refresh of the sync snapshot: reads every Connect server and every
 * cluster, evaluates every synced Secret, links it to its entity and stores
 * the result. A server or cluster that fails leaves its records at their last
 * known state, marked unknown.
 * @public
 */
export class RefreshService {
  static create(options: RefreshServiceOptions) {
    return new RefreshService(options);
  }

  private readonly snapshots: ConnectSnapshotService;

  private constructor(private readonly options: RefreshServiceOptions) {
    this.snapshots = ConnectSnapshotService.create({ store: options.store });
  }

  /** Which configured server a cluster's operator uses. */
  private serverFor(
    cluster: string,
    operator: OperatorDeploymentFacts | null,
  ): string | null {
    const { config } = this.options;
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

  private async readCluster(name: string): Promise<ClusterRead> {
    try {
      const facts = await readClusterFacts(
        this.options.kubernetes,
        this.options.collections,
        name,
        {
          namespaces: this.options.config.clusterNamespaces.get(name),
        },
      );
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
        serverName: this.serverFor(name, operator),
        secretCount: candidates.filter(
          c => operatorFor(found, c.facts.namespace) === operator,
        ).length,
      }));
      return {
        name,
        ok: true,
        candidates,
        operators,
        problems: facts.problems,
      };
    } catch (e) {
      return { name, ok: false, error: toError(e).message };
    }
  }

  /**
   * What Connect says about a candidate's item. A Deployment-sourced Secret
   * is followed by the ids the operator wrote, as its poller does after a
   * rename. For a service-account operator, a configured server that does not
   * see the vault says nothing about it: never a false item-not-found.
   */
  private lookup(
    cluster: string,
    operator: OperatorDeploymentFacts | undefined,
    serverName: string | null,
    view: ServerView | undefined,
    candidate: SyncedSecretCandidate,
    lastSuccessAt: string | null,
  ): ItemLookup {
    const serviceAccount = operator?.authMethod === 'service-account';
    if (!serverName) {
      return {
        kind: 'no-server',
        message: serviceAccount
          ? `The operator ${operator!.namespace}/${
              operator!.deploymentName
            } in cluster '${cluster}' uses a 1Password service account (OP_SERVICE_ACCOUNT_TOKEN), not Connect: Backstage cannot see its vaults unless onepassword.clusters.${cluster}.connectServer names a Connect server that does.`
          : `No configured Connect server matches the operator's OP_CONNECT_HOST ${
              operator?.connectHost
                ? `'${operator.connectHost}'`
                : '(operator not found)'
            } in cluster '${cluster}'.`,
      };
    }
    const secretPath = candidate.facts.secret?.itemPath ?? null;
    const path =
      candidate.facts.source === 'Deployment' && secretPath
        ? secretPath
        : candidate.facts.itemPath;
    const item = resolveItem(view, path, secretPath, lastSuccessAt);
    if (
      serviceAccount &&
      ((item.kind === 'not-found' && item.what === 'vault') ||
        item.kind === 'access-denied')
    ) {
      return {
        kind: 'no-server',
        message: `The operator in cluster '${cluster}' uses a 1Password service account, and Connect server '${serverName}' does not see the vault of ${candidate.facts.itemPath}: Backstage cannot tell whether this Secret is current.`,
      };
    }
    return item;
  }

  async refresh(): Promise<void> {
    const { store, config, logger, gateways } = this.options;
    const started = Date.now();
    const now = new Date();
    const at = now.toISOString();

    const [previousRecords, previousServers, previousClusters] =
      await Promise.all([
        store.listRecords(),
        store.listServers(),
        store.listClusters(),
      ]);
    const previousByKey = new Map(previousRecords.map(r => [recordKey(r), r]));
    const serverHealth = new Map(previousServers.map(s => [s.name, s]));
    const clusterHealth = new Map(previousClusters.map(c => [c.name, c]));

    const views = new Map<string, ServerView>();
    await Promise.all(
      config.servers.map(async server => {
        views.set(
          server.name,
          await this.snapshots.read(server.name, gateways.get(server.name)!),
        );
      }),
    );
    for (const view of views.values()) {
      if (view.state !== 'ok') {
        logger.warn(
          `Refresh could not read Connect server '${view.name}' (${view.state}): ${view.error}`,
        );
      }
    }

    let clusterNames: string[];
    let clusterListError: string | undefined;
    const notReadable = new Map<string, string>();
    try {
      const listed = await this.options.kubernetes.listClusterInfo();
      clusterNames = listed.map(c => c.name);
      for (const c of listed) {
        const reason = userTokenOnly(c.name, c.authProvider);
        if (reason) notReadable.set(c.name, reason);
      }
    } catch (e) {
      clusterListError = `the Kubernetes plugin's cluster list failed: ${
        toError(e).message
      }`;
      logger.warn(`Refresh could not list clusters: ${clusterListError}`);
      clusterNames = previousClusters.map(c => c.name);
    }
    const clusters: ClusterRead[] = clusterListError
      ? clusterNames.map(name => ({
          name,
          ok: false as const,
          error: clusterListError!,
        }))
      : await mapLimited(clusterNames, CLUSTER_CONCURRENCY, name =>
          notReadable.has(name)
            ? Promise.resolve({
                name,
                ok: false as const,
                error: notReadable.get(name)!,
                notReadable: true,
              })
            : this.readCluster(name),
        );
    if (!clusterListError) {
      // Watches of clusters that are gone, or of collections no longer read, stop.
      await this.options.collections.sweep(clusterNames);
    }

    await this.probeUnlistedVaults(clusters, views);

    let claims: EntityClaims | undefined;
    try {
      claims = await loadEntityClaims(this.options.catalog, this.options.auth);
    } catch (e) {
      logger.warn(
        `Refresh could not read the catalog, keeping the previous entity links: ${
          toError(e).message
        }`,
      );
    }

    const records: StoredSecretRecord[] = [];
    const link = (
      record: SecretSyncRecord,
      labels: Record<string, string>,
    ): StoredSecretRecord => {
      const previous = previousByKey.get(recordKey(record));
      const claim = claims
        ? claims.claim({ namespace: record.namespace, labels })
        : previous && { entityRef: previous.entityRef!, owner: previous.owner };
      return {
        ...record,
        labels,
        entityRef: claim?.entityRef ?? null,
        owner: claim?.owner ?? null,
      };
    };

    for (const cluster of clusters) {
      if (!cluster.ok) {
        const lastSuccessAt =
          clusterHealth.get(cluster.name)?.lastSuccessAt ?? null;
        for (const previous of previousRecords.filter(
          r => r.cluster === cluster.name,
        )) {
          records.push(
            link(
              markUnknown(
                previous,
                {
                  what: `Cluster '${cluster.name}'`,
                  message: cluster.error,
                  lastSuccessAt,
                  notReadable: cluster.notReadable,
                },
                now,
              ),
              previous.labels,
            ),
          );
        }
        logger.warn(
          `Refresh could not read cluster '${cluster.name}': ${cluster.error}`,
        );
        continue;
      }
      for (const candidate of cluster.candidates) {
        const key = recordKey(candidate.facts);
        const previous = previousByKey.get(key);
        const served = operatorOf(cluster, candidate.facts.namespace);
        const operator = {
          pollingIntervalSeconds:
            served?.facts.pollingIntervalSeconds ??
            config.pollingIntervalSeconds,
          autoRestart: served?.facts.autoRestart ?? false,
          watchNamespaces: served?.facts.watchNamespaces ?? null,
          health: served?.health,
          secretCount: served?.secretCount,
        };
        const serverName = served
          ? served.serverName
          : this.serverFor(cluster.name, null);
        const lastSuccessAt = serverName
          ? serverHealth.get(serverName)?.lastSuccessAt ?? null
          : null;
        const view = serverName ? views.get(serverName) : undefined;
        const item = this.lookup(
          cluster.name,
          served?.facts,
          serverName,
          view,
          candidate,
          lastSuccessAt,
        );
        if (item.kind === 'unavailable' && previous) {
          records.push(
            link(
              markUnknown(
                previous,
                {
                  what:
                    item.scope === 'vault'
                      ? `The item list of the vault of ${candidate.facts.itemPath} on Connect server '${serverName}'`
                      : `Connect server '${serverName}'`,
                  message: item.message,
                  lastSuccessAt,
                },
                now,
              ),
              candidate.labels,
            ),
          );
          continue;
        }
        const secretsProblem = cluster.problems.find(
          p =>
            p.kind === 'secrets' &&
            (!p.namespaces || p.namespaces.includes(candidate.facts.namespace)),
        );
        const record = evaluateSecretSync(
          {
            ...candidate.facts,
            item,
            secretsUnreadable: secretsProblem?.message ?? null,
            connectServer: serverName,
            operator,
            connectSync:
              view?.state === 'ok' ? connectCacheState(view.health) : undefined,
            previous: previous
              ? {
                  status: previous.status,
                  statusSince: previous.statusSince,
                  syncedAt: previous.syncedAt,
                  verifiedAt: previous.verifiedAt,
                  secretVersion: previous.secretVersion,
                }
              : null,
          },
          now,
          { pollSecondsPerSecret: config.pollSecondsPerSecret },
        );
        records.push(
          link(
            {
              ...record,
              ...workloadConsumerFields(
                candidate,
                record,
                operator.autoRestart,
              ),
            },
            candidate.labels,
          ),
        );
      }
    }

    const written = await store.replaceRecords(records, at);
    await this.saveHealth(
      views,
      clusters,
      records,
      serverHealth,
      clusterHealth,
      at,
    );
    await store.setLastRefreshAt(new Date().toISOString());

    const counts = emptyStatusCounts();
    let oldestStale = 0;
    for (const r of records) {
      counts[r.status]++;
      if (r.status === 'stale' && r.statusSince) {
        oldestStale = Math.max(
          oldestStale,
          (now.getTime() - Date.parse(r.statusSince)) / 1000,
        );
      }
    }
    const durationSeconds = (Date.now() - started) / 1000;
    this.options.metrics?.refreshed({
      durationSeconds,
      counts,
      oldestStaleSeconds: oldestStale,
    });
    logger.info(
      `Refreshed ${records.length} synced Secrets from ${
        clusters.length
      } clusters and ${views.size} Connect servers in ${durationSeconds.toFixed(
        1,
      )}s; ${written.written} changed, ${written.deleted} removed`,
    );
  }

  private async probeUnlistedVaults(
    clusters: ClusterRead[],
    views: Map<string, ServerView>,
  ) {
    const wanted = new Map<string, Set<string>>();
    for (const cluster of clusters) {
      if (!cluster.ok) continue;
      for (const c of cluster.candidates) {
        const serverName =
          operatorOf(cluster, c.facts.namespace)?.serverName ??
          (cluster.operators.length
            ? null
            : this.serverFor(cluster.name, null));
        const view = serverName ? views.get(serverName) : undefined;
        if (!serverName || view?.state !== 'ok') continue;
        const lookup = resolveItem(
          view,
          c.facts.itemPath,
          c.facts.secret?.itemPath ?? null,
          null,
        );
        const id = vaultToProbe(
          c.facts.itemPath,
          c.facts.secret?.itemPath ?? null,
        );
        if (lookup.kind === 'not-found' && lookup.what === 'vault' && id) {
          wanted.set(serverName, (wanted.get(serverName) ?? new Set()).add(id));
        }
      }
    }
    for (const [server, ids] of wanted) {
      await this.snapshots.probe(
        views.get(server)!,
        this.options.gateways.get(server)!,
        [...ids],
      );
    }
  }

  /** Stores server and cluster health; the store writes only what changed. */
  private async saveHealth(
    views: Map<string, ServerView>,
    clusters: ClusterRead[],
    records: StoredSecretRecord[],
    serverHealth: Map<string, { lastSuccessAt: string | null }>,
    clusterHealth: Map<string, ClusterHealth>,
    at: string,
  ) {
    const { store, config } = this.options;
    const servers: ConnectServerHealth[] = config.servers.map(server => {
      const view = views.get(server.name)!;
      const ok = view.state === 'ok';
      const cache = ok ? connectCacheState(view.health) : null;
      const behind = records.find(
        r => r.connectServer === server.name && r.connectBehind,
      );
      return {
        name: server.name,
        url: server.url,
        healthy: ok && view.health.healthy,
        version: view.health.version,
        dependencies: view.health.dependencies,
        vaultCount: ok ? view.vaults.length : null,
        lastRefreshAt: at,
        lastSuccessAt: ok
          ? at
          : serverHealth.get(server.name)?.lastSuccessAt ?? null,
        error: view.error ?? view.health.error,
        syncState: cache?.lagging || behind ? 'lagging' : 'ok',
        syncReason:
          cache?.reason ??
          (behind
            ? `Secret ${behind.namespace}/${behind.secretName} in cluster '${behind.cluster}' carries item version ${behind.secretVersion}, newer than the version ${behind.itemVersion} this server lists`
            : null),
        vaultFailures: [...view.vaultFailures.entries()].map(
          ([vaultId, failure]) => ({ vaultId, ...failure }),
        ),
      };
    });
    await store.putServers(servers);
    for (const server of config.servers) {
      await this.snapshots.save(views.get(server.name)!, at);
    }
    const secretCounts = new Map<string, number>();
    for (const r of records) {
      secretCounts.set(r.cluster, (secretCounts.get(r.cluster) ?? 0) + 1);
    }
    await store.putClusters(
      clusters.map(cluster => {
        const previous = clusterHealth.get(cluster.name);
        const operators = cluster.ok
          ? cluster.operators.map(operatorSettings)
          : previous?.operators ??
            (previous?.operator ? [previous.operator] : []);
        return {
          name: cluster.name,
          healthy: cluster.ok,
          operator: operators[0] ?? null,
          operators,
          readProblems: cluster.ok
            ? cluster.problems
            : previous?.readProblems ?? [],
          secretCount: secretCounts.get(cluster.name) ?? 0,
          lastRefreshAt: at,
          lastSuccessAt: cluster.ok ? at : previous?.lastSuccessAt ?? null,
          error: cluster.ok ? null : cluster.error,
        };
      }),
    );
  }
}
