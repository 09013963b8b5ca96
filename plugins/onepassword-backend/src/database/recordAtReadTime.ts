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
  DEFAULT_POLL_GRACE_SECONDS,
  SecretSyncRecord,
} from '@secret-sync/backstage-plugin-onepassword-common';

/**
 * Facts of a record that move with time alone, so that a refresh does not
 * rewrite a row to record them. They are derived when the row is read:
 * - an `in-sync` record was verified by the latest refresh (`verifiedAt`);
 * - a record that is not pending expects the operator's next poll one polling
 *   interval after the latest refresh (`nextPollBy`);
 * - a `pending` record whose stored deadline passed is `stale`;
 * - a record whose item's stored rotation deadline (`rotateBy`) passed is
 *   `rotationDue`.
 */
export interface SnapshotClock {
  /** When the latest refresh evaluated the snapshot; null before the first. */
  refreshedAt: string | null;
  now: Date;
}

// Same hint as the refresh's own evaluation of a stale record gives, so a
// record reads the same whether the deadline passed before or at a refresh.
const STALE_HINT =
  "The operator polls but fails silently: its Connect token was probably revoked or lost access to this vault, or Connect is unhealthy. Check the operator logs for 'failed to retrieve 1Password item', fix the token or vault grant, and restart the operator.";

function addSeconds(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString();
}

/** Both in the one UTC form `toISOString` writes: then they order as text. */
function sameUtcForm(a: string, b: string): boolean {
  return (
    a.length === b.length &&
    a.charCodeAt(10) === 84 /* T */ &&
    b.charCodeAt(10) === 84 &&
    a.endsWith('Z') &&
    b.endsWith('Z')
  );
}

function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a === b) return a;
  // Every row of a read compares with the refresh time: parse only when the
  // forms differ.
  if (sameUtcForm(a, b)) return a > b ? a : b;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/**
 * `refreshedAt` plus a polling interval, for every row of a read: a CSV of
 * 20,000 rows otherwise parses and formats the same refresh time 20,000
 * times. Rows share a handful of polling intervals.
 */
const nextPollMemo = {
  refreshedAt: null as string | null,
  byInterval: new Map<number, string>(),
};
function nextPollAfter(refreshedAt: string, seconds: number): string {
  if (nextPollMemo.refreshedAt !== refreshedAt) {
    nextPollMemo.refreshedAt = refreshedAt;
    nextPollMemo.byInterval.clear();
  }
  let value = nextPollMemo.byInterval.get(seconds);
  if (value === undefined) {
    value = addSeconds(refreshedAt, seconds);
    nextPollMemo.byInterval.set(seconds, value);
  }
  return value;
}

/**
 * When a pending record turns stale: one polling interval plus the grace
 * after the item changed, as the evaluation decides. Null for any other status.
 */
export function staleDeadline(record: SecretSyncRecord): string | null {
  if (record.status !== 'pending') return null;
  const changedAt = record.itemUpdatedAt ?? record.statusSince;
  return changedAt
    ? addSeconds(
        changedAt,
        record.pollingIntervalSeconds + DEFAULT_POLL_GRACE_SECONDS,
      )
    : null;
}

/** Whether a field only moves with time, and so is left out of change detection. */
export function isTimeDriven(
  field: 'verifiedAt' | 'nextPollBy',
  record: SecretSyncRecord,
): boolean {
  return field === 'verifiedAt'
    ? record.status === 'in-sync'
    : record.status !== 'pending';
}

/** A stored record as it reads at `clock.now`. Pure. */
export function recordAtReadTime<T extends SecretSyncRecord>(
  record: T,
  staleAt: string | null,
  clock: SnapshotClock,
): T {
  const { refreshedAt, now } = clock;
  const resolved = { ...record };
  if (record.rotateBy !== undefined) {
    resolved.rotationDue =
      record.rotateBy !== null && Date.parse(record.rotateBy) <= now.getTime();
  }
  if (isTimeDriven('verifiedAt', record)) {
    resolved.verifiedAt = later(record.verifiedAt, refreshedAt);
  }
  if (isTimeDriven('nextPollBy', record) && refreshedAt) {
    resolved.nextPollBy = later(
      record.nextPollBy,
      nextPollAfter(refreshedAt, record.pollingIntervalSeconds),
    );
  }
  if (
    record.status === 'pending' &&
    staleAt !== null &&
    Date.parse(staleAt) <= now.getTime()
  ) {
    resolved.status = 'stale';
    resolved.statusSince = staleAt;
    resolved.message = `The Secret carries item version ${
      record.secretVersion ?? 'none'
    }, 1Password has version ${record.itemVersion ?? 'unknown'}${
      record.itemUpdatedAt ? ` (changed ${record.itemUpdatedAt})` : ''
    }; more than one polling interval (${
      record.pollingIntervalSeconds
    }s) has passed, and the OnePasswordItem still reports Ready.`;
    resolved.hint = STALE_HINT;
  }
  return resolved;
}
