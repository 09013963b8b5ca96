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

import type {
  AuditRecord,
  AuditSortField,
  ClusterHealth,
  ConnectServerHealth,
  StatusCounts,
  SyncStatus,
} from '@secret-sync/backstage-plugin-onepassword-common';
import type { ItemSummary } from '@secret-sync/backstage-plugin-onepassword-common';

/**
 * A stored record: the evaluation, the labels used to link it to entities, and
 * the entity that claims it.
 * @public
 */
export interface StoredSecretRecord extends AuditRecord {
  labels: Record<string, string>;
}

/** A status change of one record. @public */
export interface StatusTransition {
  recordKey: string;
  fromStatus: SyncStatus | null;
  toStatus: SyncStatus;
  at: string;
  itemVersion: number | null;
  secretVersion: number | null;
  message: string | null;
}

/** A stored transition, with the id that orders transitions at the same time. @public */
export interface StoredStatusTransition extends StatusTransition {
  id: number;
}

/**
 * Where a newest-first page of transitions continues: before this one. Ids
 * follow the order the refreshes recorded them in; `at` need not (a record
 * back from unknown keeps the time it entered its status).
 * @public
 */
export interface TransitionPosition {
  id: number;
}

/** A validated history query. @public */
export interface TransitionQuery {
  /** The records whose transitions to read; empty reads none. */
  keys: string[];
  /** Only transitions at or after this time. */
  since?: string;
  /** Null for the first page. */
  before: TransitionPosition | null;
  limit: number;
}

/** What the store knows about one vault of one server. @public */
export interface CachedVault {
  vaultId: string;
  name: string | null;
  /** listed: the token sees it; denied: 403; absent: 404. */
  access: 'listed' | 'denied' | 'absent';
  contentVersion: number | null;
  items: ItemSummary[] | null;
  checkedAt: string;
}

/** A cached vault without its item summaries, and whether it has them. @public */
export interface CachedVaultState extends Omit<CachedVault, 'items'> {
  hasItems: boolean;
}

/** A validated audit query. @public */
export interface AuditFilter {
  status?: SyncStatus[];
  cluster?: string[];
  owner?: string[];
  server?: string[];
  /** Vault ids. */
  vault?: string[];
  q?: string;
  orphans?: boolean;
  /** Items past their `rotate_by` deadline at the time of the query. */
  rotationDue?: boolean;
  /** true: only records whose consumers need a restart; false: the others. */
  restartNeeded?: boolean;
}

/** An audit order: a sort field, then `record_key` in the same direction. @public */
export interface AuditSort {
  field: AuditSortField;
  descending: boolean;
}

/**
 * Where a keyset page starts: after the record with this sort value (the
 * stored value: a status's severity rank, or a column's text; null sorts
 * last) and this record key.
 * @public
 */
export interface AuditPosition {
  value: string | number | null;
  key: string;
}

/** @public */
export interface AuditPageRequest extends AuditFilter {
  sort: AuditSort;
  /** Null for the first page. */
  after: AuditPosition | null;
  limit: number;
}

/** @public */
export interface AuditPage {
  items: AuditRecord[];
  total: number;
  byStatus: StatusCounts;
  byCluster: Array<{ cluster: string; byStatus: StatusCounts }>;
  /**
   * The owners of the records that match every filter but the owner one,
   * sorted: the choices of the owner filter, across all pages.
   */
  owners: string[];
  /** Where the next page starts; null on the last page. */
  next: AuditPosition | null;
}

/** What a write of the records changed. @public */
export interface RecordWriteResult {
  /** Records inserted or rewritten because something about them changed. */
  written: number;
  deleted: number;
  unchanged: number;
  /** The status changes it recorded (new records included, from null). */
  transitions: StatusTransition[];
  /** Keys of the records written and of those deleted. */
  writtenKeys: string[];
  deletedKeys: string[];
}

/**
 * The plugin's snapshot of sync state, kept in the plugin database.
 * @public
 */
export interface SecretSyncStore {
  /** Records by `backstage.io/kubernetes-id` label (one or any of several) and namespace. */
  listRecords(filter?: {
    kubernetesId?: string | string[];
    namespace?: string;
  }): Promise<StoredSecretRecord[]>;
  /**
   * Makes the stored records exactly these, writing only the records that
   * changed (facts that move with time alone do not count, see
   * `recordAtReadTime`) and recording a transition for every record whose
   * status changed (or that is new).
   */
  replaceRecords(
    records: StoredSecretRecord[],
    at: string,
  ): Promise<RecordWriteResult>;
  /**
   * {@link SecretSyncStore.replaceRecords} for a refresh that knows which
   * records it evaluated again: writes those of `records` that changed,
   * deletes `removedKeys`, and leaves every other stored record as it is.
   */
  updateRecords(
    records: StoredSecretRecord[],
    removedKeys: string[],
    at: string,
  ): Promise<RecordWriteResult>;
  listTransitions(key: string): Promise<StatusTransition[]>;
  /** Transitions of the records, newest recorded first, one keyset page. */
  queryTransitions(query: TransitionQuery): Promise<StoredStatusTransition[]>;
  /** Deletes transitions older than `before`; returns how many. */
  pruneTransitions(before: string): Promise<number>;
  queryAudit(request: AuditPageRequest): Promise<AuditPage>;
  /**
   * Every record the filter selects, in order, read by one query without
   * holding them all: in batches, so that a reader awaits once a batch.
   */
  streamAudit(
    request: AuditFilter & { sort: AuditSort },
  ): AsyncIterable<AuditRecord[]>;

  /** Each vault with the entities whose records come from it, by vault id and entity ref. */
  listVaultUsage(): Promise<Array<{ vaultId: string; entityRefs: string[] }>>;

  listServers(): Promise<ConnectServerHealth[]>;
  /** Writes the servers whose health changed (refresh times aside). */
  putServers(health: ConnectServerHealth[]): Promise<void>;
  listClusters(): Promise<ClusterHealth[]>;
  /** Writes the clusters whose health changed (refresh times aside). */
  putClusters(health: ClusterHealth[]): Promise<void>;

  listVaults(server: string): Promise<CachedVault[]>;
  /** The server's cached vaults without their item summaries, which are most of their size. */
  listVaultStates(server: string): Promise<CachedVaultState[]>;
  /** The cached item summaries of these vaults of the server, by vault id. */
  listVaultItems(
    server: string,
    vaultIds: string[],
  ): Promise<Map<string, ItemSummary[]>>;
  /**
   * Makes the server's cached vaults exactly these, writing only the changed
   * ones. The items of `unchangedItems` vaults are known to be the stored
   * ones: they are neither read nor written.
   */
  replaceVaults(
    server: string,
    vaults: CachedVault[],
    options?: { unchangedItems?: ReadonlySet<string> },
  ): Promise<void>;

  getLastRefreshAt(): Promise<string | null>;
  setLastRefreshAt(at: string): Promise<void>;
}
