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

import { StoredSecretRecord } from '../database/SecretSyncStore';

/** A stored record with realistic defaults, for tests. */
export function makeRecord(
  overrides: Partial<StoredSecretRecord> = {},
): StoredSecretRecord {
  return {
    cluster: 'dev-eu',
    namespace: 'payments',
    secretName: 'payments-db',
    source: 'OnePasswordItem',
    itemPath: 'vaults/payments/items/payments-db',
    vaultId: 'aaaaaaaaaaaaaaaaaaaaaaaaaa',
    itemId: 'bbbbbbbbbbbbbbbbbbbbbbbbbb',
    vaultName: 'payments',
    itemTitle: 'payments-db',
    connectServer: 'main',
    status: 'in-sync',
    itemVersion: 3,
    secretVersion: 3,
    itemUpdatedAt: '2026-11-27T10:00:00.000Z',
    syncedAt: '2026-11-27T10:05:00.000Z',
    verifiedAt: '2026-11-28T10:00:00.000Z',
    pollingIntervalSeconds: 600,
    nextPollBy: '2026-11-28T10:10:00.000Z',
    autoRestart: { enabled: true, source: 'namespace' },
    lastRestartedAt: null,
    statusSince: '2026-11-27T10:05:00.000Z',
    message: null,
    hint: null,
    entityRef: 'component:default/payments-api',
    owner: 'group:default/payments',
    labels: { 'backstage.io/kubernetes-id': 'payments-api' },
    ...overrides,
  };
}
