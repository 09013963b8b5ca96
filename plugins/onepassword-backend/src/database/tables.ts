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
  SyncStatus,
} from '@secret-sync/backstage-plugin-onepassword-common';
import type { CachedVault } from './SecretSyncStore';

// The rows of the plugin's tables as knex reads and writes them (see the
// migrations): snake_case columns, times as ISO text, JSON as text.

/** A boolean column: 0/1 when read from SQLite, true/false from PostgreSQL. */
type DbBoolean = boolean | number;
/** An ISO 8601 UTC time, as text. */
type DbTime = string;

/** A row of `onepassword_secret_records`. */
export interface RawDbSecretRecordRow {
  record_key: string;
  cluster: string;
  namespace: string;
  secret_name: string;
  source: AuditRecord['source'];
  item_path: string;
  vault_id: string | null;
  item_id: string | null;
  vault_name: string | null;
  item_title: string | null;
  connect_server: string | null;
  status: SyncStatus;
  /** The status's index in STATUS_SEVERITY, for sorting. */
  status_rank: number;
  item_version: number | null;
  secret_version: number | null;
  item_updated_at: DbTime | null;
  synced_at: DbTime | null;
  verified_at: DbTime | null;
  polling_interval_seconds: number;
  next_poll_by: DbTime | null;
  auto_restart_enabled: DbBoolean;
  auto_restart_source: AuditRecord['autoRestart']['source'];
  last_restarted_at: DbTime | null;
  status_since: DbTime | null;
  message: string | null;
  hint: string | null;
  /** JSON: the record facts of RECORD_DETAILS. */
  details: string | null;
  /** JSON: labels of the Secret and its source. */
  labels: string;
  kubernetes_id: string | null;
  entity_ref: string | null;
  owner: string | null;
  /** For a pending record: when it turns stale unless synced. */
  stale_at: DbTime | null;
  rotate_by: DbTime | null;
  /** Null where no consumer was read. */
  restart_needed: DbBoolean | null;
  content_hash: string | null;
  observed_at: DbTime;
}

/** The columns an audit row is read from. */
export type RawDbAuditRow = Pick<
  RawDbSecretRecordRow,
  Exclude<
    keyof RawDbSecretRecordRow,
    'labels' | 'kubernetes_id' | 'content_hash' | 'observed_at'
  >
>;

/** A row of `onepassword_status_transitions`. */
export interface RawDbStatusTransitionRow {
  /** Absent before it is inserted. */
  id?: number;
  record_key: string;
  from_status: SyncStatus | null;
  to_status: SyncStatus;
  at: DbTime;
  item_version: number | null;
  secret_version: number | null;
  message: string | null;
}

/** A row of `onepassword_connect_servers`. */
export interface RawDbConnectServerRow {
  name: string;
  url: string;
  healthy: DbBoolean;
  version: string | null;
  /** JSON from `/health`. */
  dependencies: string;
  vault_count: number | null;
  last_refresh_at: DbTime | null;
  last_success_at: DbTime | null;
  error: string | null;
  /** JSON: syncState, syncReason, vaultFailures. */
  details: string | null;
}

/** A row of `onepassword_clusters`. */
export interface RawDbClusterRow {
  name: string;
  healthy: DbBoolean;
  /** JSON OperatorSettings. */
  operator: string | null;
  secret_count: number;
  last_refresh_at: DbTime | null;
  last_success_at: DbTime | null;
  error: string | null;
  /** JSON: operators, readProblems. */
  details: string | null;
}

/** A row of `onepassword_vaults`. */
export interface RawDbVaultRow {
  server: string;
  vault_id: string;
  name: string | null;
  access: CachedVault['access'];
  content_version: number | null;
  /** JSON item summaries: ids, titles, versions, tags; never values. */
  items: string | null;
  checked_at: DbTime;
}

/** A row of `onepassword_meta`. */
export interface RawDbMetaRow {
  key: string;
  value: string;
}
