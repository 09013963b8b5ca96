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
  version: number;
  updatedAt: string | null;
  createdAt?: string | null;
  tags: string[];
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
  /** 401/403: the token may not read the vault, or is not valid. */
  | { kind: 'access-denied'; status: 401 | 403; message?: string }
  /** The Connect server could not be asked (down, 5xx, timeout). */
  | { kind: 'unavailable'; message: string; since: string | null }
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
  at: string | null;
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
}

/** The result of an evaluation: a record without the catalog linkage. @public */
export type SecretSyncEvaluation = SecretSyncRecord;
