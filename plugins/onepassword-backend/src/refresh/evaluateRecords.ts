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
  ClusterHealth,
  connectCacheState,
  ConnectServerHealth,
  DEFAULT_POLL_GRACE_SECONDS,
  evaluateSecretSync,
  ItemLookup,
  markUnknown,
  recordKey,
  SecretSyncRecord,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { OnePasswordConfig } from '../config';
import { ServerView } from '../connect/ConnectSnapshotService';
import { StoredSecretRecord } from '../database/SecretSyncStore';
import { EntityClaims } from '../entities/EntityClaims';
import {
  OperatorDeploymentFacts,
  SyncedSecretCandidate,
} from './collectSyncedSecrets';
import {
  ClusterRead,
  connectHintOf,
  operatorOf,
  serverFor,
} from './readClusters';
import { resolveItemInVault } from './resolveItem';
import { workloadConsumerFields } from './workloadConsumers';

/** What the store held before this refresh. */
export interface PreviousSnapshot {
  records: StoredSecretRecord[];
  /** Each record as the store reads it now, by record key. */
  recordsByKey: Pick<Map<string, StoredSecretRecord>, 'get'>;
  serverHealth: Map<string, ConnectServerHealth>;
  clusterHealth: Map<string, ClusterHealth>;
}

/** Everything one refresh read, to be evaluated into records. */
export interface RefreshReads {
  views: Map<string, ServerView>;
  clusters: ClusterRead[];
  /** Undefined when the catalog could not be read: previous links are kept. */
  claims: EntityClaims | undefined;
  previous: PreviousSnapshot;
}

/**
 * A record as one refresh evaluated it, with what it was evaluated from
 * beyond its cluster's facts: evaluated again with the same inputs before
 * `changesAt`, it comes out the same (time-driven facts aside, see
 * `recordAtReadTime`).
 */
export interface EvaluatedRecord {
  record: StoredSecretRecord;
  /** The Connect server its item was looked up on. */
  server: string | null;
  /** The listed vault whose items the lookup read; null: the vault list alone. */
  vaultId: string | null;
  /**
   * When time alone changes the evaluation (epoch ms): the poll falls
   * overdue, a pending record turns stale, an operator event stops being
   * current. Infinity: never.
   */
  changesAt: number;
}

/**
 * What Connect says about a candidate's item. A Deployment-sourced Secret
 * is followed by the ids the operator wrote, as its poller does after a
 * rename. For a service-account operator, a configured server that does not
 * see the vault says nothing about it: never a false item-not-found.
 */
function lookupItem(
  cluster: string,
  operator: OperatorDeploymentFacts | undefined,
  serverName: string | null,
  view: ServerView | undefined,
  candidate: SyncedSecretCandidate,
  lastSuccessAt: string | null,
): { lookup: ItemLookup; vaultId: string | null } {
  const serviceAccount = operator?.authMethod === 'service-account';
  if (!serverName) {
    return {
      vaultId: null,
      lookup: {
        kind: 'no-server',
        message: serviceAccount
          ? `The operator ${operator!.namespace}/${
              operator!.deploymentName
            } in cluster '${cluster}' uses a 1Password service account (OP_SERVICE_ACCOUNT_TOKEN), not Connect: Backstage cannot see its vaults unless onepassword.clusters.${cluster}.connectServer names a Connect server that does.`
          : `No configured Connect server matches the operator's OP_CONNECT_HOST ${
              operator?.connectHost
                ? `'${operator.connectHost}'`
                : '(operator not found)'
            } in cluster '${cluster}'.`,
      },
    };
  }
  const secretPath = candidate.facts.secret?.itemPath ?? null;
  const path =
    candidate.facts.source === 'Deployment' && secretPath
      ? secretPath
      : candidate.facts.itemPath;
  const resolved = resolveItemInVault(view, path, secretPath, lastSuccessAt);
  const item = resolved.lookup;
  if (
    serviceAccount &&
    ((item.kind === 'not-found' && item.what === 'vault') ||
      item.kind === 'access-denied')
  ) {
    return {
      vaultId: resolved.vaultId,
      lookup: {
        kind: 'no-server',
        message: `The operator in cluster '${cluster}' uses a 1Password service account, and Connect server '${serverName}' does not see the vault of ${candidate.facts.itemPath}: Backstage cannot tell whether this Secret is current.`,
      },
    };
  }
  return resolved;
}

/**
 * The first moment after `now` at which the same inputs evaluate otherwise
 * (see {@link EvaluatedRecord.changesAt}): the poll's due time and the
 * stale deadline of a record behind its item, and the end of the window in
 * which an operator event counts as current.
 */
function timeDrivenChangeAt(
  record: StoredSecretRecord,
  candidate: SyncedSecretCandidate | undefined,
  now: Date,
): number {
  let next = Number.POSITIVE_INFINITY;
  const consider = (at: number) => {
    if (Number.isFinite(at) && at > now.getTime()) next = Math.min(next, at);
  };
  if (record.pendingUntil) {
    consider(Date.parse(record.pendingUntil));
    // For a record behind its item, the due time of the operator's poll.
    if (record.nextPollBy) consider(Date.parse(record.nextPollBy));
  }
  const windowMs =
    (record.pollingIntervalSeconds +
      (record.pollDurationSeconds ?? 0) +
      DEFAULT_POLL_GRACE_SECONDS) *
    1000;
  for (const event of candidate?.facts.events ?? []) {
    if (event.at) consider(Date.parse(event.at) + windowMs);
  }
  return next;
}

/**
 * Links a record to the entity that claims it; without claims (the catalog
 * could not be read) it keeps the link it had.
 */
export function linkRecord(
  record: SecretSyncRecord,
  labels: Record<string, string>,
  claims: EntityClaims | undefined,
  before: StoredSecretRecord | undefined,
): StoredSecretRecord {
  const claim = claims
    ? claims.claim({ namespace: record.namespace, labels })
    : before && { entityRef: before.entityRef!, owner: before.owner };
  return {
    ...record,
    labels,
    entityRef: claim?.entityRef ?? null,
    owner: claim?.owner ?? null,
  };
}

/**
 * Evaluates the synced Secrets of one cluster into the records to store,
 * linked to their entities. A cluster that could not be read leaves its
 * records at their last known state, marked unknown. `reuse` may answer a
 * candidate's evaluation of an earlier refresh instead, when none of its
 * inputs changed since (the caller decides; the answer must be what this
 * function would give).
 */
export function evaluateCluster(
  config: OnePasswordConfig,
  reads: RefreshReads,
  cluster: ClusterRead,
  now: Date,
  reuse?: (
    candidate: SyncedSecretCandidate,
    index: number,
  ) => EvaluatedRecord | undefined,
): EvaluatedRecord[] {
  const { views, claims, previous } = reads;
  const evaluated: EvaluatedRecord[] = [];
  if (!cluster.ok) {
    const lastSuccessAt =
      previous.clusterHealth.get(cluster.name)?.lastSuccessAt ?? null;
    for (const before of previous.records) {
      if (before.cluster !== cluster.name) continue;
      // Read as the store reads it now, as the other records are.
      const current = previous.recordsByKey.get(recordKey(before)) ?? before;
      const record = linkRecord(
        markUnknown(
          current,
          {
            what: `Cluster '${cluster.name}'`,
            message: cluster.error,
            lastSuccessAt,
            notReadable: cluster.notReadable,
          },
          now,
        ),
        current.labels,
        claims,
        current,
      );
      evaluated.push({
        record,
        server: null,
        vaultId: null,
        changesAt: now.getTime(),
      });
    }
    return evaluated;
  }
  cluster.candidates.forEach((candidate, index) => {
    const reused = reuse?.(candidate, index);
    if (reused) {
      evaluated.push(reused);
      return;
    }
    const before = previous.recordsByKey.get(recordKey(candidate.facts));
    const served = operatorOf(cluster, candidate.facts.namespace);
    const operator = {
      pollingIntervalSeconds:
        served?.facts.pollingIntervalSeconds ?? config.pollingIntervalSeconds,
      autoRestart: served?.facts.autoRestart ?? false,
      watchNamespaces: served?.facts.watchNamespaces ?? null,
      health: served?.health,
      secretCount: served?.secretCount,
    };
    const serverName = served
      ? served.serverName
      : serverFor(config, cluster.name, null);
    const lastSuccessAt = serverName
      ? previous.serverHealth.get(serverName)?.lastSuccessAt ?? null
      : null;
    const view = serverName ? views.get(serverName) : undefined;
    const { lookup: item, vaultId } = lookupItem(
      cluster.name,
      served?.facts,
      serverName,
      view,
      candidate,
      lastSuccessAt,
    );
    if (item.kind === 'unavailable' && before) {
      evaluated.push({
        record: linkRecord(
          markUnknown(
            before,
            {
              what:
                item.scope === 'vault'
                  ? `The item list of the vault of ${candidate.facts.itemPath} on Connect server '${serverName}'`
                  : `Connect server '${serverName}'`,
              message: item.message,
              lastSuccessAt,
            },
            now,
          ),
          candidate.labels,
          claims,
          before,
        ),
        server: serverName,
        vaultId,
        // Evaluated again on every refresh until the server answers.
        changesAt: now.getTime(),
      });
      return;
    }
    const secretsProblem = cluster.problems.find(
      p =>
        p.kind === 'secrets' &&
        (!p.namespaces || p.namespaces.includes(candidate.facts.namespace)),
    );
    const record = evaluateSecretSync(
      {
        ...candidate.facts,
        item,
        secretsUnreadable: secretsProblem?.message ?? null,
        connectServer: serverName,
        operator,
        connectSync:
          view?.state === 'ok' ? connectCacheState(view.health) : undefined,
        previous: before
          ? {
              status: before.status,
              statusSince: before.statusSince,
              syncedAt: before.syncedAt,
              verifiedAt: before.verifiedAt,
              secretVersion: before.secretVersion,
            }
          : null,
      },
      now,
      { pollSecondsPerSecret: config.pollSecondsPerSecret },
    );
    const linked = linkRecord(
      {
        ...record,
        ...workloadConsumerFields(candidate, record, operator.autoRestart),
        connectHint: connectHintOf(served),
      },
      candidate.labels,
      claims,
      before,
    );
    evaluated.push({
      record: linked,
      server: serverName,
      vaultId,
      changesAt:
        view && view.state !== 'ok'
          ? now.getTime()
          : timeDrivenChangeAt(linked, candidate, now),
    });
  });
  return evaluated;
}

/**
 * Evaluates every synced Secret a refresh read into the record to store,
 * linked to its entity. A cluster or server that could not be read leaves
 * its records at their last known state, marked unknown.
 */
export function evaluateRecords(
  config: OnePasswordConfig,
  reads: RefreshReads,
  now: Date,
): StoredSecretRecord[] {
  return reads.clusters.flatMap(cluster =>
    evaluateCluster(config, reads, cluster, now).map(e => e.record),
  );
}
