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

import { Entity } from '@backstage/catalog-model';
import {
  AuditRecord,
  AuditResponse,
  ClusterHealth,
  ConnectServerHealth,
  emptyStatusCounts,
  EntitySecretsResponse,
  SecretSyncRecord,
  StatusCounts,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { OnePasswordApi } from '../api';

/** The fixed "now" of component tests. */
export const NOW = new Date('2026-11-28T14:22:00Z');

export function minutesAgo(minutes: number): string {
  return new Date(NOW.getTime() - minutes * 60_000).toISOString();
}

export const annotatedEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'payments-api' },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

export const plainEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'website', namespace: 'default' },
  spec: { type: 'website', owner: 'team-web', lifecycle: 'production' },
};

export function secretRecord(
  overrides: Partial<SecretSyncRecord> = {},
): SecretSyncRecord {
  return {
    cluster: 'dev-eu',
    namespace: 'payments',
    secretName: 'payments-db',
    source: 'OnePasswordItem',
    itemPath: 'vaults/payments/items/payments-db',
    vaultId: 'v-payments',
    itemId: 'i-payments-db',
    vaultName: 'payments',
    itemTitle: 'payments-db',
    connectServer: 'main',
    status: 'in-sync',
    itemVersion: 2,
    secretVersion: 2,
    itemUpdatedAt: minutesAgo(60 * 24),
    syncedAt: minutesAgo(4),
    verifiedAt: minutesAgo(1),
    pollingIntervalSeconds: 600,
    nextPollBy: '2026-11-28T14:32:00Z',
    autoRestart: { enabled: false, source: 'operator' },
    lastRestartedAt: null,
    statusSince: minutesAgo(4),
    message: null,
    hint: null,
    ...overrides,
  };
}

export const mainServer: ConnectServerHealth = {
  name: 'main',
  url: 'http://localhost:8080',
  healthy: true,
  version: '1.7.1',
  dependencies: [],
  vaultCount: 5,
  lastRefreshAt: minutesAgo(1),
  lastSuccessAt: minutesAgo(1),
  error: null,
};

export const legacyServer: ConnectServerHealth = {
  ...mainServer,
  name: 'legacy',
  url: 'http://localhost:8081',
  healthy: false,
  vaultCount: null,
  lastSuccessAt: minutesAgo(180),
  error: 'Connect answered 500 Internal Server Error',
};

export const devEuCluster: ClusterHealth = {
  name: 'dev-eu',
  healthy: true,
  operator: {
    namespace: 'onepassword',
    deploymentName: 'onepassword-connect-operator',
    version: '1.12.0',
    pollingIntervalSeconds: 60,
    pollingIntervalFromOperator: true,
    autoRestart: false,
    watchNamespaces: ['payments', 'storefront', 'identity', 'default'],
    connectHost: 'http://localhost:8080',
    connectServer: 'main',
  },
  secretCount: 5,
  lastRefreshAt: minutesAgo(1),
  lastSuccessAt: minutesAgo(1),
  error: null,
};

export function countStatuses(records: SecretSyncRecord[]): StatusCounts {
  const counts = emptyStatusCounts();
  for (const record of records) {
    counts[record.status] += 1;
  }
  return counts;
}

export function entitySecretsResponse(
  items: SecretSyncRecord[],
): EntitySecretsResponse {
  return {
    entityRef: 'component:default/payments-api',
    asOf: minutesAgo(1),
    summary: { total: items.length, byStatus: countStatuses(items) },
    items,
    servers: [mainServer],
    clusters: [devEuCluster],
  };
}

export function auditRecord(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    ...secretRecord(),
    entityRef: 'component:default/payments-api',
    owner: 'group:default/team-payments',
    ...overrides,
  };
}

export function auditResponse(
  items: AuditRecord[],
  overrides: Partial<AuditResponse> = {},
): AuditResponse {
  return {
    items,
    total: items.length,
    byStatus: countStatuses(items),
    byCluster: [{ cluster: 'dev-eu', byStatus: countStatuses(items) }],
    owners: [
      ...new Set(items.flatMap(item => (item.owner ? [item.owner] : []))),
    ].sort(),
    nextCursor: null,
    ...overrides,
  };
}

/** An {@link OnePasswordApi} whose every method is a jest mock. */
export function mockOnePasswordApi(
  overrides: Partial<jest.Mocked<OnePasswordApi>> = {},
): jest.Mocked<OnePasswordApi> {
  return {
    getEntitySecrets: jest.fn(),
    getSecretHistory: jest.fn().mockResolvedValue({
      entityRef: 'component:default/payments-api',
      items: [],
      nextCursor: null,
    }),
    getAudit: jest.fn(),
    exportAuditCsv: jest.fn(),
    getServers: jest.fn().mockResolvedValue({ items: [mainServer] }),
    getClusters: jest.fn().mockResolvedValue({ items: [devEuCluster] }),
    refresh: jest.fn().mockResolvedValue({
      triggered: true,
      lastRefreshAt: minutesAgo(1),
    }),
    ...overrides,
  };
}
