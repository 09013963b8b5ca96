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
  evaluateCluster,
  EvaluatedRecord,
  linkRecord,
  PreviousSnapshot,
  RefreshReads,
} from './evaluateRecords';
import {
  assessConnectDeployments,
  ClusterRead,
  ClusterReadOk,
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
import { recordAtReadTime, staleDeadline } from '../database/recordAtReadTime';

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

/** A vault to ask Connect about by id: its server and id. */
type WantedProbe = [server: string, vaultId: string];

/** One cluster as the last refresh read and evaluated it. */
interface EvaluatedCluster {
  read: ClusterRead;
  evaluated: EvaluatedRecord[];
  /** The unlisted vaults its candidates named, asked for by id. */
  probes: WantedProbe[];
}

/**
 * What this replica's last refresh evaluated, to evaluate again only what
 * changed since. Valid while the store's refresh time is the one it wrote:
 * a refresh of another replica, or a restart, starts from the store again.
 */
interface LastEvaluation {
  refreshedAt: string;
  records: StoredSecretRecord[];
  byKey: Map<string, StoredSecretRecord>;
  clusters: Map<string, EvaluatedCluster>;
  /** Each server's view as evaluated (vault list, health, failures, probes). */
  servers: Map<string, string>;
  /** The same before the probes, which decided what was probed. */
  serversBeforeProbes: Map<string, string>;
  /** Each server's vaults' contents, by vault id. */
  vaults: Map<string, Map<string, string>>;
  /** The catalog claims the records are linked with. */
  claims: string | undefined;
}

/** What a server view says beyond the vaults' contents, as one string. */
function serverFingerprint(view: ServerView): string {
  return JSON.stringify([
    view.state,
    view.error,
    view.status ?? null,
    view.health,
    view.vaults.map(v => [v.id, v.name, v.createdAt ?? null]),
    [...view.vaultFailures],
    [...view.probes].sort(),
  ]);
}

/**
 * Each listed vault's contents, by id: its content version, which Connect
 * moves with every change of its items (the item list is cached by it),
 * else the items themselves.
 */
function vaultContents(view: ServerView): Map<string, string> {
  return new Map(
    view.vaults.map(v => [
      v.id,
      v.contentVersion !== null
        ? `version ${v.contentVersion}`
        : JSON.stringify(v.items),
    ]),
  );
}

/**
 * One refresh of the sync snapshot: reads every Connect server and every
 * cluster, evaluates every synced Secret, links it to its entity and stores
 * the result. A server or cluster that fails leaves its records at their last
 * known state, marked unknown. After a refresh of its own, it evaluates
 * again only the records whose inputs changed: clusters whose watched
 * collections changed, vaults whose content moved, servers whose vault list
 * or health changed, catalog claims, and records whose time-driven deadline
 * passed; and it writes only those.
 * @public
 */
export class RefreshService {
  static create(options: RefreshServiceOptions) {
    return new RefreshService(options);
  }

  private readonly snapshots: ConnectSnapshotService;
  private last: LastEvaluation | undefined;
  /** The catalog's claims as last read, kept while no claiming entity changes. */
  private claims: EntityClaims | undefined;

  private constructor(private readonly options: RefreshServiceOptions) {
    this.snapshots = ConnectSnapshotService.create({ store: options.store });
  }

  async refresh(): Promise<void> {
    const started = Date.now();
    const now = new Date();
    const at = now.toISOString();
    const previousRefreshAt = await this.options.store.getLastRefreshAt();
    const last =
      this.last && this.last.refreshedAt === previousRefreshAt
        ? this.last
        : undefined;
    // A refresh that fails part way leaves nothing to build on.
    this.last = undefined;
    const previous = last
      ? await this.previousOf(last, now)
      : await this.readPrevious();
    const views = await this.readServers();
    const clusters = await this.readClusters(previous, last);
    const serversBeforeProbes = new Map(
      [...views].map(([name, view]) => [name, serverFingerprint(view)]),
    );
    const probes = await this.probeUnlistedVaults(
      clusters,
      views,
      last && sameEntries(last.serversBeforeProbes, serversBeforeProbes)
        ? last
        : undefined,
    );
    assessConnectDeployments(clusters, views);
    const claims = await this.readClaims();
    const reads: RefreshReads = { views, clusters, claims, previous };
    const evaluation = this.evaluate(reads, now, last);
    const records = evaluation.flatMap(c => c.evaluated.map(e => e.record));
    const written = await this.store(reads, records, at, last, evaluation);
    await this.options.onRefreshed?.({
      at,
      previousRefreshAt,
      previous: {
        records: previous.records,
        servers: [...previous.serverHealth.values()],
        clusters: [...previous.clusterHealth.values()],
      },
      records,
      write: written.result,
    });
    this.last = {
      refreshedAt: written.refreshedAt,
      records,
      byKey: written.byKey ?? new Map(records.map(r => [recordKey(r), r])),
      clusters: new Map(
        evaluation.map(c => [
          c.read.name,
          {
            read: c.read,
            evaluated: c.evaluated,
            probes: probes.get(c.read.name) ?? [],
          },
        ]),
      ),
      servers: new Map(
        [...views].map(([name, view]) => [name, serverFingerprint(view)]),
      ),
      serversBeforeProbes,
      vaults: new Map(
        [...views].map(([name, view]) => [name, vaultContents(view)]),
      ),
      claims: claims?.fingerprint ?? last?.claims,
    };
    this.report(
      reads,
      records,
      written.result,
      evaluation.reduce((n, c) => n + c.evaluatedAgain, 0),
      now,
      started,
    );
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

  /**
   * What the store holds after this replica's last refresh, without reading
   * its records: they are the ones that refresh stored, read as the store
   * reads them now.
   */
  private async previousOf(
    last: LastEvaluation,
    now: Date,
  ): Promise<PreviousSnapshot> {
    const { store } = this.options;
    const [servers, clusters] = await Promise.all([
      store.listServers(),
      store.listClusters(),
    ]);
    const clock = { refreshedAt: last.refreshedAt, now };
    return {
      records: last.records,
      recordsByKey: {
        get: key => {
          const record = last.byKey.get(key);
          return (
            record && recordAtReadTime(record, staleDeadline(record), clock)
          );
        },
      },
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

  /**
   * Every cluster's synced Secret candidates and operators; a cluster whose
   * watched collections did not change since the last refresh is not read
   * again.
   */
  private async readClusters(
    previous: PreviousSnapshot,
    last: LastEvaluation | undefined,
  ): Promise<ClusterRead[]> {
    const { logger } = this.options;
    const earlierReads = new Map<string, ClusterReadOk>();
    for (const [name, cluster] of last?.clusters ?? []) {
      if (cluster.read.ok) earlierReads.set(name, cluster.read);
    }
    const { clusters, listError } = await readClusters(
      this.options,
      [...previous.clusterHealth.keys()],
      earlierReads,
    );
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

  /** The unlisted vaults that a cluster's candidates name, by server. */
  private wantedProbes(
    cluster: ClusterRead,
    views: Map<string, ServerView>,
  ): WantedProbe[] {
    const wanted: WantedProbe[] = [];
    if (!cluster.ok) return wanted;
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
        wanted.push([serverName, id]);
      }
    }
    return wanted;
  }

  /**
   * Vaults that candidates name but the vault list does not show
   * are asked for by id, since a token may read a vault it cannot list.
   * The vaults a cluster read before names are those it named then, while
   * no server's view changed. Returns what each cluster named.
   */
  private async probeUnlistedVaults(
    clusters: ClusterRead[],
    views: Map<string, ServerView>,
    unchangedViews: LastEvaluation | undefined,
  ): Promise<Map<string, WantedProbe[]>> {
    const byCluster = new Map<string, WantedProbe[]>();
    const wanted = new Map<string, Set<string>>();
    for (const cluster of clusters) {
      const earlier = unchangedViews?.clusters.get(cluster.name);
      const probes =
        earlier && sameRead(earlier.read, cluster)
          ? earlier.probes
          : this.wantedProbes(cluster, views);
      byCluster.set(cluster.name, probes);
      for (const [server, id] of probes) {
        wanted.set(server, (wanted.get(server) ?? new Set()).add(id));
      }
    }
    for (const [server, ids] of wanted) {
      await this.snapshots.probe(
        views.get(server)!,
        this.options.gateways.get(server)!,
        [...ids],
      );
    }
    return byCluster;
  }

  /** Which entity claims which namespace; undefined keeps the old links. */
  private async readClaims(): Promise<EntityClaims | undefined> {
    try {
      this.claims = await loadEntityClaims(
        this.options.catalog,
        this.options.auth,
        this.claims,
      );
      return this.claims;
    } catch (e) {
      this.options.logger.warn(
        `Refresh could not read the catalog, keeping the previous entity links: ${
          toError(e).message
        }`,
      );
      return undefined;
    }
  }

  /**
   * Each cluster's records. After a refresh of this replica, a record is
   * evaluated again only when an input of it changed: its cluster's read,
   * its server's view, the content of its vault, or its time-driven
   * deadline passed; changed claims link it again. The rest is what a full
   * evaluation would give (see `incrementalRefresh.test.ts`).
   */
  private evaluate(
    reads: RefreshReads,
    now: Date,
    last: LastEvaluation | undefined,
  ): Array<{
    read: ClusterRead;
    evaluated: EvaluatedRecord[];
    /** Records evaluated (or linked) again, not given from the last refresh. */
    evaluatedAgain: number;
  }> {
    const { config } = this.options;
    const { views, claims } = reads;
    const changedServers = new Set(
      [...views]
        .filter(
          ([name, view]) => last?.servers.get(name) !== serverFingerprint(view),
        )
        .map(([name]) => name),
    );
    const contents = new Map(
      [...views].map(([name, view]) => [name, vaultContents(view)]),
    );
    const relink = claims !== undefined && claims.fingerprint !== last?.claims;
    return reads.clusters.map(cluster => {
      const earlier = last?.clusters.get(cluster.name);
      const unchanged = earlier && sameRead(earlier.read, cluster);
      let evaluatedAgain = 0;
      const evaluated = evaluateCluster(
        config,
        reads,
        cluster,
        now,
        unchanged
          ? (_candidate, index) => {
              const before = earlier.evaluated[index];
              if (
                !before ||
                before.changesAt <= now.getTime() ||
                (before.server !== null &&
                  (changedServers.has(before.server) ||
                    (before.vaultId !== null &&
                      contents.get(before.server)?.get(before.vaultId) !==
                        last!.vaults.get(before.server)?.get(before.vaultId))))
              ) {
                evaluatedAgain++;
                return undefined;
              }
              if (!relink) return before;
              const { record } = before;
              const linked = linkRecord(record, record.labels, claims, record);
              if (
                linked.entityRef === record.entityRef &&
                linked.owner === record.owner
              ) {
                return before;
              }
              evaluatedAgain++;
              return { ...before, record: linked };
            }
          : undefined,
      ).map((e, index) => {
        if (unchanged && e === earlier.evaluated[index]) return e;
        return {
          ...e,
          record: {
            ...e.record,
            rotateBy: rotationDeadline(e.record, config.rotation),
          },
        };
      });
      if (!unchanged) evaluatedAgain = evaluated.length;
      return { read: cluster, evaluated, evaluatedAgain };
    });
  }

  /** Records, server and cluster health; the store writes only what changed. */
  private async store(
    reads: RefreshReads,
    records: StoredSecretRecord[],
    at: string,
    last: LastEvaluation | undefined,
    evaluation: Array<{ read: ClusterRead; evaluated: EvaluatedRecord[] }>,
  ): Promise<{
    result: RecordWriteResult;
    refreshedAt: string;
    /** The records by key, when known without indexing them all again. */
    byKey?: Map<string, StoredSecretRecord>;
  }> {
    const { store, config } = this.options;
    const { views, clusters, previous } = reads;
    const changed = last
      ? await this.storeChanged(last, evaluation, at)
      : undefined;
    const written =
      changed?.result ?? (await store.replaceRecords(records, at));
    await store.putServers(
      serverHealthAfter(config, views, records, previous, at),
    );
    for (const server of config.servers) {
      await this.snapshots.save(views.get(server.name)!, at);
    }
    await store.putClusters(
      clusterHealthAfter(clusters, records, previous, at),
    );
    const refreshedAt = new Date().toISOString();
    await store.setLastRefreshAt(refreshedAt);
    return { result: written, refreshedAt, byKey: changed?.byKey };
  }

  /**
   * Writes the records evaluated again and removes those gone: the others
   * are the ones the last refresh stored.
   */
  private async storeChanged(
    last: LastEvaluation,
    evaluation: Array<{ read: ClusterRead; evaluated: EvaluatedRecord[] }>,
    at: string,
  ): Promise<{
    result: RecordWriteResult;
    byKey: Map<string, StoredSecretRecord>;
  }> {
    const again: StoredSecretRecord[] = [];
    const removed: string[] = [];
    for (const { read, evaluated } of evaluation) {
      const earlier = last.clusters.get(read.name);
      const unchanged = earlier && sameRead(earlier.read, read);
      if (unchanged) {
        evaluated.forEach((e, index) => {
          if (e !== earlier.evaluated[index]) again.push(e.record);
        });
        continue;
      }
      const keys = new Set<string>();
      for (const e of evaluated) {
        again.push(e.record);
        keys.add(recordKey(e.record));
      }
      for (const e of earlier?.evaluated ?? []) {
        const key = recordKey(e.record);
        if (!keys.has(key)) removed.push(key);
      }
    }
    // Clusters no longer listed take their records with them.
    for (const [name, earlier] of last.clusters) {
      if (evaluation.some(c => c.read.name === name)) continue;
      removed.push(...earlier.evaluated.map(e => recordKey(e.record)));
    }
    const result = await this.options.store.updateRecords(again, removed, at);
    // The last refresh's index, brought up to date: it is not read again.
    const byKey = last.byKey;
    for (const key of removed) byKey.delete(key);
    for (const record of again) byKey.set(recordKey(record), record);
    return { result, byKey };
  }

  /** Metrics and the log line. */
  private report(
    reads: RefreshReads,
    records: StoredSecretRecord[],
    written: RecordWriteResult,
    evaluatedAgain: number,
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
      } Connect servers in ${durationSeconds.toFixed(
        1,
      )}s; ${evaluatedAgain} evaluated, ${written.written} changed, ${
        written.deleted
      } removed`,
    );
  }
}

/** Whether a cluster read is an earlier one given again (nothing it read changed). */
function sameRead(earlier: ClusterRead, read: ClusterRead): boolean {
  return earlier.ok && read.ok && earlier.candidates === read.candidates;
}

function sameEntries(a: Map<string, string>, b: Map<string, string>) {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}
