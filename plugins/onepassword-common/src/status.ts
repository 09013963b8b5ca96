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

/**
 * Sync status of one operator-managed Secret. See `DESIGN.md`, "Sync status".
 * @public
 */
export const SYNC_STATUSES = [
  'in-sync',
  'pending',
  'stale',
  'error',
  'missing',
  'item-not-found',
  'access-denied',
  'unknown',
] as const;

/** @public */
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/** Where an auto-restart setting came from, in the operator's precedence. @public */
export type AutoRestartSource =
  | 'secret'
  | 'deployment'
  | 'namespace'
  | 'operator';

/** Statuses that need nobody's attention. @public */
export function isHealthyStatus(status: SyncStatus): boolean {
  return status === 'in-sync' || status === 'pending';
}

/** @public */
export function isSyncStatus(value: unknown): value is SyncStatus {
  return (SYNC_STATUSES as readonly unknown[]).includes(value);
}

/** Ordered from most to least severe, for "worst problem" summaries. @public */
export const STATUS_SEVERITY: readonly SyncStatus[] = [
  'access-denied',
  'item-not-found',
  'error',
  'missing',
  'stale',
  'unknown',
  'pending',
  'in-sync',
];

/** @public */
export function emptyStatusCounts(): Record<SyncStatus, number> {
  return Object.fromEntries(SYNC_STATUSES.map(s => [s, 0])) as Record<
    SyncStatus,
    number
  >;
}
