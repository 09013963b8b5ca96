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
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  AuditRecord,
  ClusterHealth,
  ConnectServerHealth,
  emptyStatusCounts,
  isSyncStatus,
  KUBERNETES_ID_ANNOTATION,
  STATUS_SEVERITY,
  SyncStatus,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { Knex } from 'knex';
import {
  AuditFilter,
  AuditPage,
  AuditPageRequest,
  CachedVault,
  recordKey,
  SecretSyncStore,
  StatusTransition,
  StoredSecretRecord,
} from './SecretSyncStore';

const migrationsDir = resolvePackagePath(
  '@secret-sync/backstage-plugin-onepassword-backend',
  'migrations',
);

const RECORDS = 'onepassword_secret_records';
const TRANSITIONS = 'onepassword_status_transitions';
const SERVERS = 'onepassword_connect_servers';
const CLUSTERS = 'onepassword_clusters';
const VAULTS = 'onepassword_vaults';
const META = 'onepassword_meta';
const CHUNK = 200;

const SORT_COLUMNS: Record<AuditPageRequest['sort']['field'], string> = {
  status: 'status_rank',
  cluster: 'cluster',
  namespace: 'namespace',
  secretName: 'secret_name',
  entityRef: 'entity_ref',
  owner: 'owner',
  syncedAt: 'synced_at',
  itemUpdatedAt: 'item_updated_at',
};

type Row = Record<string, any>;

function json<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  return typeof value === 'string' ? JSON.parse(value) : (value as T);
}

/** Record facts kept in the `details` JSON column (see its migration). */
const RECORD_DETAILS = [
  'lastFailedAt',
  'lastFailureMessage',
  'recovered',
  'pendingUntil',
  'pollDurationSeconds',
  'overdueSince',
  'lastSeenAt',
  'connectBehind',
  'consumers',
  'restartNeeded',
  'restartHint',
] as const;

function pick<T extends object>(value: T, keys: readonly (keyof T)[]): string {
  return JSON.stringify(
    Object.fromEntries(
      keys.filter(k => value[k] !== undefined).map(k => [k, value[k]]),
    ),
  );
}

function toRow(r: StoredSecretRecord, observedAt: string): Row {
  return {
    record_key: recordKey(r),
    cluster: r.cluster,
    namespace: r.namespace,
    secret_name: r.secretName,
    source: r.source,
    item_path: r.itemPath,
    vault_id: r.vaultId,
    item_id: r.itemId,
    vault_name: r.vaultName,
    item_title: r.itemTitle,
    connect_server: r.connectServer,
    status: r.status,
    status_rank: STATUS_SEVERITY.indexOf(r.status),
    item_version: r.itemVersion,
    secret_version: r.secretVersion,
    item_updated_at: r.itemUpdatedAt,
    synced_at: r.syncedAt,
    verified_at: r.verifiedAt,
    polling_interval_seconds: r.pollingIntervalSeconds,
    next_poll_by: r.nextPollBy,
    auto_restart_enabled: r.autoRestart.enabled,
    auto_restart_source: r.autoRestart.source,
    last_restarted_at: r.lastRestartedAt,
    status_since: r.statusSince,
    message: r.message,
    hint: r.hint,
    details: pick(r, RECORD_DETAILS),
    labels: JSON.stringify(r.labels),
    kubernetes_id: r.labels[KUBERNETES_ID_ANNOTATION] ?? null,
    entity_ref: r.entityRef,
    owner: r.owner,
    observed_at: observedAt,
  };
}

function toAuditRecord(row: Row): AuditRecord {
  return {
    cluster: row.cluster,
    namespace: row.namespace,
    secretName: row.secret_name,
    source: row.source,
    itemPath: row.item_path,
    vaultId: row.vault_id,
    itemId: row.item_id,
    vaultName: row.vault_name,
    itemTitle: row.item_title,
    connectServer: row.connect_server,
    status: row.status,
    itemVersion: row.item_version,
    secretVersion: row.secret_version,
    itemUpdatedAt: row.item_updated_at,
    syncedAt: row.synced_at,
    verifiedAt: row.verified_at,
    pollingIntervalSeconds: row.polling_interval_seconds,
    nextPollBy: row.next_poll_by,
    autoRestart: {
      enabled: Boolean(row.auto_restart_enabled),
      source: row.auto_restart_source,
    },
    lastRestartedAt: row.last_restarted_at,
    statusSince: row.status_since,
    message: row.message,
    hint: row.hint,
    ...json(row.details, {}),
    entityRef: row.entity_ref,
    owner: row.owner,
  };
}

function toStoredRecord(row: Row): StoredSecretRecord {
  return { ...toAuditRecord(row), labels: json(row.labels, {}) };
}

/**
 * The knex implementation of {@link SecretSyncStore}, for SQLite and
 * PostgreSQL.
 * @public
 */
export class DatabaseSecretSyncStore implements SecretSyncStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseSecretSyncStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseSecretSyncStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async listRecords(
    filter: { kubernetesId?: string; namespace?: string } = {},
  ): Promise<StoredSecretRecord[]> {
    const query = this.db(RECORDS).select('*').orderBy('record_key');
    if (filter.kubernetesId !== undefined) {
      query.where('kubernetes_id', filter.kubernetesId);
    }
    if (filter.namespace !== undefined) {
      query.where('namespace', filter.namespace);
    }
    return (await query).map(toStoredRecord);
  }

  async replaceRecords(
    records: StoredSecretRecord[],
    at: string,
  ): Promise<void> {
    await this.db.transaction(async tx => {
      const previous = new Map<string, string>(
        (await tx(RECORDS).select('record_key', 'status')).map(
          (r: Row) => [r.record_key, r.status] as [string, string],
        ),
      );
      const rows = records.map(r => toRow(r, at));
      const keep = new Set(rows.map(r => r.record_key));
      const gone = [...previous.keys()].filter(k => !keep.has(k));
      for (let i = 0; i < gone.length; i += CHUNK) {
        await tx(RECORDS)
          .whereIn('record_key', gone.slice(i, i + CHUNK))
          .delete();
      }
      for (let i = 0; i < rows.length; i += CHUNK) {
        await tx(RECORDS)
          .insert(rows.slice(i, i + CHUNK))
          .onConflict('record_key')
          .merge();
      }
      const transitions = rows
        .filter(r => previous.get(r.record_key) !== r.status)
        .map(r => ({
          record_key: r.record_key,
          from_status: previous.get(r.record_key) ?? null,
          to_status: r.status,
          at: r.status_since ?? at,
          item_version: r.item_version,
          secret_version: r.secret_version,
          message: r.message,
        }));
      for (let i = 0; i < transitions.length; i += CHUNK) {
        await tx(TRANSITIONS).insert(transitions.slice(i, i + CHUNK));
      }
    });
  }

  async listTransitions(key: string): Promise<StatusTransition[]> {
    const rows = await this.db(TRANSITIONS)
      .where('record_key', key)
      .orderBy([{ column: 'at' }, { column: 'id' }]);
    return rows.map((r: Row) => ({
      recordKey: r.record_key,
      fromStatus: r.from_status,
      toStatus: r.to_status,
      at: r.at,
      itemVersion: r.item_version,
      secretVersion: r.secret_version,
      message: r.message,
    }));
  }

  private applyFilter(query: Knex.QueryBuilder, filter: AuditFilter) {
    if (filter.status?.length) query.whereIn('status', filter.status);
    if (filter.cluster?.length) query.whereIn('cluster', filter.cluster);
    if (filter.owner?.length) query.whereIn('owner', filter.owner);
    if (filter.server?.length) query.whereIn('connect_server', filter.server);
    if (filter.orphans === true) query.whereNull('entity_ref');
    if (filter.orphans === false) query.whereNotNull('entity_ref');
    if (filter.q) {
      const pattern = `%${filter.q
        .toLocaleLowerCase('en-US')
        .replace(/[\\%_]/g, c => `\\${c}`)}%`;
      query.where(inner => {
        for (const column of [
          'secret_name',
          'namespace',
          'entity_ref',
          'vault_name',
          'item_title',
          'owner',
        ]) {
          inner.orWhereRaw(`lower(${column}) like ? escape '\\'`, [pattern]);
        }
      });
    }
    return query;
  }

  async queryAudit(request: AuditPageRequest): Promise<AuditPage> {
    const column = SORT_COLUMNS[request.sort.field];
    const direction = request.sort.descending ? 'desc' : 'asc';
    const [rows, counts] = await Promise.all([
      this.applyFilter(this.db(RECORDS).select('*'), request)
        // Nulls last on every database; PostgreSQL and SQLite disagree by default.
        .orderByRaw(`(${column} is null) asc`)
        .orderBy(column, direction)
        .orderBy('record_key', 'asc')
        .offset(request.offset)
        .limit(request.limit),
      this.applyFilter(
        this.db(RECORDS).select('cluster', 'status').count({ count: '*' }),
        request,
      ).groupBy('cluster', 'status'),
    ]);
    const byStatus = emptyStatusCounts();
    const byCluster = new Map<string, ReturnType<typeof emptyStatusCounts>>();
    let total = 0;
    for (const row of counts as Row[]) {
      if (!isSyncStatus(row.status)) continue;
      const count = Number(row.count);
      total += count;
      byStatus[row.status as SyncStatus] += count;
      const cluster = byCluster.get(row.cluster) ?? emptyStatusCounts();
      cluster[row.status as SyncStatus] += count;
      byCluster.set(row.cluster, cluster);
    }
    return {
      items: (rows as Row[]).map(toAuditRecord),
      total,
      byStatus,
      byCluster: [...byCluster.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([cluster, statuses]) => ({ cluster, byStatus: statuses })),
    };
  }

  async listServers(): Promise<ConnectServerHealth[]> {
    const rows = await this.db(SERVERS).select('*').orderBy('name');
    return rows.map((r: Row) => ({
      name: r.name,
      url: r.url,
      healthy: Boolean(r.healthy),
      version: r.version,
      dependencies: json(r.dependencies, []),
      vaultCount: r.vault_count,
      lastRefreshAt: r.last_refresh_at,
      lastSuccessAt: r.last_success_at,
      error: r.error,
      ...json(r.details, {}),
    }));
  }

  async putServer(health: ConnectServerHealth): Promise<void> {
    await this.db(SERVERS)
      .insert({
        name: health.name,
        url: health.url,
        healthy: health.healthy,
        version: health.version,
        dependencies: JSON.stringify(health.dependencies),
        vault_count: health.vaultCount,
        last_refresh_at: health.lastRefreshAt,
        last_success_at: health.lastSuccessAt,
        error: health.error,
        details: pick(health, ['syncState', 'syncReason', 'vaultFailures']),
      })
      .onConflict('name')
      .merge();
  }

  async listClusters(): Promise<ClusterHealth[]> {
    const rows = await this.db(CLUSTERS).select('*').orderBy('name');
    return rows.map((r: Row) => ({
      name: r.name,
      healthy: Boolean(r.healthy),
      operator: json(r.operator, null),
      secretCount: r.secret_count,
      lastRefreshAt: r.last_refresh_at,
      lastSuccessAt: r.last_success_at,
      error: r.error,
      ...json(r.details, {}),
    }));
  }

  async putCluster(health: ClusterHealth): Promise<void> {
    await this.db(CLUSTERS)
      .insert({
        name: health.name,
        healthy: health.healthy,
        operator: health.operator ? JSON.stringify(health.operator) : null,
        secret_count: health.secretCount,
        last_refresh_at: health.lastRefreshAt,
        last_success_at: health.lastSuccessAt,
        error: health.error,
        details: pick(health, ['operators', 'readProblems']),
      })
      .onConflict('name')
      .merge();
  }

  async listVaults(server: string): Promise<CachedVault[]> {
    const rows = await this.db(VAULTS)
      .where('server', server)
      .orderBy('vault_id');
    return rows.map((r: Row) => ({
      vaultId: r.vault_id,
      name: r.name,
      access: r.access,
      contentVersion: r.content_version,
      items: json(r.items, null),
      checkedAt: r.checked_at,
    }));
  }

  async replaceVaults(server: string, vaults: CachedVault[]): Promise<void> {
    await this.db.transaction(async tx => {
      await tx(VAULTS).where('server', server).delete();
      const rows = vaults.map(v => ({
        server,
        vault_id: v.vaultId,
        name: v.name,
        access: v.access,
        content_version: v.contentVersion,
        items: v.items ? JSON.stringify(v.items) : null,
        checked_at: v.checkedAt,
      }));
      for (let i = 0; i < rows.length; i += CHUNK) {
        await tx(VAULTS).insert(rows.slice(i, i + CHUNK));
      }
    });
  }

  async getLastRefreshAt(): Promise<string | null> {
    const row = await this.db(META).where('key', 'lastRefreshAt').first();
    return row?.value ?? null;
  }

  async setLastRefreshAt(at: string): Promise<void> {
    await this.db(META)
      .insert({ key: 'lastRefreshAt', value: at })
      .onConflict('key')
      .merge();
  }
}
