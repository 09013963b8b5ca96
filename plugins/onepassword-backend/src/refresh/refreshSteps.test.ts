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

import { ConfigReader } from '@backstage/config';
import { readOnePasswordConfig } from '../config';
import { recordKey } from '@secret-sync/backstage-plugin-onepassword-common';
import { KubernetesProxyClient } from '../kubernetes/KubernetesProxyClient';
import { ClusterCollectionCache } from '../kubernetes/watch/ClusterCollectionCache';
import { makeRecord } from '../__testUtils__/records';
import { evaluateRecords, PreviousSnapshot } from './evaluateRecords';
import { readClusters } from './readClusters';
import { clusterHealthAfter, summarizeRecords } from './refreshHealth';

const config = readOnePasswordConfig(
  new ConfigReader({
    onepassword: {
      connect: {
        servers: [{ name: 'main', url: 'http://localhost:8080', token: 'x' }],
      },
    },
  }),
);

function previousOf(
  records: ReturnType<typeof makeRecord>[],
  lastSuccessAt = '2026-11-28T09:00:00.000Z',
): PreviousSnapshot {
  return {
    records,
    recordsByKey: new Map(records.map(r => [recordKey(r), r])),
    serverHealth: new Map(),
    clusterHealth: new Map(
      [...new Set(records.map(r => r.cluster))].map(name => [
        name,
        {
          name,
          healthy: true,
          operator: null,
          operators: [],
          readProblems: [],
          secretCount: 1,
          lastRefreshAt: lastSuccessAt,
          lastSuccessAt,
          error: null,
        },
      ]),
    ),
  };
}

describe('the refresh steps', () => {
  const now = new Date('2026-11-28T10:00:00.000Z');

  it('evaluate: a cluster that could not be read keeps its records, unknown, linked as before', () => {
    const kept = makeRecord({ cluster: 'dev-eu', secretName: 'a' });
    const other = makeRecord({ cluster: 'dev-us', secretName: 'b' });
    const records = evaluateRecords(
      config,
      {
        views: new Map(),
        clusters: [{ name: 'dev-eu', ok: false, error: 'connection refused' }],
        claims: undefined,
        previous: previousOf([kept, other]),
      },
      now,
    );
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      cluster: 'dev-eu',
      secretName: 'a',
      status: 'unknown',
      entityRef: kept.entityRef,
      owner: kept.owner,
    });
    expect(records[0].message).toContain('connection refused');
  });

  it('read clusters: a failed cluster list reports the known clusters as failed, with why', async () => {
    const sweep = jest.fn();
    const read = await readClusters(
      {
        config,
        kubernetes: {
          listClusterInfo: async () => {
            throw new Error('503 from the kubernetes plugin');
          },
        } as unknown as KubernetesProxyClient,
        collections: { sweep } as unknown as ClusterCollectionCache,
      },
      ['dev-eu', 'dev-us'],
    );
    expect(read.listError).toContain('503 from the kubernetes plugin');
    expect(read.clusters.map(c => [c.name, c.ok])).toEqual([
      ['dev-eu', false],
      ['dev-us', false],
    ]);
    // Watches are kept: the list failing says nothing about which clusters are gone.
    expect(sweep).not.toHaveBeenCalled();
  });

  it('read clusters: a cluster that needs a user token is not read, and named not readable', async () => {
    const sweep = jest.fn();
    const read = await readClusters(
      {
        config,
        kubernetes: {
          listClusterInfo: async () => [
            { name: 'gke-prod', authProvider: 'oidc' },
          ],
        } as unknown as KubernetesProxyClient,
        collections: { sweep } as unknown as ClusterCollectionCache,
      },
      [],
    );
    expect(read.listError).toBeUndefined();
    expect(read.clusters).toEqual([
      {
        name: 'gke-prod',
        ok: false,
        notReadable: true,
        error: expect.stringContaining("'oidc' auth provider"),
      },
    ]);
    expect(sweep).toHaveBeenCalledWith(['gke-prod']);
  });

  it('store: a cluster that could not be read keeps its last success and read problems', () => {
    const previous = previousOf([makeRecord({ cluster: 'dev-eu' })]);
    const [health] = clusterHealthAfter(
      [{ name: 'dev-eu', ok: false, error: 'timeout' }],
      [makeRecord({ cluster: 'dev-eu' })],
      previous,
      now.toISOString(),
    );
    expect(health).toMatchObject({
      name: 'dev-eu',
      healthy: false,
      secretCount: 1,
      lastSuccessAt: '2026-11-28T09:00:00.000Z',
      error: 'timeout',
    });
  });

  it('report: counts by status and the oldest stale age', () => {
    const summary = summarizeRecords(
      [
        makeRecord({ status: 'in-sync' }),
        makeRecord({
          status: 'stale',
          statusSince: '2026-11-28T09:00:00.000Z',
        }),
        makeRecord({
          status: 'stale',
          statusSince: '2026-11-28T09:30:00.000Z',
        }),
      ],
      now,
    );
    expect(summary.counts['in-sync']).toBe(1);
    expect(summary.counts.stale).toBe(2);
    expect(summary.oldestStaleSeconds).toBe(3600);
  });
});
