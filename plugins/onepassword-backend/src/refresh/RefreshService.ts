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
import { recordKey } from '@secret-sync/backstage-plugin-onepassword-common';
import { OnePasswordConfig } from '../config';
import { ConnectGateway } from '../connect/ConnectGateway';
import {
  ConnectSnapshotService,
  ServerView,
} from '../connect/ConnectSnapshotService';
import {
  RecordWriteResult,
  SecretSyncStore,
  StoredSecretRecord,
} from '../database/SecretSyncStore';
import { EntityClaims, loadEntityClaims } from '../entities/EntityClaims';
import { KubernetesProxyClient } from '../kubernetes/KubernetesProxyClient';
import { ClusterCollectionCache } from '../kubernetes/watch/ClusterCollectionCache';
import {
  evaluateRecords,
  PreviousSnapshot,
  RefreshReads,
} from './evaluateRecords';
import {
  assessConnectDeployments,
  ClusterRead,
  operatorOf,
  readClusters,
  serverFor,
} from './readClusters';
import {
  clusterHealthAfter,
  serverHealthAfter,
  summarizeRecords,
} from './refreshHealth';
import { RefreshFollowUp } from './RefreshOutcome';
import { resolveItem, vaultToProbe } from './resolveItem';
import { SyncMetrics } from './SyncMetrics';
import { rotationDeadline } from '../rotation/rotationDeadline';

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
  /** Called after each refresh stored its result (notifications, signals). */
  onRefreshed?: RefreshFollowUp;
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

  async refresh(): Promise<void> {
    const started = Date.now();
    const now = new Date();
    const at = now.toISOString();
    const previousRefreshAt = await this.options.store.getLastRefreshAt();
    const previous = await this.readPrevious();
    const views = await this.readServers();
    const clusters = await this.readClusters(previous);
    await this.probeUnlistedVaults(clusters, views);
    assessConnectDeployments(clusters, views);
    const reads: RefreshReads = {
      views,
      clusters,
      claims: await this.readClaims(),
      previous,
    };
    const records = evaluateRecords(this.options.config, reads, now);
    const written = await this.store(reads, records, at);
    await this.options.onRefreshed?.({
      at,
      previousRefreshAt,
      previous: {
        records: previous.records,
        servers: [...previous.serverHealth.values()],
        clusters: [...previous.clusterHealth.values()],
      },
      records,
      write: written,
    });
    this.report(reads, records, written, now, started);
  }

  /** What the store held before this refresh. */
  private async readPrevious(): Promise<PreviousSnapshot> {
    const { store } = this.options;
    const [records, servers, clusters] = await Promise.all([
      store.listRecords(),
      store.listServers(),
      store.listClusters(),
    ]);
    return {
      records,
      recordsByKey: new Map(records.map(r => [recordKey(r), r])),
      serverHealth: new Map(servers.map(s => [s.name, s])),
      clusterHealth: new Map(clusters.map(c => [c.name, c])),
    };
  }

  /** Every Connect server's vaults and items (what changed of them). */
  private async readServers(): Promise<Map<string, ServerView>> {
    const { config, gateways, logger } = this.options;
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
    return views;
  }

  /** Every cluster's synced Secret candidates and operators. */
  private async readClusters(
    previous: PreviousSnapshot,
  ): Promise<ClusterRead[]> {
    const { logger } = this.options;
    const { clusters, listError } = await readClusters(this.options, [
      ...previous.clusterHealth.keys(),
    ]);
    if (listError) {
      logger.warn(`Refresh could not list clusters: ${listError}`);
    }
    for (const cluster of clusters) {
      if (!cluster.ok) {
        logger.warn(
          `Refresh could not read cluster '${cluster.name}': ${cluster.error}`,
        );
      }
    }
    return clusters;
  }

  /**
   * Vaults that candidates name but the vault list does not show
   * are asked for by id, since a token may read a vault it cannot list.
   */
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
            : serverFor(this.options.config, cluster.name, null));
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

  /** Which entity claims which namespace; undefined keeps the old links. */
  private async readClaims(): Promise<EntityClaims | undefined> {
    try {
      return await loadEntityClaims(this.options.catalog, this.options.auth);
    } catch (e) {
      this.options.logger.warn(
        `Refresh could not read the catalog, keeping the previous entity links: ${
          toError(e).message
        }`,
      );
      return undefined;
    }
  }

  /** Records, server and cluster health; the store writes only what changed. */
  private async store(
    reads: RefreshReads,
    records: StoredSecretRecord[],
    at: string,
  ): Promise<RecordWriteResult> {
    const { store, config } = this.options;
    const { views, clusters, previous } = reads;
    const written = await store.replaceRecords(
      records.map(r => ({
        ...r,
        rotateBy: rotationDeadline(r, config.rotation),
      })),
      at,
    );
    await store.putServers(
      serverHealthAfter(config, views, records, previous, at),
    );
    for (const server of config.servers) {
      await this.snapshots.save(views.get(server.name)!, at);
    }
    await store.putClusters(
      clusterHealthAfter(clusters, records, previous, at),
    );
    await store.setLastRefreshAt(new Date().toISOString());
    return written;
  }

  /** Metrics and the log line. */
  private report(
    reads: RefreshReads,
    records: StoredSecretRecord[],
    written: RecordWriteResult,
    now: Date,
    started: number,
  ) {
    const { counts, oldestStaleSeconds } = summarizeRecords(records, now);
    const durationSeconds = (Date.now() - started) / 1000;
    this.options.metrics?.refreshed({
      durationSeconds,
      counts,
      oldestStaleSeconds,
    });
    this.options.logger.info(
      `Refreshed ${records.length} synced Secrets from ${
        reads.clusters.length
      } clusters and ${
        reads.views.size
      } Connect servers in ${durationSeconds.toFixed(1)}s; ${
        written.written
      } changed, ${written.deleted} removed`,
    );
  }
}
