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

import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterSpec } from '../scenario/types';
import { loadOrCreateCa } from './tls';
import { KubernetesCluster, startKubernetesCluster } from './index';

const READER = 'reader-token';
const SPEC = {
  name: 'faults',
  port: 0,
  tokens: ['admin-token', READER],
  operator: {
    connectServer: 'main',
    connectToken: 'operator',
    pollingIntervalSeconds: 60,
    autoRestart: false,
    running: false,
  },
  namespaces: [{ name: 'payments' }],
} as unknown as ClusterSpec;

/** A GET as `token`: the status, and the body once the response ends. */
function get(cluster: KubernetesCluster, path: string, token = READER) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    httpsRequest(
      `${cluster.url}${path}`,
      {
        ca: Buffer.from(cluster.caData, 'base64'),
        headers: { Authorization: `Bearer ${token}` },
      },
      response => {
        let body = '';
        response.on('data', chunk => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode!, body }),
        );
      },
    )
      .on('error', reject)
      .end();
  });
}

describe('the fault switches of a sandbox cluster', () => {
  let dir: string;
  let cluster: KubernetesCluster;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sandbox-fault-switches-'));
    cluster = await startKubernetesCluster({
      spec: SPEC,
      ca: loadOrCreateCa(dir),
      connect: { url: 'http://127.0.0.1:1', token: 'unused' },
    });
  });

  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const SECRETS = '/api/v1/namespaces/payments/secrets';

  it('answers 401 to a revoked token, as after its ServiceAccount is deleted, and serves it again when restored', async () => {
    cluster.faults.setTokenRevoked(READER, true);
    const refused = await get(cluster, SECRETS);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({
      kind: 'Status',
      reason: 'Unauthorized',
    });
    expect((await get(cluster, SECRETS, 'admin-token')).status).toBe(200);
    cluster.faults.setTokenRevoked(READER, false);
    expect((await get(cluster, SECRETS)).status).toBe(200);
  });

  it('applies an RBAC rule changed at run time, and drops it again', async () => {
    cluster.faults.setRbacRule(READER, { deny: ['secrets'] });
    const forbidden = await get(cluster, SECRETS);
    expect(forbidden.status).toBe(403);
    expect(JSON.parse(forbidden.body)).toMatchObject({ reason: 'Forbidden' });
    expect(
      (await get(cluster, '/api/v1/namespaces/payments/configmaps')).status,
    ).toBe(200);
    cluster.faults.setRbacRule(READER, undefined);
    expect((await get(cluster, SECRETS)).status).toBe(200);
  });

  it('answers a delayed list in full', async () => {
    cluster.faults.setListDelay(200);
    try {
      const slow = await get(cluster, SECRETS);
      expect(slow.status).toBe(200);
      expect(JSON.parse(slow.body)).toMatchObject({ kind: 'SecretList' });
    } finally {
      cluster.faults.setListDelay(0);
    }
  });

  it('ends open watches cleanly, as their timeout does', async () => {
    const watch = get(cluster, `${SECRETS}?watch=true`);
    // The watch is open once the server counts it.
    while (!cluster.stats().byVerb.watch) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    cluster.faults.endWatches();
    expect((await watch).status).toBe(200);
  });
});
