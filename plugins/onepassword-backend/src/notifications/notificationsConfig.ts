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

import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  isSyncStatus,
  SyncStatus,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { DEFAULT_NOTIFY_STATUSES } from './planSyncNotifications';

/** The validated `onepassword.notifications` configuration. @public */
export interface NotificationsConfig {
  enabled: boolean;
  /** Statuses that notify the owners when a record turns to them. */
  statuses: SyncStatus[];
  /** A record that made the same transition within this period does not notify again. */
  quietPeriodMs: number;
  /** Whether pods that start to need a restart notify. */
  restartNeeded: boolean;
  /** Entity refs (groups, users) that get the digest of unhealthy Connect servers and operators. */
  platformRecipients: string[];
}

const DEFAULT_QUIET_PERIOD_MS = 60 * 60 * 1000;
const KEY = 'onepassword.notifications';

function invalid(key: string, problem: string): never {
  throw new InputError(`Invalid configuration at '${KEY}.${key}': ${problem}`);
}

/**
 * Reads `onepassword.notifications`; a bad value fails start-up with an
 * error naming the key.
 * @public
 */
export function readNotificationsConfig(config: Config): NotificationsConfig {
  const root = config.getOptionalConfig(KEY);
  const statuses = root?.getOptionalStringArray('statuses') ?? [
    ...DEFAULT_NOTIFY_STATUSES,
  ];
  const unknown = statuses.find(s => !isSyncStatus(s));
  if (unknown !== undefined) {
    invalid('statuses', `'${unknown}' is not a sync status`);
  }
  const healthy = statuses.find(s => s === 'in-sync' || s === 'pending');
  if (healthy !== undefined) {
    invalid(
      'statuses',
      `'${healthy}' is a healthy status; list the statuses a record turns to when something is wrong`,
    );
  }
  let quietPeriodMs = DEFAULT_QUIET_PERIOD_MS;
  if (root?.has('quietPeriod')) {
    try {
      quietPeriodMs = durationToMilliseconds(
        readDurationFromConfig(root, { key: 'quietPeriod' }),
      );
    } catch (e) {
      invalid(
        'quietPeriod',
        `must be a duration such as { hours: 1 } or '1h': ${
          (e as Error).message
        }`,
      );
    }
    if (!(quietPeriodMs >= 0)) invalid('quietPeriod', 'must not be negative');
  }
  const platformRecipients =
    root?.getOptionalStringArray('platformRecipients') ?? [];
  platformRecipients.forEach((ref, index) => {
    try {
      parseEntityRef(ref);
    } catch {
      invalid(
        `platformRecipients[${index}]`,
        `'${ref}' is not an entity ref such as group:default/platform`,
      );
    }
  });
  return {
    enabled: root?.getOptionalBoolean('enabled') ?? true,
    statuses: statuses as SyncStatus[],
    quietPeriodMs,
    restartNeeded: root?.getOptionalBoolean('restartNeeded') ?? true,
    platformRecipients,
  };
}
