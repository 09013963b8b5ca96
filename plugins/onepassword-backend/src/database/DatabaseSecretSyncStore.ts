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
  recordKey,
  STATUS_SEVERITY,
  StatusCounts,
  SyncStatus,
} from '@secret-sync/backstage-plugin-onepassword-common';
import type { ItemSummary } from '@secret-sync/backstage-plugin-onepassword-common';
import { Knex } from 'knex';
import { createHash } from 'node:crypto';
import {
  isTimeDriven,
  recordAtReadTime,
  SnapshotClock,
  staleDeadline,
} from './recordAtReadTime';
import {
  AuditFilter,
  AuditPage,
  AuditPageRequest,
  AuditSort,
  CachedVault,
  CachedVaultState,
  RecordWriteResult,
  SecretSyncStore,
  StatusTransition,
  StoredSecretRecord,
  StoredStatusTransition,
  TransitionQuery,
} from './SecretSyncStore';
import { streamRowBatches } from './streamRows';
import {
  RawDbAuditRow,
  RawDbClusterRow,
  RawDbConnectServerRow,
  RawDbMetaRow,
  RawDbSecretRecordRow,
  RawDbStatusTransitionRow,
  RawDbVaultRow,
} from './tables';

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
/** Above this many chunks of keys, a write reads every stored record's state at once. */
const MAX_KEYED_READS = 5;
/** Filters whose counts are remembered until the next refresh. */
const COUNTS_CACHE_SIZE = 200;

/** Each has a `(column, record_key)` index (see the migrations). */
const SORT_COLUMNS: Record<
  AuditSort['field'],
  keyof Pick<
    RawDbAuditRow,
    | 'status_rank'
    | 'cluster'
    | 'namespace'
    | 'secret_name'
    | 'entity_ref'
    | 'owner'
    | 'synced_at'
    | 'item_updated_at'
    | 'status_since'
  >
> = {
  status: 'status_rank',
  cluster: 'cluster',
  namespace: 'namespace',
  secretName: 'secret_name',
  entityRef: 'entity_ref',
  owner: 'owner',
  syncedAt: 'synced_at',
  itemUpdatedAt: 'item_updated_at',
  statusSince: 'status_since',
};

/**
 * The columns an audit row is read from: not the labels, hash or bookkeeping.
 * Reading 20,000 rows costs mostly the strings made of each column.
 */
const AUDIT_COLUMNS: Array<keyof RawDbAuditRow> = [
  'record_key',
  'cluster',
  'namespace',
  'secret_name',
  'source',
  'item_path',
  'vault_id',
  'item_id',
  'vault_name',
  'item_title',
  'connect_server',
  'status',
  'status_rank',
  'item_version',
  'secret_version',
  'item_updated_at',
  'synced_at',
  'verified_at',
  'polling_interval_seconds',
  'next_poll_by',
  'auto_restart_enabled',
  'auto_restart_source',
  'last_restarted_at',
  'status_since',
  'message',
  'hint',
  'details',
  'restart_needed',
  'entity_ref',
  'owner',
  'stale_at',
  'rotate_by',
];

/** A vault row's columns but its item summaries. */
const VAULT_STATE_COLUMNS: Array<keyof RawDbVaultRow> = [
  'server',
  'vault_id',
  'name',
  'access',
  'content_version',
  'checked_at',
];

/** What a write of records compares with. */
type StoredRecordState = Pick<
  RawDbSecretRecordRow,
  'record_key' | 'status' | 'content_hash' | 'status_since'
>;
const STORED_STATE_COLUMNS: Array<keyof StoredRecordState> = [
  'record_key',
  'status',
  'content_hash',
  'status_since',
];

/** What the audit count query answers per cluster and status. */
interface AuditCountRow {
  cluster: string;
  status: string;
  /** A string on PostgreSQL (bigint). */
  count: number | string;
  overdue: number | string | null;
}

interface AuditCounts {
  total: number;
  byStatus: StatusCounts;
  byCluster: AuditPage['byCluster'];
  owners: AuditPage['owners'];
}

/**
 * When a record entered its new status: its `statusSince`, unless that is
 * older than the status it leaves (a record back from unknown keeps the
 * time it first entered its status); then the refresh's time, so the
 * history never runs backwards.
 */
function transitionTime(
  since: string | null,
  previousSince: string | null | undefined,
  refreshAt: string,
): string {
  if (!since) return refreshAt;
  return previousSince && since < previousSince ? refreshAt : since;
}

function toTransition(r: RawDbStatusTransitionRow): StatusTransition {
  return {
    recordKey: r.record_key,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    at: r.at,
    itemVersion: r.item_version,
    secretVersion: r.secret_version,
    message: r.message,
  };
}

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
  'itemCategory',
  'connectHint',
] as const;

function pick<T extends object>(value: T, keys: readonly (keyof T)[]): string {
  return JSON.stringify(
    Object.fromEntries(
      keys.filter(k => value[k] !== undefined).map(k => [k, value[k]]),
    ),
  );
}

/** SQLite answers 0/1 for booleans, PostgreSQL true/false. */
function sameValue(stored: unknown, written: unknown): boolean {
  if (typeof written === 'boolean') return Boolean(stored) === written;
  return (stored ?? null) === (written ?? null);
}

function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

function toRow(
  r: StoredSecretRecord,
  observedAt: string,
): RawDbSecretRecordRow {
  const row: Omit<RawDbSecretRecordRow, 'content_hash' | 'observed_at'> = {
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
    // Also in `details`; a column too, for the audit filter.
    restart_needed: r.restartNeeded ?? null,
    labels: JSON.stringify(r.labels),
    kubernetes_id: r.labels[KUBERNETES_ID_ANNOTATION] ?? null,
    entity_ref: r.entityRef,
    owner: r.owner,
    stale_at: staleDeadline(r),
    rotate_by: r.rotateBy ?? null,
  };
  // What a refresh compares: every column except those that move with time
  // alone, which reads derive (recordAtReadTime). The values are in the
  // fixed order above, so a list of them identifies the row's content.
  const compared = Object.entries(row).map(([column, value]) =>
    (column === 'verified_at' && isTimeDriven('verifiedAt', r)) ||
    (column === 'next_poll_by' && isTimeDriven('nextPollBy', r))
      ? null
      : value,
  );
  return {
    ...row,
    content_hash: createHash('sha256')
      .update(JSON.stringify(compared))
      .digest('base64url'),
    observed_at: observedAt,
  };
}

function toAuditRecord(row: RawDbAuditRow): AuditRecord {
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
    rotateBy: row.rotate_by ?? null,
    entityRef: row.entity_ref,
    owner: row.owner,
  };
}

function toServerRow(health: ConnectServerHealth): RawDbConnectServerRow {
  return {
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
  };
}

function toClusterRow(health: ClusterHealth): RawDbClusterRow {
  return {
    name: health.name,
    healthy: health.healthy,
    operator: health.operator ? JSON.stringify(health.operator) : null,
    secret_count: health.secretCount,
    last_refresh_at: health.lastRefreshAt,
    last_success_at: health.lastSuccessAt,
    error: health.error,
    details: pick(health, ['operators', 'readProblems', 'unwatched']),
  };
}

function toVaultState(
  r: Omit<RawDbVaultRow, 'items'> & { has_items: unknown },
): CachedVaultState {
  return {
    vaultId: r.vault_id,
    name: r.name,
    access: r.access,
    contentVersion: r.content_version,
    hasItems: Boolean(r.has_items),
    checkedAt: r.checked_at,
  };
}

function toVaultRow(server: string, v: CachedVault): RawDbVaultRow {
  return {
    server,
    vault_id: v.vaultId,
    name: v.name,
    access: v.access,
    content_version: v.contentVersion,
    items: v.items ? JSON.stringify(v.items) : null,
    checked_at: v.checkedAt,
  };
}

/**
 * The rows whose columns differ from the stored row of the same key, except
 * the `ignored` columns of that row; `ignored` columns of a written row are
 * written too.
 */
function changedRows<TRow extends object>(
  stored: TRow[],
  rows: TRow[],
  key: (row: TRow) => string,
  ignored: (row: TRow) => Array<keyof TRow>,
): TRow[] {
  const byKey = new Map(stored.map(row => [key(row), row]));
  return rows.filter(row => {
    const previous = byKey.get(key(row));
    if (!previous) return true;
    const skip = new Set(ignored(row));
    return (Object.keys(row) as Array<keyof TRow>).some(
      column => !skip.has(column) && !sameValue(previous[column], row[column]),
    );
  });
}

/**
 * The knex implementation of {@link SecretSyncStore}, for SQLite and
 * PostgreSQL. A refresh writes only what changed; facts that move with time
 * alone are derived when rows are read, from the time of the last refresh.
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

  /**
   * Audit counts by filter, valid while the refresh time they were counted at
   * is the latest and no pending deadline among them has passed. Other
   * replicas' refreshes move the refresh time, so this needs no coordination.
   */
  private readonly countsCache = new Map<
    string,
    { counts: AuditCounts; validUntil: number }
  >();

  private constructor(private readonly db: Knex) {}

  /**
   * Server and cluster health as last read, with the refresh time it was
   * read at: it changes only with a refresh, and entity reads need it every
   * time. Another replica's refresh moves the refresh time.
   */
  private healthCache: {
    servers?: { refreshedAt: string | null; value: ConnectServerHealth[] };
    clusters?: { refreshedAt: string | null; value: ClusterHealth[] };
  } = {};

  /** The refresh time being read, shared by the reads that wait for it. */
  private refreshedAtRead: Promise<string | null> | undefined;

  private async clock(): Promise<SnapshotClock> {
    return { refreshedAt: await this.getLastRefreshAt(), now: new Date() };
  }

  private readRecord(
    row: RawDbSecretRecordRow,
    clock: SnapshotClock,
  ): StoredSecretRecord {
    return recordAtReadTime(
      { ...toAuditRecord(row), labels: json(row.labels, {}) },
      row.stale_at ?? null,
      clock,
    );
  }

  private readAuditRecord(
    row: RawDbAuditRow,
    clock: SnapshotClock,
  ): AuditRecord {
    return recordAtReadTime(toAuditRecord(row), row.stale_at ?? null, clock);
  }

  async listRecords(
    filter: { kubernetesId?: string | string[]; namespace?: string } = {},
  ): Promise<StoredSecretRecord[]> {
    const query = this.db(RECORDS).select('*').orderBy('record_key');
    if (Array.isArray(filter.kubernetesId)) {
      query.whereIn('kubernetes_id', filter.kubernetesId);
    } else if (filter.kubernetesId !== undefined) {
      query.where('kubernetes_id', filter.kubernetesId);
    }
    if (filter.namespace !== undefined) {
      query.where('namespace', filter.namespace);
    }
    const [rows, clock]: [RawDbSecretRecordRow[], SnapshotClock] =
      await Promise.all([query, this.clock()]);
    return rows.map(row => this.readRecord(row, clock));
  }

  async replaceRecords(
    records: StoredSecretRecord[],
    at: string,
  ): Promise<RecordWriteResult> {
    return this.writeRecords(records, at, async tx => {
      const stored: StoredRecordState[] = await tx(RECORDS).select(
        STORED_STATE_COLUMNS,
      );
      const keep = new Set(records.map(r => recordKey(r)));
      return {
        stored,
        gone: stored.map(r => r.record_key).filter(k => !keep.has(k)),
      };
    });
  }

  async updateRecords(
    records: StoredSecretRecord[],
    removedKeys: string[],
    at: string,
  ): Promise<RecordWriteResult> {
    return this.writeRecords(records, at, async tx => {
      const keys = records.map(r => recordKey(r));
      if (keys.length > CHUNK * MAX_KEYED_READS) {
        // Many records: one read of every stored state beats many keyed ones.
        const wanted = new Set(keys);
        const all: StoredRecordState[] = await tx(RECORDS).select(
          STORED_STATE_COLUMNS,
        );
        return {
          stored: all.filter(r => wanted.has(r.record_key)),
          gone: removedKeys,
        };
      }
      const stored: StoredRecordState[] = [];
      for (let i = 0; i < keys.length; i += CHUNK) {
        stored.push(
          ...(await tx(RECORDS)
            .select(STORED_STATE_COLUMNS)
            .whereIn('record_key', keys.slice(i, i + CHUNK))),
        );
      }
      return { stored, gone: removedKeys };
    });
  }

  /**
   * Writes the records whose content differs from the stored state of the
   * same key (new ones included) and deletes the `gone` keys, recording a
   * transition for every status change, in one transaction.
   */
  private async writeRecords(
    records: StoredSecretRecord[],
    at: string,
    readStored: (
      tx: Knex.Transaction,
    ) => Promise<{ stored: StoredRecordState[]; gone: string[] }>,
  ): Promise<RecordWriteResult> {
    const result = await this.db.transaction(async tx => {
      const { stored, gone } = await readStored(tx);
      const previous = new Map(
        stored.map(
          r =>
            [
              r.record_key,
              { status: r.status, hash: r.content_hash, since: r.status_since },
            ] as const,
        ),
      );
      const rows = records.map(r => toRow(r, at));
      for (let i = 0; i < gone.length; i += CHUNK) {
        await tx(RECORDS)
          .whereIn('record_key', gone.slice(i, i + CHUNK))
          .delete();
      }
      const changed = rows.filter(
        r => previous.get(r.record_key)?.hash !== r.content_hash,
      );
      for (let i = 0; i < changed.length; i += CHUNK) {
        await tx(RECORDS)
          .insert(changed.slice(i, i + CHUNK))
          .onConflict('record_key')
          .merge();
      }
      const transitions = changed
        .filter(r => previous.get(r.record_key)?.status !== r.status)
        .map(
          (r): RawDbStatusTransitionRow => ({
            record_key: r.record_key,
            from_status: previous.get(r.record_key)?.status ?? null,
            to_status: r.status,
            at: transitionTime(
              r.status_since,
              previous.get(r.record_key)?.since,
              at,
            ),
            item_version: r.item_version,
            secret_version: r.secret_version,
            message: r.message,
          }),
        );
      for (let i = 0; i < transitions.length; i += CHUNK) {
        await tx(TRANSITIONS).insert(transitions.slice(i, i + CHUNK));
      }
      return {
        written: changed.length,
        deleted: gone.length,
        unchanged: rows.length - changed.length,
        transitions: transitions.map(toTransition),
        writtenKeys: changed.map(r => r.record_key),
        deletedKeys: gone,
      };
    });
    this.countsCache.clear();
    return result;
  }

  async listTransitions(key: string): Promise<StatusTransition[]> {
    const rows: RawDbStatusTransitionRow[] = await this.db(TRANSITIONS)
      .where('record_key', key)
      .orderBy([{ column: 'at' }, { column: 'id' }]);
    return rows.map(toTransition);
  }

  async queryTransitions(
    query: TransitionQuery,
  ): Promise<StoredStatusTransition[]> {
    if (query.keys.length === 0) return [];
    const rows: RawDbStatusTransitionRow[] = [];
    // Chunks keep the bindings under every database's limit; an entity has
    // few records, so this is one query in practice.
    for (let i = 0; i < query.keys.length; i += CHUNK) {
      const select = this.db(TRANSITIONS).whereIn(
        'record_key',
        query.keys.slice(i, i + CHUNK),
      );
      if (query.since) select.where('at', '>=', query.since);
      if (query.before) select.where('id', '<', query.before.id);
      rows.push(...(await select.orderBy('id', 'desc').limit(query.limit)));
    }
    return rows
      .map(r => ({ ...toTransition(r), id: Number(r.id) }))
      .sort((a, b) => b.id - a.id)
      .slice(0, query.limit);
  }

  async pruneTransitions(before: string): Promise<number> {
    return await this.db(TRANSITIONS).where('at', '<', before).delete();
  }

  /**
   * The filter in SQL. Status is the status as read at `now`: a pending
   * record past its stored deadline counts as stale.
   */
  private applyFilter(
    query: Knex.QueryBuilder,
    filter: AuditFilter,
    now: string,
  ) {
    const statuses = filter.status;
    if (statuses?.length) {
      query.where(any => {
        const plain = statuses.filter(s => s !== 'pending');
        if (plain.length) any.orWhereIn('status', plain);
        if (statuses.includes('pending')) {
          any.orWhere(pending =>
            pending
              .where('status', 'pending')
              .andWhere(open =>
                open.whereNull('stale_at').orWhere('stale_at', '>', now),
              ),
          );
        }
        if (statuses.includes('stale')) {
          any.orWhere(overdue =>
            overdue.where('status', 'pending').andWhere('stale_at', '<=', now),
          );
        }
      });
    }
    if (filter.cluster?.length) query.whereIn('cluster', filter.cluster);
    if (filter.owner?.length) query.whereIn('owner', filter.owner);
    if (filter.server?.length) query.whereIn('connect_server', filter.server);
    if (filter.vault?.length) query.whereIn('vault_id', filter.vault);
    if (filter.orphans === true) query.whereNull('entity_ref');
    if (filter.orphans === false) query.whereNotNull('entity_ref');
    if (filter.rotationDue === true) query.where('rotate_by', '<=', now);
    if (filter.rotationDue === false) {
      query.where(notDue =>
        notDue.whereNull('rotate_by').orWhere('rotate_by', '>', now),
      );
    }
    // The column as a predicate, not compared with a bound boolean: the
    // streamed SQLite statement binds no booleans, PostgreSQL compares no
    // boolean with 1. Not known counts as not needed.
    if (filter.restartNeeded === true) query.whereRaw('restart_needed');
    if (filter.restartNeeded === false) {
      query.whereRaw('(restart_needed is null or not restart_needed)');
    }
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

  /** Counts by status and cluster: once per filter and refresh, not per page. */
  private async countAudit(
    filter: AuditFilter,
    clock: SnapshotClock,
  ): Promise<AuditCounts> {
    const key = JSON.stringify([
      clock.refreshedAt,
      filter.status,
      filter.cluster,
      filter.owner,
      filter.server,
      filter.vault,
      filter.q,
      filter.orphans,
      filter.rotationDue,
      filter.restartNeeded,
    ]);
    const now = clock.now.getTime();
    const hit = this.countsCache.get(key);
    if (hit && hit.validUntil > now) return hit.counts;

    const nowIso = clock.now.toISOString();
    const [grouped, deadline, rotation, owners] = await Promise.all([
      this.applyFilter(
        this.db(RECORDS)
          .select('cluster', 'status')
          .count({ count: '*' })
          .select(
            this.db.raw(
              "sum(case when status = 'pending' and stale_at <= ? then 1 else 0 end) as overdue",
              [nowIso],
            ),
          ),
        filter,
        nowIso,
      ).groupBy('cluster', 'status'),
      // The next deadline that would move a record between these counts.
      this.applyFilter(
        this.db(RECORDS)
          .min({ next: 'stale_at' })
          .where('status', 'pending')
          .andWhere('stale_at', '>', nowIso),
        { ...filter, status: undefined },
        nowIso,
      ).first(),
      // With the rotation filter, the next item to come due moves the counts too.
      filter.rotationDue === undefined
        ? undefined
        : this.applyFilter(
            this.db(RECORDS)
              .min({ next: 'rotate_by' })
              .where('rotate_by', '>', nowIso),
            { ...filter, rotationDue: undefined },
            nowIso,
          ).first(),
      this.applyFilter(
        this.db(RECORDS).distinct('owner').whereNotNull('owner'),
        { ...filter, owner: undefined },
        nowIso,
      ).orderBy('owner') as Promise<Array<{ owner: string }>>,
    ]);
    const byStatus = emptyStatusCounts();
    const byCluster = new Map<string, StatusCounts>();
    let total = 0;
    for (const row of grouped as AuditCountRow[]) {
      if (!isSyncStatus(row.status)) continue;
      const count = Number(row.count);
      const overdue = Number(row.overdue ?? 0);
      const cluster = byCluster.get(row.cluster) ?? emptyStatusCounts();
      total += count;
      byStatus[row.status as SyncStatus] += count - overdue;
      cluster[row.status as SyncStatus] += count - overdue;
      byStatus.stale += overdue;
      cluster.stale += overdue;
      byCluster.set(row.cluster, cluster);
    }
    const counts: AuditCounts = {
      total,
      byStatus,
      byCluster: [...byCluster.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([cluster, statuses]) => ({ cluster, byStatus: statuses })),
      owners: owners.map(row => row.owner),
    };
    if (this.countsCache.size >= COUNTS_CACHE_SIZE) {
      this.countsCache.delete(this.countsCache.keys().next().value!);
    }
    this.countsCache.set(key, {
      counts,
      validUntil: Math.min(
        deadline?.next ? Date.parse(deadline.next) : Number.POSITIVE_INFINITY,
        rotation?.next ? Date.parse(rotation.next) : Number.POSITIVE_INFINITY,
      ),
    });
    return counts;
  }

  /**
   * One keyset page: rows after `request.after` in (sort column, record_key)
   * order, nulls last. The non-null and the null part are separate queries,
   * so that each is served by the sort column's index on every database.
   */
  async queryAudit(request: AuditPageRequest): Promise<AuditPage> {
    const clock = await this.clock();
    const nowIso = clock.now.toISOString();
    const column = SORT_COLUMNS[request.sort.field];
    const order = request.sort.descending ? 'desc' : 'asc';
    const beyond = request.sort.descending ? '<' : '>';
    const { after } = request;
    const wanted = request.limit + 1;
    const base = () =>
      this.applyFilter(this.db(RECORDS).select(AUDIT_COLUMNS), request, nowIso);

    const readPage = async () => {
      const rows: RawDbAuditRow[] = [];
      if (!after || after.value !== null) {
        const query = base().whereNotNull(column);
        if (after) {
          query.whereRaw(`(${column}, record_key) ${beyond} (?, ?)`, [
            after.value,
            after.key,
          ]);
        }
        rows.push(
          ...(await query
            .orderBy([
              { column, order },
              { column: 'record_key', order },
            ])
            .limit(wanted)),
        );
      }
      if (rows.length < wanted) {
        const query = base().whereNull(column);
        if (after?.value === null) query.where('record_key', beyond, after.key);
        rows.push(
          ...(await query
            .orderBy('record_key', order)
            .limit(wanted - rows.length)),
        );
      }
      return rows;
    };

    const [rows, counts] = await Promise.all([
      readPage(),
      this.countAudit(request, clock),
    ]);
    const page = rows.slice(0, request.limit);
    const last = page[page.length - 1];
    return {
      ...counts,
      items: page.map(row => this.readAuditRecord(row, clock)),
      next:
        rows.length > request.limit && last
          ? { value: last[column] ?? null, key: last.record_key }
          : null,
    };
  }

  async *streamAudit(
    request: AuditFilter & { sort: AuditSort },
  ): AsyncGenerator<AuditRecord[]> {
    const clock = await this.clock();
    const column = SORT_COLUMNS[request.sort.field];
    const order = request.sort.descending ? 'desc' : 'asc';
    const query = this.applyFilter(
      this.db(RECORDS).select(AUDIT_COLUMNS),
      request,
      clock.now.toISOString(),
    )
      // The keyset pages' order: nulls last, record_key as the tie-breaker.
      .orderByRaw(`(${column} is null) asc`)
      .orderBy([
        { column, order },
        { column: 'record_key', order },
      ]);
    for await (const rows of streamRowBatches<RawDbAuditRow>(
      this.db,
      query,
      AUDIT_COLUMNS,
    )) {
      yield rows.map(row => this.readAuditRecord(row, clock));
    }
  }

  async listVaultUsage(): Promise<
    Array<{ vaultId: string; entityRefs: string[] }>
  > {
    const rows: Array<{ vault_id: string; entity_ref: string }> = await this.db(
      RECORDS,
    )
      .distinct('vault_id', 'entity_ref')
      .whereNotNull('vault_id')
      .whereNotNull('entity_ref')
      .orderBy([{ column: 'vault_id' }, { column: 'entity_ref' }]);
    const byVault = new Map<string, string[]>();
    for (const row of rows) {
      const refs = byVault.get(row.vault_id) ?? [];
      refs.push(row.entity_ref);
      byVault.set(row.vault_id, refs);
    }
    return [...byVault].map(([vaultId, entityRefs]) => ({
      vaultId,
      entityRefs,
    }));
  }

  async listServers(): Promise<ConnectServerHealth[]> {
    const { refreshedAt } = await this.clock();
    const cached = this.healthCache.servers;
    if (cached && cached.refreshedAt === refreshedAt) return cached.value;
    const rows: RawDbConnectServerRow[] = await this.db(SERVERS)
      .select('*')
      .orderBy('name');
    const value = rows.map(r => {
      // A server whose vault list was read has no vault count otherwise.
      const reachable = r.vault_count !== null;
      return {
        name: r.name,
        url: r.url,
        healthy: Boolean(r.healthy),
        version: r.version,
        dependencies: json(r.dependencies, []),
        vaultCount: r.vault_count,
        lastRefreshAt: later(r.last_refresh_at, refreshedAt),
        lastSuccessAt: reachable
          ? later(r.last_success_at, refreshedAt)
          : r.last_success_at,
        error: r.error,
        ...json(r.details, {}),
      };
    });
    this.healthCache.servers = { refreshedAt, value };
    return value;
  }

  async putServers(health: ConnectServerHealth[]): Promise<void> {
    this.healthCache.servers = undefined;
    const rows = health.map(toServerRow);
    const stored: RawDbConnectServerRow[] = await this.db(SERVERS).whereIn(
      'name',
      rows.map(r => r.name),
    );
    const changed = changedRows(
      stored,
      rows,
      r => r.name,
      r =>
        r.vault_count !== null
          ? ['last_refresh_at', 'last_success_at']
          : ['last_refresh_at'],
    );
    for (let i = 0; i < changed.length; i += CHUNK) {
      await this.db(SERVERS)
        .insert(changed.slice(i, i + CHUNK))
        .onConflict('name')
        .merge();
    }
  }

  /** One server's health, written only if it changed. */
  async putServer(health: ConnectServerHealth): Promise<void> {
    await this.putServers([health]);
  }

  async listClusters(): Promise<ClusterHealth[]> {
    const { refreshedAt } = await this.clock();
    const cached = this.healthCache.clusters;
    if (cached && cached.refreshedAt === refreshedAt) return cached.value;
    const rows: RawDbClusterRow[] = await this.db(CLUSTERS)
      .select('*')
      .orderBy('name');
    const value = rows.map(r => ({
      name: r.name,
      healthy: Boolean(r.healthy),
      operator: json(r.operator, null),
      secretCount: r.secret_count,
      lastRefreshAt: later(r.last_refresh_at, refreshedAt),
      lastSuccessAt: r.healthy
        ? later(r.last_success_at, refreshedAt)
        : r.last_success_at,
      error: r.error,
      ...json(r.details, {}),
    }));
    this.healthCache.clusters = { refreshedAt, value };
    return value;
  }

  async putClusters(health: ClusterHealth[]): Promise<void> {
    this.healthCache.clusters = undefined;
    const rows = health.map(toClusterRow);
    const stored: RawDbClusterRow[] = [];
    const names = rows.map(r => r.name);
    for (let i = 0; i < names.length; i += CHUNK) {
      stored.push(
        ...(await this.db(CLUSTERS).whereIn('name', names.slice(i, i + CHUNK))),
      );
    }
    const changed = changedRows(
      stored,
      rows,
      r => r.name,
      r =>
        r.healthy
          ? ['last_refresh_at', 'last_success_at']
          : ['last_refresh_at'],
    );
    for (let i = 0; i < changed.length; i += CHUNK) {
      await this.db(CLUSTERS)
        .insert(changed.slice(i, i + CHUNK))
        .onConflict('name')
        .merge();
    }
  }

  /** One cluster's health, written only if it changed. */
  async putCluster(health: ClusterHealth): Promise<void> {
    await this.putClusters([health]);
  }

  async listVaults(server: string): Promise<CachedVault[]> {
    const rows: RawDbVaultRow[] = await this.db(VAULTS)
      .where('server', server)
      .orderBy('vault_id');
    return rows.map(r => {
      const { hasItems: _, ...state } = toVaultState({
        ...r,
        has_items: r.items !== null,
      });
      return { ...state, items: json(r.items, null) };
    });
  }

  async listVaultStates(server: string): Promise<CachedVaultState[]> {
    const rows: Array<Omit<RawDbVaultRow, 'items'> & { has_items: unknown }> =
      await this.db(VAULTS)
        .select(VAULT_STATE_COLUMNS)
        .select(this.db.raw('(items is not null) as has_items'))
        .where('server', server)
        .orderBy('vault_id');
    return rows.map(toVaultState);
  }

  async listVaultItems(
    server: string,
    vaultIds: string[],
  ): Promise<Map<string, ItemSummary[]>> {
    const items = new Map<string, ItemSummary[]>();
    for (let i = 0; i < vaultIds.length; i += CHUNK) {
      const rows: Array<Pick<RawDbVaultRow, 'vault_id' | 'items'>> =
        await this.db(VAULTS)
          .select('vault_id', 'items')
          .where('server', server)
          .whereIn('vault_id', vaultIds.slice(i, i + CHUNK))
          .whereNotNull('items');
      for (const row of rows) items.set(row.vault_id, json(row.items, []));
    }
    return items;
  }

  async replaceVaults(
    server: string,
    vaults: CachedVault[],
    options: { unchangedItems?: ReadonlySet<string> } = {},
  ): Promise<void> {
    const unchangedItems = options.unchangedItems ?? new Set<string>();
    await this.db.transaction(async tx => {
      const stored: Array<Omit<RawDbVaultRow, 'items'>> = await tx(VAULTS)
        .select(VAULT_STATE_COLUMNS)
        .where('server', server);
      const rows = vaults.map(v => toVaultRow(server, v));
      const keep = new Set(rows.map(r => r.vault_id));
      const gone = stored.map(r => r.vault_id).filter(id => !keep.has(id));
      for (let i = 0; i < gone.length; i += CHUNK) {
        await tx(VAULTS)
          .where('server', server)
          .whereIn('vault_id', gone.slice(i, i + CHUNK))
          .delete();
      }
      // Items are compared only where they may have changed.
      const compareItems = rows
        .filter(r => !unchangedItems.has(r.vault_id))
        .map(r => r.vault_id);
      const storedItems = new Map<string, string | null>();
      for (let i = 0; i < compareItems.length; i += CHUNK) {
        const found: Array<Pick<RawDbVaultRow, 'vault_id' | 'items'>> =
          await tx(VAULTS)
            .select('vault_id', 'items')
            .where('server', server)
            .whereIn('vault_id', compareItems.slice(i, i + CHUNK));
        for (const row of found) storedItems.set(row.vault_id, row.items);
      }
      const storedRows: RawDbVaultRow[] = stored.map(r => ({
        ...r,
        items: unchangedItems.has(r.vault_id)
          ? null
          : storedItems.get(r.vault_id) ?? null,
      }));
      // A listed vault's check time is when its summary last changed: it is
      // checked on every refresh, and rewriting it would rewrite every vault.
      const changed = changedRows(
        storedRows,
        rows.map(r =>
          unchangedItems.has(r.vault_id) ? { ...r, items: null } : r,
        ),
        r => r.vault_id,
        r => (r.access === 'listed' ? ['checked_at'] : []),
      );
      const withItems = changed.filter(r => !unchangedItems.has(r.vault_id));
      const withoutItems = changed.filter(r => unchangedItems.has(r.vault_id));
      for (let i = 0; i < withItems.length; i += CHUNK) {
        await tx(VAULTS)
          .insert(withItems.slice(i, i + CHUNK))
          .onConflict(['server', 'vault_id'])
          .merge();
      }
      for (let i = 0; i < withoutItems.length; i += CHUNK) {
        await tx(VAULTS)
          .insert(
            withoutItems
              .slice(i, i + CHUNK)
              .map(({ items: _kept, ...row }) => row),
          )
          .onConflict(['server', 'vault_id'])
          .merge(['name', 'access', 'content_version', 'checked_at']);
      }
    });
  }

  /**
   * Concurrent callers share one read: every read of the snapshot needs the
   * refresh time, and under load they would otherwise queue for it.
   */
  async getLastRefreshAt(): Promise<string | null> {
    if (!this.refreshedAtRead) {
      this.refreshedAtRead = this.db(META)
        .where('key', 'lastRefreshAt')
        .first()
        .then((row: RawDbMetaRow | undefined) => row?.value ?? null)
        .finally(() => {
          this.refreshedAtRead = undefined;
        });
    }
    return this.refreshedAtRead;
  }

  async setLastRefreshAt(at: string): Promise<void> {
    this.refreshedAtRead = undefined;
    await this.db(META)
      .insert({ key: 'lastRefreshAt', value: at } satisfies RawDbMetaRow)
      .onConflict('key')
      .merge();
  }
}
