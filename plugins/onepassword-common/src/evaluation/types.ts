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

import type { SecretSource, SecretSyncRecord } from '../api';
import type { SyncStatus } from '../status';

/** An item summary as Connect lists it: never a field value. @public */
export interface ItemSummary {
  id: string;
  title: string;
  vaultId: string;
  /** Null when Connect listed the item without a version: unknown, never 0. */
  version: number | null;
  updatedAt: string | null;
  createdAt?: string | null;
  tags: string[];
  /** `LOGIN`, `DATABASE`, ...; absent in summaries cached before it was kept. */
  category?: string | null;
}

/**
 * What Connect, seen through Backstage's own token, says about the item a
 * Secret's path names.
 * @public
 */
export type ItemLookup =
  | { kind: 'found'; vaultName: string; item: ItemSummary }
  /** The vault or the item does not exist (404, or not listed). */
  | { kind: 'not-found'; what: 'vault' | 'item'; vaultName?: string }
  /**
   * 401/403: the token may not read the vault, or is not valid. `status` is
   * the code Connect really answered; `scope` says whether the whole server
   * (vault list) or only this vault (its item list or `GET /v1/vaults/{id}`)
   * answered it.
   */
  | {
      kind: 'access-denied';
      status: number;
      message?: string;
      scope?: 'server' | 'vault';
    }
  /** The Connect server, or only this vault's item list, could not be read (down, 5xx, timeout). */
  | {
      kind: 'unavailable';
      message: string;
      since: string | null;
      scope?: 'server' | 'vault';
      status?: number | null;
    }
  /** No Connect server is known for the cluster's operator. */
  | { kind: 'no-server'; message: string };

/** The `Ready` condition of a `OnePasswordItem`. @public */
export interface ReadyCondition {
  status: 'True' | 'False' | 'Unknown';
  message?: string;
  lastTransitionTime?: string;
}

/** A `ReconcileError` or `RateLimited` event of the operator. @public */
export interface OperatorEvent {
  reason: string;
  message: string;
  /** The latest occurrence (`lastTimestamp`, `series.lastObservedTime` or `eventTime`). */
  at: string | null;
  /** How often the API server merged the event (`count` or `series.count`). */
  count?: number;
  /** The first occurrence (`firstTimestamp`). */
  firstAt?: string | null;
}

/** Whether an operator runs, from its Deployment status and pods. @public */
export interface OperatorHealthFacts {
  available: boolean;
  /** What is wrong when not available. */
  problem: 'scaled-to-zero' | 'crash-loop' | 'not-available' | null;
  /** The facts behind it, e.g. the waiting reason and restart count. */
  reason: string | null;
}

/** The metadata of the operator-managed Secret; never its data. @public */
export interface SecretMetadataFacts {
  /** `operator.1password.io/item-path` as the operator wrote it (ids). */
  itemPath: string | null;
  /** `operator.1password.io/item-version`. */
  itemVersion: number | null;
  /** When the operator last wrote the version annotation (managedFields). */
  lastWrittenAt: string | null;
  /** `operator.1password.io/auto-restart` on the Secret. */
  autoRestart: string | null;
}

/** The operator settings that matter for one Secret. @public */
export interface OperatorFacts {
  pollingIntervalSeconds: number;
  /** `AUTO_RESTART` env. */
  autoRestart: boolean;
  /** `WATCH_NAMESPACE`; null = all namespaces. */
  watchNamespaces: string[] | null;
  /** Absent: assumed running (the Deployment status could not be read). */
  health?: OperatorHealthFacts;
  /** Secrets this operator polls; with the per-Secret cost, how long a poll takes. */
  secretCount?: number;
}

/** A Deployment that uses the Secret. @public */
export interface SecretConsumer {
  name: string;
  /** `operator.1password.io/auto-restart` on the Deployment. */
  autoRestart: string | null;
  /** Pod template `operator.1password.io/last-restarted`. */
  lastRestartedAt: string | null;
}

/** The previous evaluation, so times survive across refreshes. @public */
export interface PreviousSyncState {
  status: SyncStatus;
  statusSince: string | null;
  syncedAt: string | null;
  verifiedAt: string | null;
  secretVersion: number | null;
}

/**
 * Everything the evaluation of one synced Secret depends on. Built by the
 * backend from one refresh; the evaluation itself does no I/O.
 * @public
 */
export interface SecretSyncInput {
  cluster: string;
  namespace: string;
  secretName: string;
  source: SecretSource;
  /** The path as declared on the OnePasswordItem or Deployment. */
  itemPath: string;
  connectServer: string | null;
  item: ItemLookup;
  /** Null when the operator has not created the Secret. */
  secret: SecretMetadataFacts | null;
  ready: ReadyCondition | null;
  /** Operator events about the Secret's source, newest first. */
  events: OperatorEvent[];
  operator: OperatorFacts;
  namespaceAutoRestart: string | null;
  consumers: SecretConsumer[];
  previous: PreviousSyncState | null;
  /**
   * Whether Backstage's Connect server says its own cache is not current
   * (`/health` dependencies); absent: current.
   */
  connectSync?: { lagging: boolean; reason: string | null };
  /**
   * Why the Secrets of this namespace could not be listed (e.g. a 403 naming
   * the missing RBAC rule). Without them a Secret cannot be told missing from
   * present: the record is unknown, never a false `missing`.
   */
  secretsUnreadable?: string | null;
}

/** The result of an evaluation: a record without the catalog linkage. @public */
export type SecretSyncEvaluation = SecretSyncRecord;
