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

import type { AutoRestartSource, SyncStatus } from './status';
import type { WorkloadConsumer } from './workloads';
import type { NamingRuleKind } from './naming';
import type { ConnectProblem } from './connect/connectDeployment';

/**
 * Where a synced Secret comes from: a `OnePasswordItem` resource, or a
 * Deployment annotated with `operator.1password.io/item-path` + `item-name`.
 * @public
 */
export type SecretSource = 'OnePasswordItem' | 'Deployment';

/** @public */
export interface AutoRestartSetting {
  enabled: boolean;
  /** The first place, in the operator's precedence, where it is set. */
  source: AutoRestartSource;
}

/**
 * The sync state of one Secret the 1Password operator manages. Never carries a
 * field value or Secret data. Times are ISO 8601 strings.
 * @public
 */
export interface SecretSyncRecord {
  cluster: string;
  namespace: string;
  secretName: string;
  source: SecretSource;
  /** The path as written on the OnePasswordItem or Deployment (ids or titles). */
  itemPath: string;
  vaultId: string | null;
  itemId: string | null;
  vaultName: string | null;
  itemTitle: string | null;
  connectServer: string | null;
  status: SyncStatus;
  /** The item's current version in 1Password, as Connect last reported it. */
  itemVersion: number | null;
  /** The version the Secret carries (`operator.1password.io/item-version`). */
  secretVersion: number | null;
  itemUpdatedAt: string | null;
  /** When the Secret last took a new item version. */
  syncedAt: string | null;
  /** When this plugin last saw the Secret carry the current version. */
  verifiedAt: string | null;
  pollingIntervalSeconds: number;
  /** Bound on when the operator's next poll will have happened. */
  nextPollBy: string | null;
  autoRestart: AutoRestartSetting;
  lastRestartedAt: string | null;
  /** Since when the record has had its current status. */
  statusSince: string | null;
  /**
   * What is wrong, without times: the times it refers to are the structured
   * fields below and above, which the frontend formats in the reader's locale.
   */
  message: string | null;
  hint: string | null;
  /**
   * When the operator last reported a failure for this Secret (a
   * `ReconcileError`/`RateLimited` event on the Deployment, or the
   * `Ready=False` transition of the OnePasswordItem). Absent on records stored
   * before the field existed.
   */
  lastFailedAt?: string | null;
  /** The operator's message of that failure. */
  lastFailureMessage?: string | null;
  /**
   * True when that failure is history: the Secret was written after it, or it
   * was not repeated within a polling interval and the Secret is current.
   */
  recovered?: boolean;
  /**
   * When a change becomes `stale` if the Secret has not caught up: the item's
   * `updatedAt` plus the polling interval, one poll's duration
   * ({@link SecretSyncRecord.pollDurationSeconds}) and a grace.
   */
  pendingUntil?: string | null;
  /**
   * How long one poll of this Secret's operator takes: its number of managed
   * Secrets times the configured per-Secret cost
   * (`onepassword.operatorPoll.secondsPerSecret`).
   */
  pollDurationSeconds?: number | null;
  /**
   * Set when {@link SecretSyncRecord.nextPollBy} has passed and the Secret is
   * still behind: the poll is overdue since then. `nextPollBy` is then a time
   * in the past, never one to come.
   */
  overdueSince?: string | null;
  /** For an `unknown` record: when the state it shows was last seen. */
  lastSeenAt?: string | null;
  /**
   * True when Backstage's own Connect server is behind the one the cluster
   * uses (the Secret carries a newer version than Backstage sees, or
   * `/health` says its sync is not current).
   */
  connectBehind?: boolean;
  /**
   * The Deployments whose pod templates read this Secret (env, envFrom,
   * secret or projected volumes, subPath mounts; references only, never a
   * literal env value), each with how many of its pods were created before
   * the Secret's last write and the resulting verdict. Absent on records
   * stored before the field existed, and where the pods of the namespace
   * could not be read ({@link SecretSyncRecord.restartHint} says why).
   */
  consumers?: WorkloadConsumer[];
  /**
   * True when a consumer's pods that read the Secret at start (env, envFrom,
   * subPath) predate its last write: they still run the previous value. A
   * fact separate from {@link SecretSyncRecord.status}: an `in-sync` Secret
   * can need a restart. Absent where not known (see `consumers`).
   */
  restartNeeded?: boolean;
  /**
   * What to do about the consumers' pods (roll the Deployment, check the
   * operator's auto-restart), or why they could not be read; null when
   * nothing is to be done. The sync's own advice stays in `hint`.
   */
  restartHint?: string | null;
  /**
   * The item's category as Connect lists it (`LOGIN`, `DATABASE`, ...).
   * Absent on records stored before the field existed.
   */
  itemCategory?: string | null;
  /**
   * When the item is due for rotation: its `updatedAt` (the last change in
   * 1Password) plus the first `onepassword.rotation.maxAge` rule that
   * matches its vault or category; null when no rule applies.
   */
  rotateBy?: string | null;
  /** True once {@link SecretSyncRecord.rotateBy} has passed, as of the read. */
  rotationDue?: boolean;
  /**
   * What is wrong with the Connect deployment or the token of the operator
   * that syncs this Secret (see {@link OperatorSettings.connectProblems}),
   * and what to do; null when nothing is. Shown whatever the status: a
   * rotated token not yet used is no sync failure yet.
   */
  connectHint?: string | null;
}

/** @public */
export type StatusCounts = Record<SyncStatus, number>;

/** @public */
export interface StatusSummary {
  total: number;
  byStatus: StatusCounts;
}

/** Health of one Connect server as last seen by the refresh. @public */
export interface ConnectServerHealth {
  name: string;
  url: string;
  healthy: boolean;
  version: string | null;
  /** `/health` dependencies, e.g. `{ service: 'sqlite', status: 'ACTIVE' }`. */
  dependencies: Array<{ service: string; status: string; message?: string }>;
  vaultCount: number | null;
  lastRefreshAt: string | null;
  lastSuccessAt: string | null;
  error: string | null;
  /**
   * `ok`, or `lagging` when the server answers but its cache is not current:
   * a `/health` dependency (`sync`, `account_data`, `1Password`) is not
   * `ACTIVE`, or a cluster carries item versions newer than this server lists.
   * Absent on health stored before the field existed.
   */
  syncState?: 'ok' | 'lagging';
  /** Why the server is `lagging`. */
  syncReason?: string | null;
  /**
   * Vaults whose item list failed in the last refresh while the server
   * answered otherwise: a fact about that vault, with the real status code.
   */
  vaultFailures?: Array<{
    vaultId: string;
    status: number | null;
    message: string;
  }>;
}

/** The operator settings read from its Deployment in a cluster. @public */
export interface OperatorSettings {
  namespace: string;
  deploymentName: string;
  version: string | null;
  pollingIntervalSeconds: number;
  /** False when the operator Deployment could not be read and config applies. */
  pollingIntervalFromOperator: boolean;
  autoRestart: boolean;
  watchNamespaces: string[] | null;
  connectHost: string | null;
  connectServer: string | null;
  /**
   * Whether the operator runs: its Deployment has available replicas and its
   * pods are not crash-looping. Absent on health stored before the field.
   */
  available?: boolean;
  /** Why it is not available (scaled to 0, CrashLoopBackOff, never became available). */
  reason?: string | null;
  /** `connect`, or `service-account` when it uses `OP_SERVICE_ACCOUNT_TOKEN`. */
  authMethod?: 'connect' | 'service-account';
  /** The number of Secrets this operator polls. */
  secretCount?: number;
  /**
   * The Connect server behind `OP_CONNECT_HOST` when it is a Service of the
   * cluster; null when the host names none (Connect outside the cluster, or
   * a service account). Absent on health stored before the field.
   */
  inClusterConnect?: InClusterConnectState | null;
  /** `namespace/name` of the Secret `OP_CONNECT_TOKEN` comes from. */
  tokenSecret?: string | null;
  /** What is wrong with its Connect deployment or token, each with a hint. */
  connectProblems?: ConnectProblem[];
}

/** An in-cluster Connect server, as read metadata-only. @public */
export interface InClusterConnectState {
  /** `namespace/name` of the Service behind `OP_CONNECT_HOST`. */
  service: string;
  /** `namespace/name` of the Deployment the Service selects; null if none. */
  deployment: string | null;
  /** `namespace/name` of the credentials Secret that Deployment references. */
  credentialsSecret: string | null;
  /** Whether every replica is available; null when not known. */
  available: boolean | null;
  podCount: number;
  /** Restarts of its pods, where their status was read. */
  restarts: number | null;
}

/** Health of one cluster as last seen by the refresh. @public */
export interface ClusterHealth {
  name: string;
  healthy: boolean;
  /** The first operator of {@link ClusterHealth.operators}, for older readers. */
  operator: OperatorSettings | null;
  /** Every operator found in the cluster (several may watch different namespaces). */
  operators?: OperatorSettings[];
  /**
   * Kinds the refresh could not read, with the reason (e.g. a 403 naming the
   * missing RBAC rule, or a 404 when the operator's CRD is not installed);
   * the other kinds still count.
   */
  readProblems?: Array<{
    kind: string;
    status: number | null;
    message: string;
  }>;
  /**
   * Collections of the cluster read by paged lists on each refresh rather
   * than kept current by a watch, and why: the watch was refused, or the
   * collection is larger than a watched one may be.
   */
  unwatched?: Array<{ collection: string; reason: string }>;
  secretCount: number;
  lastRefreshAt: string | null;
  lastSuccessAt: string | null;
  error: string | null;
}

/** `GET /entities/:namespace/:kind/:name/secrets` @public */
export interface EntitySecretsResponse {
  entityRef: string;
  asOf: string | null;
  summary: StatusSummary;
  items: SecretSyncRecord[];
  servers: ConnectServerHealth[];
  clusters: ClusterHealth[];
}

/** One row of the audit view. @public */
export interface AuditRecord extends SecretSyncRecord {
  /** Null for an orphan: a synced Secret no catalog entity claims. */
  entityRef: string | null;
  owner: string | null;
}

/**
 * The fields `GET /audit` sorts on, in the order its error message and the
 * audit page list them.
 * @public
 */
export const AUDIT_SORT_FIELDS = [
  'status',
  'cluster',
  'namespace',
  'secretName',
  'entityRef',
  'owner',
  'syncedAt',
  'itemUpdatedAt',
  'statusSince',
] as const;

/** @public */
export type AuditSortField = (typeof AUDIT_SORT_FIELDS)[number];

/** Query of `GET /audit`. @public */
export interface AuditQuery {
  status?: SyncStatus[];
  cluster?: string[];
  owner?: string[];
  server?: string[];
  /** Vault ids: only the records whose Secrets come from these vaults. */
  vault?: string[];
  /** Free text over secret name, namespace, entity, vault and item title. */
  q?: string;
  /** true: only orphans; false: only claimed records. */
  orphans?: boolean;
  /** true: only records due for rotation; false: only the others. */
  rotationDue?: boolean;
  /** true: only records whose consumers need a restart; false: the others. */
  restartNeeded?: boolean;
  /** A field, `-` prefixed for descending. */
  sort?: string;
  cursor?: string;
  limit?: number;
}

/** `GET /audit` @public */
export interface AuditResponse {
  items: AuditRecord[];
  total: number;
  byStatus: StatusCounts;
  /** Per cluster counts, for the audit chart. */
  byCluster: Array<{ cluster: string; byStatus: StatusCounts }>;
  /**
   * The owners of the records that match every filter but `owner`, sorted:
   * the owner filter's choices across all pages.
   */
  owners: string[];
  nextCursor: string | null;
}

/**
 * `GET /vault-usage`: which catalog entities have Secrets synced from which
 * vault, for the catalog's vault entities and their relations.
 * @public
 */
export interface VaultUsageResponse {
  /** The snapshot's time; null before the first refresh (nothing known yet). */
  asOf: string | null;
  items: Array<{ vaultId: string; entityRefs: string[] }>;
}

/** `GET /servers` @public */
export interface ServersResponse {
  items: ConnectServerHealth[];
}

/** `GET /clusters` @public */
export interface ClustersResponse {
  items: ClusterHealth[];
}

/** A vault a template may offer: names and ids only. @public */
export interface VaultOption {
  server: string;
  id: string;
  name: string;
}

/** `GET /vaults` @public */
export interface VaultsResponse {
  items: VaultOption[];
}

/**
 * One name that breaks a naming rule of `onepassword.naming`, with the name
 * the rule expects (or, for a regular expression, a description of it).
 * @public
 */
export interface NamingViolation {
  rule: NamingRuleKind;
  /** The name as it is. */
  name: string;
  expected: string;
  message: string;
  /** The entity the vault belongs to (vault rules). */
  entityRef?: string | null;
  cluster?: string | null;
  namespace?: string | null;
  server?: string | null;
}

/** `GET /naming` @public */
export interface NamingViolationsResponse {
  /** The configured rules, for the page to say what is checked. */
  rules: Partial<Record<NamingRuleKind, string>>;
  items: NamingViolation[];
}

/** `POST /refresh` @public */
export interface RefreshResponse {
  triggered: boolean;
  /** When the last refresh finished, if any. */
  lastRefreshAt: string | null;
}
