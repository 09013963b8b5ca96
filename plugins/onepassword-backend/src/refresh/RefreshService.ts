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
  emptyStatusCounts,
  evaluateSecretSync,
  ItemLookup,
  markUnknown,
  OperatorSettings,
  SecretSyncRecord,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { normalizedOrigin, OnePasswordConfig } from '../config';
import { ConnectGateway } from '../connect/ConnectGateway';
import {
  ConnectSnapshotService,
  ServerView,
} from '../connect/ConnectSnapshotService';
import {
  recordKey,
  SecretSyncStore,
  StoredSecretRecord,
} from '../database/SecretSyncStore';
import {
  EntityClaims,
  loadEntityClaims,
} from '../entities/EntityOwnershipResolver';
import { KubernetesProxyClient } from '../kubernetes/KubernetesProxyClient';
import { readClusterFacts } from '../kubernetes/readClusterFacts';
import {
  collectSyncedSecrets,
  findOperator,
  OperatorDeploymentFacts,
  SyncedSecretCandidate,
} from './collectSyncedSecrets';
import { resolveItem, vaultToProbe } from './resolveItem';
import { SyncMetrics } from './SyncMetrics';

const CLUSTER_CONCURRENCY = 8;

type ClusterRead =
  | {
      name: string;
      ok: true;
      candidates: SyncedSecretCandidate[];
      operator: OperatorDeploymentFacts | null;
      serverName: string | null;
    }
  | { name: string; ok: false; error: string };

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

function operatorSettings(
  operator: OperatorDeploymentFacts | null,
  connectServer: string | null,
): OperatorSettings | null {
  if (!operator) return null;
  const { pollingIntervalSeconds, ...rest } = operator;
  return {
    ...rest,
    pollingIntervalSeconds,
    pollingIntervalFromOperator: true,
    connectServer,
  };
}

/** @public */
export interface RefreshServiceOptions {
  config: OnePasswordConfig;
  store: SecretSyncStore;
  kubernetes: KubernetesProxyClient;
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
      const facts = await readClusterFacts(this.options.kubernetes, name);
      const operator = findOperator(facts.deployments);
      return {
        name,
        ok: true,
        candidates: collectSyncedSecrets(facts, name),
        operator,
        serverName: this.serverFor(name, operator),
      };
    } catch (e) {
      return { name, ok: false, error: toError(e).message };
    }
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
    try {
      clusterNames = await this.options.kubernetes.listClusters();
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
          this.readCluster(name),
        );

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
      const operator = {
        pollingIntervalSeconds:
          cluster.operator?.pollingIntervalSeconds ??
          config.pollingIntervalSeconds,
        autoRestart: cluster.operator?.autoRestart ?? false,
        watchNamespaces: cluster.operator?.watchNamespaces ?? null,
      };
      for (const candidate of cluster.candidates) {
        const key = recordKey(candidate.facts);
        const previous = previousByKey.get(key);
        const serverName = cluster.serverName;
        const lastSuccessAt = serverName
          ? serverHealth.get(serverName)?.lastSuccessAt ?? null
          : null;
        const item: ItemLookup = serverName
          ? resolveItem(
              views.get(serverName),
              candidate.facts.itemPath,
              candidate.facts.secret?.itemPath ?? null,
              lastSuccessAt,
            )
          : {
              kind: 'no-server',
              message: `No configured Connect server matches the operator's OP_CONNECT_HOST ${
                cluster.operator?.connectHost
                  ? `'${cluster.operator.connectHost}'`
                  : '(operator not found)'
              } in cluster '${cluster.name}'.`,
            };
        if (item.kind === 'unavailable' && previous) {
          records.push(
            link(
              markUnknown(
                previous,
                {
                  what: `Connect server '${serverName}'`,
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
        const record = evaluateSecretSync(
          {
            ...candidate.facts,
            item,
            connectServer: serverName,
            operator,
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
        );
        records.push(link(record, candidate.labels));
      }
    }

    await store.replaceRecords(records, at);
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
      )}s`,
    );
  }

  private async probeUnlistedVaults(
    clusters: ClusterRead[],
    views: Map<string, ServerView>,
  ) {
    const wanted = new Map<string, Set<string>>();
    for (const cluster of clusters) {
      if (!cluster.ok || !cluster.serverName) continue;
      const view = views.get(cluster.serverName);
      if (view?.state !== 'ok') continue;
      for (const c of cluster.candidates) {
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
          wanted.set(
            cluster.serverName,
            (wanted.get(cluster.serverName) ?? new Set()).add(id),
          );
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

  private async saveHealth(
    views: Map<string, ServerView>,
    clusters: ClusterRead[],
    records: StoredSecretRecord[],
    serverHealth: Map<string, { lastSuccessAt: string | null }>,
    clusterHealth: Map<string, ClusterHealth>,
    at: string,
  ) {
    const { store, config } = this.options;
    for (const server of config.servers) {
      const view = views.get(server.name)!;
      const ok = view.state === 'ok';
      await store.putServer({
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
      });
      await this.snapshots.save(view, at);
    }
    for (const cluster of clusters) {
      const previous = clusterHealth.get(cluster.name);
      await store.putCluster({
        name: cluster.name,
        healthy: cluster.ok,
        operator: cluster.ok
          ? operatorSettings(cluster.operator, cluster.serverName)
          : previous?.operator ?? null,
        secretCount: records.filter(r => r.cluster === cluster.name).length,
        lastRefreshAt: at,
        lastSuccessAt: cluster.ok ? at : previous?.lastSuccessAt ?? null,
        error: cluster.ok ? null : cluster.error,
      });
    }
  }
}
