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
  emptyStatusCounts,
  StatusCounts,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { OnePasswordConfig } from '../config';
import { ServerView } from '../connect/ConnectSnapshotService';
import { StoredSecretRecord } from '../database/SecretSyncStore';
import { PreviousSnapshot } from './evaluateRecords';
import { ClusterRead, operatorSettings } from './readClusters';

/** Each configured Connect server's health after a refresh. */
export function serverHealthAfter(
  config: OnePasswordConfig,
  views: Map<string, ServerView>,
  records: StoredSecretRecord[],
  previous: PreviousSnapshot,
  at: string,
): ConnectServerHealth[] {
  return config.servers.map(server => {
    const view = views.get(server.name)!;
    const ok = view.state === 'ok';
    const cache = ok ? connectCacheState(view.health) : null;
    const behind = records.find(
      r => r.connectServer === server.name && r.connectBehind,
    );
    return {
      name: server.name,
      url: server.url,
      healthy: ok && view.health.healthy,
      version: view.health.version,
      dependencies: view.health.dependencies,
      vaultCount: ok ? view.vaults.length : null,
      lastRefreshAt: at,
      lastSuccessAt: ok
        ? at
        : previous.serverHealth.get(server.name)?.lastSuccessAt ?? null,
      error: view.error ?? view.health.error,
      syncState: cache?.lagging || behind ? 'lagging' : 'ok',
      syncReason:
        cache?.reason ??
        (behind
          ? `Secret ${behind.namespace}/${behind.secretName} in cluster '${behind.cluster}' carries item version ${behind.secretVersion}, newer than the version ${behind.itemVersion} this server lists`
          : null),
      vaultFailures: [...view.vaultFailures.entries()].map(
        ([vaultId, failure]) => ({ vaultId, ...failure }),
      ),
    };
  });
}

/**
 * Each cluster's health after a refresh. A cluster that could not be read
 * keeps the operators and read problems last seen.
 */
export function clusterHealthAfter(
  clusters: ClusterRead[],
  records: StoredSecretRecord[],
  previous: PreviousSnapshot,
  at: string,
): ClusterHealth[] {
  const secretCounts = new Map<string, number>();
  for (const r of records) {
    secretCounts.set(r.cluster, (secretCounts.get(r.cluster) ?? 0) + 1);
  }
  return clusters.map(cluster => {
    const before = previous.clusterHealth.get(cluster.name);
    const operators = cluster.ok
      ? cluster.operators.map(operatorSettings)
      : before?.operators ?? (before?.operator ? [before.operator] : []);
    return {
      name: cluster.name,
      healthy: cluster.ok,
      operator: operators[0] ?? null,
      operators,
      readProblems: cluster.ok ? cluster.problems : before?.readProblems ?? [],
      ...(cluster.ok && cluster.unwatched.length
        ? { unwatched: cluster.unwatched }
        : {}),
      secretCount: secretCounts.get(cluster.name) ?? 0,
      lastRefreshAt: at,
      lastSuccessAt: cluster.ok ? at : before?.lastSuccessAt ?? null,
      error: cluster.ok ? null : cluster.error,
    };
  });
}

/** Records by status, and how long the oldest stale one has been stale. */
export function summarizeRecords(
  records: StoredSecretRecord[],
  now: Date,
): { counts: StatusCounts; oldestStaleSeconds: number } {
  const counts = emptyStatusCounts();
  let oldestStaleSeconds = 0;
  for (const r of records) {
    counts[r.status]++;
    if (r.status === 'stale' && r.statusSince) {
      oldestStaleSeconds = Math.max(
        oldestStaleSeconds,
        (now.getTime() - Date.parse(r.statusSince)) / 1000,
      );
    }
  }
  return { counts, oldestStaleSeconds };
}
