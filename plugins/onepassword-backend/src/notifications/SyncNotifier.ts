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

import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { toError } from '@backstage/errors';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  ClusterHealth,
  ConnectServerHealth,
  recordKey,
} from '@secret-sync/backstage-plugin-onepassword-common';
import {
  SecretSyncStore,
  StatusTransition,
  StoredSecretRecord,
} from '../database/SecretSyncStore';
import { RefreshOutcome } from '../refresh/RefreshOutcome';
import { NotificationsConfig } from './notificationsConfig';
import {
  HealthSubject,
  PlannedNotification,
  planHealthDigest,
  planSyncNotifications,
  RecordChange,
} from './planSyncNotifications';

/** Where the audit page is in the app, for the digest's link. */
const AUDIT_PAGE_LINK = '/onepassword';
/** The most earlier transitions one refresh reads for the quiet period. */
const QUIET_PERIOD_READ_LIMIT = 5_000;

/** The Secrets tab of an entity, relative to the app, as the notifications frontend links it. */
export function secretsTabLink(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}/secrets`;
}

/** Connect servers and operators as the health digest compares them. */
export function healthSubjects(
  servers: ConnectServerHealth[],
  clusters: ClusterHealth[],
): HealthSubject[] {
  return [
    ...servers.map(server => ({
      name: `Connect server ${server.name}`,
      healthy: server.healthy,
      reason: server.error,
    })),
    ...clusters.flatMap(cluster =>
      (cluster.operators ?? (cluster.operator ? [cluster.operator] : [])).map(
        operator => ({
          name: `operator ${operator.namespace}/${operator.deploymentName} in cluster ${cluster.name}`,
          healthy: operator.available !== false,
          reason: operator.reason ?? null,
        }),
      ),
    ),
  ];
}

/** The changes of one refresh, with the status each record had as stored before it. */
function recordChanges(outcome: RefreshOutcome): RecordChange[] {
  // A record the refresh did not write is as it was: no change to tell.
  const written = new Set(outcome.write.writtenKeys);
  if (written.size === 0) return [];
  const previous = new Map<string, StoredSecretRecord>();
  for (const r of outcome.previous.records) {
    const key = recordKey(r);
    if (written.has(key)) previous.set(key, r);
  }
  const transitions = new Map(
    outcome.write.transitions.map(t => [t.recordKey, t]),
  );
  return outcome.records.flatMap(record => {
    const key = recordKey(record);
    if (!written.has(key)) return [];
    const before = previous.get(key);
    const transition = transitions.get(key);
    // The stored status, not the one read back: a pending record past its
    // deadline reads as stale, but it turns stale (and notifies) now.
    const beforeStatus = transition ? transition.fromStatus : record.status;
    return {
      key,
      cluster: record.cluster,
      namespace: record.namespace,
      secretName: record.secretName,
      entityRef: record.entityRef,
      before:
        beforeStatus === null || (!before && !transition)
          ? null
          : { status: beforeStatus, restartNeeded: before?.restartNeeded },
      after: {
        status: record.status,
        restartNeeded: record.restartNeeded,
        message: record.message,
        hint: record.hint,
      },
    };
  });
}

/**
 * Tells people what a refresh changed through the Backstage notifications
 * backend: each owning entity of a record that turned bad, recovered or
 * started to need a restart (the backend resolves the entity's owners), and
 * the platform owners one digest of the Connect servers and operators that
 * turned unhealthy. A failure to send is logged, never fails the refresh.
 * @public
 */
export class SyncNotifier {
  static create(options: {
    notifications: NotificationService;
    store: SecretSyncStore;
    config: NotificationsConfig;
    logger: LoggerService;
  }) {
    return new SyncNotifier(
      options.notifications,
      options.store,
      options.config,
      options.logger,
    );
  }

  private constructor(
    private readonly notifications: NotificationService,
    private readonly store: SecretSyncStore,
    private readonly config: NotificationsConfig,
    private readonly logger: LoggerService,
  ) {}

  async onRefreshed(outcome: RefreshOutcome): Promise<void> {
    if (!this.config.enabled) return;
    try {
      const planned = await this.plan(outcome);
      await this.send(planned);
    } catch (e) {
      this.logger.warn(
        `Could not work out the notifications of the refresh at ${
          outcome.at
        }: ${toError(e).message}`,
      );
    }
  }

  private async plan(outcome: RefreshOutcome): Promise<PlannedNotification[]> {
    const firstRefresh = outcome.previousRefreshAt === null;
    const now = new Date(outcome.at);
    const changes = recordChanges(outcome);
    const earlier = firstRefresh
      ? []
      : await this.earlierTransitions(outcome.write.transitions, now);
    const planned = planSyncNotifications({
      changes,
      rules: this.config,
      firstRefresh,
      now,
      lastTransitionAt: (key, to) => {
        const last = earlier.find(
          t => t.recordKey === key && t.toStatus === to,
        );
        return last ? new Date(last.at) : null;
      },
      linkFor: secretsTabLink,
    });
    const [servers, clusters] = await Promise.all([
      this.store.listServers(),
      this.store.listClusters(),
    ]);
    const digest = planHealthDigest({
      before: healthSubjects(
        outcome.previous.servers,
        outcome.previous.clusters,
      ),
      after: healthSubjects(servers, clusters),
      recipients: this.config.platformRecipients,
      firstRefresh,
      link: AUDIT_PAGE_LINK,
      now,
    });
    return digest ? [...planned, digest] : planned;
  }

  /**
   * Transitions within the quiet period to a status that notifies, before
   * the ones this refresh made, newest first.
   */
  private async earlierTransitions(
    current: StatusTransition[],
    now: Date,
  ): Promise<StatusTransition[]> {
    const notifying = current.filter(t =>
      this.config.statuses.includes(t.toStatus),
    );
    if (notifying.length === 0 || this.config.quietPeriodMs === 0) return [];
    const recent = await this.store.queryTransitions({
      keys: [...new Set(notifying.map(t => t.recordKey))],
      since: new Date(now.getTime() - this.config.quietPeriodMs).toISOString(),
      before: null,
      limit: QUIET_PERIOD_READ_LIMIT,
    });
    const isCurrent = (t: StatusTransition) =>
      notifying.some(
        c =>
          c.recordKey === t.recordKey &&
          c.toStatus === t.toStatus &&
          c.fromStatus === t.fromStatus &&
          c.at === t.at,
      );
    return recent.filter(t => !isCurrent(t));
  }

  private async send(planned: PlannedNotification[]) {
    let failed = 0;
    let lastError: Error | undefined;
    for (const notification of planned) {
      try {
        await this.notifications.send(notification);
      } catch (e) {
        failed++;
        lastError = toError(e);
      }
    }
    if (failed > 0) {
      this.logger.warn(
        `Could not send ${failed} of ${planned.length} 1Password sync notifications (is the notifications backend installed?): ${lastError?.message}`,
      );
    } else if (planned.length > 0) {
      this.logger.info(`Sent ${planned.length} 1Password sync notifications`);
    }
  }
}
