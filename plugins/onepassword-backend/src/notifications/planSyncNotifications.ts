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

import { parseEntityRef } from '@backstage/catalog-model';
import {
  isHealthyStatus,
  SyncStatus,
} from '@secret-sync/backstage-plugin-onepassword-common';

/** Severities of the Backstage notifications backend. */
type NotificationSeverity = 'critical' | 'high' | 'normal' | 'low';

/** The state of one record before and after a refresh. */
export interface RecordChange {
  key: string;
  cluster: string;
  namespace: string;
  secretName: string;
  entityRef: string | null;
  before: { status: SyncStatus; restartNeeded?: boolean } | null;
  after: {
    status: SyncStatus;
    restartNeeded?: boolean;
    message: string | null;
    hint: string | null;
  };
}

/** One notification to send, as the notifications backend takes it. */
export interface PlannedNotification {
  recipients: { type: 'entity'; entityRef: string | string[] };
  payload: {
    title: string;
    description: string;
    link: string;
    severity: NotificationSeverity;
    topic: string;
    /** Stable per record and transition: a repeat updates, not adds. */
    scope: string;
    /** What the notification is about, for processors (e-mail, Slack) to format. */
    metadata?: Record<string, string | null>;
  };
}

interface NotificationRules {
  /** Statuses that notify the owners when a record turns to them. */
  statuses: SyncStatus[];
  /** A record that had the same transition within this period does not notify again. */
  quietPeriodMs: number;
  /** Whether pods that start to need a restart notify; default true. */
  restartNeeded?: boolean;
}

export const DEFAULT_NOTIFY_STATUSES: SyncStatus[] = [
  'stale',
  'error',
  'missing',
  'item-not-found',
  'access-denied',
];

const SEVERITY: Partial<Record<SyncStatus, NotificationSeverity>> = {
  'access-denied': 'high',
  'item-not-found': 'high',
  error: 'high',
  missing: 'high',
  stale: 'normal',
  unknown: 'normal',
};

const TOPIC = '1Password secret sync';

function describe(change: RecordChange) {
  return `${change.namespace}/${change.secretName} in cluster ${change.cluster}`;
}

function body(change: RecordChange) {
  return [change.after.message, change.after.hint].filter(Boolean).join(' ');
}

/** The service's name, as a person reads it in the bell. */
function serviceName(entityRef: string) {
  try {
    return parseEntityRef(entityRef).name;
  } catch {
    return entityRef;
  }
}

function metadataOf(change: RecordChange & { entityRef: string }) {
  return {
    entityRef: change.entityRef,
    cluster: change.cluster,
    namespace: change.namespace,
    secretName: change.secretName,
    previousStatus: change.before?.status ?? null,
    status: change.after.status,
    message: change.after.message,
    hint: change.after.hint,
  };
}

/**
 * The notifications one refresh sends to the owners of the entities whose
 * Secrets changed: a record that turned from green (or appeared) to a
 * notifying status, one that recovered from it, and one whose pods started
 * to need a restart. Nothing on the first refresh after install (every
 * record would "change"), nothing for orphans (nobody owns them), nothing
 * for a transition the record already made within the quiet period.
 */
export function planSyncNotifications(options: {
  changes: RecordChange[];
  rules: NotificationRules;
  firstRefresh: boolean;
  now: Date;
  /** When this record last made this transition before, if it did. */
  lastTransitionAt(key: string, to: SyncStatus): Date | null;
  /** The Secrets tab of an entity, for the notification's link. */
  linkFor(entityRef: string): string;
}): PlannedNotification[] {
  if (options.firstRefresh) return [];
  const planned: PlannedNotification[] = [];
  const quiet = (change: RecordChange, to: SyncStatus) => {
    const last = options.lastTransitionAt(change.key, to);
    return (
      last !== null &&
      options.now.getTime() - last.getTime() < options.rules.quietPeriodMs
    );
  };
  for (const change of options.changes) {
    if (!change.entityRef) continue;
    const { before, after } = change;
    const recipients = { type: 'entity' as const, entityRef: change.entityRef };
    const link = options.linkFor(change.entityRef);
    const service = serviceName(change.entityRef);
    const metadata = metadataOf({ ...change, entityRef: change.entityRef });
    const wasGreen = before === null || isHealthyStatus(before.status);
    const statusChanged = before?.status !== after.status;
    if (
      statusChanged &&
      wasGreen &&
      options.rules.statuses.includes(after.status) &&
      !quiet(change, after.status)
    ) {
      planned.push({
        recipients,
        payload: {
          title: `${service}: Secret ${change.secretName} is ${after.status}`,
          description: `${describe(change)}: ${body(change)}`,
          link,
          severity: SEVERITY[after.status] ?? 'normal',
          topic: TOPIC,
          scope: `onepassword:${change.key}:${after.status}`,
          metadata,
        },
      });
    } else if (
      statusChanged &&
      before !== null &&
      options.rules.statuses.includes(before.status) &&
      isHealthyStatus(after.status)
    ) {
      planned.push({
        recipients,
        payload: {
          title: `${service}: Secret ${change.secretName} recovered`,
          description: `${describe(change)} is ${after.status} again (it was ${
            before.status
          }).`,
          link,
          severity: 'low',
          topic: TOPIC,
          scope: `onepassword:${change.key}:recovered`,
          metadata,
        },
      });
    }
    if (
      options.rules.restartNeeded !== false &&
      after.restartNeeded &&
      !before?.restartNeeded
    ) {
      planned.push({
        recipients,
        payload: {
          title: `${service}: pods reading ${change.secretName} need a restart`,
          description: `${describe(change)} changed after its pods started: ${
            after.hint ?? 'they still run the previous value.'
          }`,
          link,
          severity: 'normal',
          topic: TOPIC,
          scope: `onepassword:${change.key}:restart-needed`,
          metadata,
        },
      });
    }
  }
  return planned;
}

/** A Connect server or operator as the health digest compares it. */
export interface HealthSubject {
  /** e.g. `Connect server main` or `operator in prod/onepassword`. */
  name: string;
  healthy: boolean;
  reason: string | null;
}

/**
 * One digest per refresh for the platform owners: the Connect servers and
 * operators that turned unhealthy in it. Null when none did.
 */
export function planHealthDigest(options: {
  before: HealthSubject[];
  after: HealthSubject[];
  recipients: string[];
  firstRefresh: boolean;
  link: string;
  now: Date;
}): PlannedNotification | null {
  if (options.firstRefresh || options.recipients.length === 0) return null;
  const wasHealthy = new Map(options.before.map(s => [s.name, s.healthy]));
  const turned = options.after.filter(
    subject => !subject.healthy && wasHealthy.get(subject.name) !== false,
  );
  if (turned.length === 0) return null;
  return {
    recipients: { type: 'entity', entityRef: options.recipients },
    payload: {
      title: `${turned.length} 1Password sync component${
        turned.length === 1 ? '' : 's'
      } unhealthy`,
      description: turned
        .map(s => `${s.name}: ${s.reason ?? 'unhealthy'}`)
        .join('; '),
      link: options.link,
      severity: 'high',
      topic: TOPIC,
      // One digest a refresh: a later refresh adds its own.
      scope: `onepassword:health:${options.now.toISOString()}`,
    },
  };
}
