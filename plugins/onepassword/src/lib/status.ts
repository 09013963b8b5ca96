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
  AutoRestartSetting,
  SecretSyncRecord,
  STATUS_SEVERITY,
  StatusCounts,
  SyncStatus,
} from '@secret-sync/backstage-plugin-onepassword-common';

/** What each status means, in one sentence for a developer. */
export const STATUS_DESCRIPTIONS: Record<SyncStatus, string> = {
  'in-sync': "The Secret carries the 1Password item's current version.",
  pending:
    'The item changed less than one polling interval ago; the operator will pick it up on its next poll.',
  stale:
    'The item changed more than one polling interval ago and the Secret is still behind: the operator is failing silently.',
  error: 'The operator reported an error for this item.',
  missing: 'There is a OnePasswordItem but no Secret.',
  'item-not-found': 'Connect says the item or its vault does not exist.',
  'access-denied': 'The Connect token was not granted access to this vault.',
  unknown:
    'The Connect server or the cluster could not be reached; this is the last known state.',
};

const AUTO_RESTART_SOURCES: Record<AutoRestartSetting['source'], string> = {
  secret: 'set on the OnePasswordItem',
  deployment: 'set on the Deployment',
  namespace: 'set on the namespace',
  operator: 'operator default',
};

/** `on (set on the namespace)`, `off (operator default)`. */
export function describeAutoRestart(setting: AutoRestartSetting): string {
  return `${setting.enabled ? 'on' : 'off'} (${
    AUTO_RESTART_SOURCES[setting.source]
  })`;
}

/** Statuses with a non-zero count, most severe first. */
export function presentStatuses(counts: StatusCounts): SyncStatus[] {
  return STATUS_SEVERITY.filter(status => counts[status] > 0);
}

/**
 * The record most in need of attention, or undefined when all are healthy
 * (`in-sync`), for "worst problem" summaries.
 */
export function findWorstRecord<T extends SecretSyncRecord>(
  records: T[],
): T | undefined {
  let worst: T | undefined;
  for (const record of records) {
    if (record.status === 'in-sync') {
      continue;
    }
    if (
      !worst ||
      STATUS_SEVERITY.indexOf(record.status) <
        STATUS_SEVERITY.indexOf(worst.status)
    ) {
      worst = record;
    }
  }
  return worst;
}
