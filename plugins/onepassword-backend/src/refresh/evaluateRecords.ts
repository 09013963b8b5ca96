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
import { resolveItem } from './resolveItem';
import { workloadConsumerFields } from './workloadConsumers';

/** What the store held before this refresh. */
export interface PreviousSnapshot {
  records: StoredSecretRecord[];
  recordsByKey: Map<string, StoredSecretRecord>;
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
): ItemLookup {
  const serviceAccount = operator?.authMethod === 'service-account';
  if (!serverName) {
    return {
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
    };
  }
  const secretPath = candidate.facts.secret?.itemPath ?? null;
  const path =
    candidate.facts.source === 'Deployment' && secretPath
      ? secretPath
      : candidate.facts.itemPath;
  const item = resolveItem(view, path, secretPath, lastSuccessAt);
  if (
    serviceAccount &&
    ((item.kind === 'not-found' && item.what === 'vault') ||
      item.kind === 'access-denied')
  ) {
    return {
      kind: 'no-server',
      message: `The operator in cluster '${cluster}' uses a 1Password service account, and Connect server '${serverName}' does not see the vault of ${candidate.facts.itemPath}: Backstage cannot tell whether this Secret is current.`,
    };
  }
  return item;
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
  const { views, clusters, claims, previous } = reads;
  const records: StoredSecretRecord[] = [];
  const link = (
    record: SecretSyncRecord,
    labels: Record<string, string>,
  ): StoredSecretRecord => {
    const before = previous.recordsByKey.get(recordKey(record));
    const claim = claims
      ? claims.claim({ namespace: record.namespace, labels })
      : before && { entityRef: before.entityRef!, owner: before.owner };
    return {
      ...record,
      labels,
      entityRef: claim?.entityRef ?? null,
      owner: claim?.owner ?? null,
    };
  };

  for (const cluster of clusters) {
    if (!cluster.ok) {
      const lastSuccessAt =
        previous.clusterHealth.get(cluster.name)?.lastSuccessAt ?? null;
      for (const before of previous.records.filter(
        r => r.cluster === cluster.name,
      )) {
        records.push(
          link(
            markUnknown(
              before,
              {
                what: `Cluster '${cluster.name}'`,
                message: cluster.error,
                lastSuccessAt,
                notReadable: cluster.notReadable,
              },
              now,
            ),
            before.labels,
          ),
        );
      }
      continue;
    }
    for (const candidate of cluster.candidates) {
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
      const item = lookupItem(
        cluster.name,
        served?.facts,
        serverName,
        view,
        candidate,
        lastSuccessAt,
      );
      if (item.kind === 'unavailable' && before) {
        records.push(
          link(
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
          ),
        );
        continue;
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
      records.push(
        link(
          {
            ...record,
            ...workloadConsumerFields(candidate, record, operator.autoRestart),
            connectHint: connectHintOf(served),
          },
          candidate.labels,
        ),
      );
    }
  }
  return records;
}
