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
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sandbox, startSandbox } from '../sandbox';
import { ClusterSpec, Scenario } from '../scenario/types';
import {
  credentialsFile,
  encodeCredentials,
  loadCredentials,
} from './inClusterConnect';

jest.setTimeout(30_000);

function scenario(operator: Partial<ClusterSpec['operator']>): Scenario {
  return {
    name: 'in-cluster-connect-test',
    connect: [
      {
        name: 'main',
        port: 0,
        tokens: [
          { name: 'operator', token: 'op-token-old', vaults: ['payments'] },
          { name: 'operator-new', token: 'op-token-new', vaults: ['payments'] },
          { name: 'admin', token: 'admin-token', vaults: '*', write: true },
        ],
        vaults: [
          {
            name: 'payments',
            items: [
              {
                title: 'payments-db',
                category: 'PASSWORD',
                fields: [{ label: 'password', value: 'pw-CANARY' }],
              },
            ],
          },
        ],
      },
    ],
    clusters: [
      {
        name: 'dev',
        port: 0,
        tokens: ['k8s-admin'],
        operator: {
          connectServer: 'main',
          connectToken: 'operator',
          pollingIntervalSeconds: 3600,
          ...operator,
        },
        namespaces: [
          {
            name: 'payments',
            onePasswordItems: [
              {
                name: 'payments-db',
                itemPath: 'vaults/payments/items/payments-db',
              },
            ],
          },
        ],
      },
    ],
  };
}

describe('an in-cluster Connect and the operator token', () => {
  let stateDir: string;
  let sandbox: Sandbox | undefined;

  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'in-cluster-connect-test-'));
  });
  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
    rmSync(stateDir, { recursive: true, force: true });
  });

  async function start(operator: Partial<ClusterSpec['operator']>) {
    sandbox = await startSandbox(scenario(operator), {
      anyPorts: true,
      stateDir,
    });
    await sandbox.cluster('dev').operator.idle();
    return sandbox.cluster('dev');
  }

  const ready = (cluster: ReturnType<Sandbox['cluster']>) =>
    cluster.api
      .get('onepassworditems.onepassword.com', 'payments', 'payments-db')
      ?.status?.conditions?.find((c: { type: string }) => c.type === 'Ready');

  async function reconcile(cluster: ReturnType<Sandbox['cluster']>) {
    await cluster.operator.reconcileNow();
    await cluster.operator.idle();
    return ready(cluster);
  }

  it('reads OP_SESSION as base64 of the credentials file: raw JSON fails on its first byte', () => {
    const json = credentialsFile('device-1');
    const twice = encodeCredentials(json, 'twice');
    const once = encodeCredentials(json, 'once');
    expect(
      loadCredentials(Buffer.from(twice, 'base64').toString('utf8')),
    ).toEqual({ deviceUuid: 'device-1' });
    expect(() =>
      loadCredentials(Buffer.from(once, 'base64').toString('utf8')),
    ).toThrow(
      'LoadLocalAuthV2 failed to credentialsDataFromBase64), Wrapped: (illegal base64 data at input byte 0)',
    );
  });

  it('serves the operator through Service onepassword-connect when the credentials are encoded twice', async () => {
    const cluster = await start({ inClusterConnect: {} });
    const operator = cluster.api.get(
      'deployments.apps',
      'onepassword',
      'onepassword-connect-operator',
    );
    const env = operator?.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({
      name: 'OP_CONNECT_HOST',
      value: 'http://onepassword-connect:8080',
    });
    expect(
      cluster.api.get('services', 'onepassword', 'onepassword-connect')?.spec
        .selector,
    ).toEqual({ app: 'onepassword-connect' });
    expect(cluster.connect?.state().kind).toBe('running');
    expect(ready(cluster)).toMatchObject({ status: 'True' });
    expect(
      cluster.api.get('secrets', 'payments', 'payments-db')?.metadata
        .annotations?.['operator.1password.io/item-version'],
    ).toBe('1');
  });

  it('crash-loops a Connect started from credentials encoded once, and the operator cannot connect', async () => {
    const cluster = await start({
      inClusterConnect: { credentialsEncoding: 'once' },
    });
    expect(cluster.connect?.state()).toMatchObject({
      kind: 'crash-loop',
      message: expect.stringContaining('illegal base64 data at input byte 0'),
    });
    const pods = cluster.api
      .list('pods', { namespace: 'onepassword' })
      .items.filter(p => p.metadata.name!.startsWith('onepassword-connect-'))
      .filter(
        p => !p.metadata.name!.startsWith('onepassword-connect-operator'),
      );
    expect(pods).toHaveLength(1);
    expect(pods[0].status.containerStatuses[0]).toMatchObject({
      restartCount: expect.any(Number),
      state: { waiting: { reason: 'CrashLoopBackOff' } },
    });
    expect(
      cluster.api.get('deployments.apps', 'onepassword', 'onepassword-connect')
        ?.status,
    ).toMatchObject({ unavailableReplicas: 1 });
    expect(ready(cluster)).toMatchObject({
      status: 'False',
      message: expect.stringMatching(/connect: connection refused/),
    });
  });

  it('keeps the old credentials after the Secret changes, failing the operator with 401, until the Deployment is rolled', async () => {
    const cluster = await start({ inClusterConnect: {} });
    const before = cluster.connect!.state();
    expect(before.kind).toBe('running');

    cluster.connect!.recreateServer();
    expect(cluster.connect!.state()).toEqual(before);
    expect(await reconcile(cluster)).toMatchObject({
      status: 'False',
      message: expect.stringContaining('status 401: Invalid token signature'),
    });

    await cluster.connect!.rollout();
    // Connect's rollout replaces its own pods, not the operator's.
    expect(
      cluster.api
        .list('pods', { namespace: 'onepassword' })
        .items.map(p =>
          p.metadata.name!.replace(/-[a-z0-9]{10}-[a-z0-9]{5}$/, ''),
        )
        .sort(),
    ).toEqual(['onepassword-connect', 'onepassword-connect-operator']);
    const after = cluster.connect!.state();
    expect(after.kind).toBe('running');
    expect(after).not.toEqual(before);
    expect(await reconcile(cluster)).toMatchObject({ status: 'True' });
  });

  it('runs the old operator token after its Secret is rotated, until the operator restarts', async () => {
    const cluster = await start({});
    const server = sandbox!.connectServer('main');
    cluster.operator.rotateConnectToken('op-token-new');
    server.tokens.revoke('operator');
    // The running operator still sends the revoked token.
    expect(await reconcile(cluster)).toMatchObject({
      status: 'False',
      message: expect.stringMatching(/status 401/),
    });

    await cluster.operator.restart();
    expect(await reconcile(cluster)).toMatchObject({ status: 'True' });
  });

  it('seeds a token Secret rewritten after the operator pod started', async () => {
    const cluster = await start({
      startedAt: new Date(Date.now() - 2 * 3600_000).toISOString(),
      rotatedToken: {
        token: 'operator-new',
        at: new Date(Date.now() - 600_000).toISOString(),
      },
    });
    const pod = cluster.api
      .list('pods', { namespace: 'onepassword' })
      .items.find(p =>
        p.metadata.name!.startsWith('onepassword-connect-operator-'),
      )!;
    const secret = cluster.api.get(
      'secrets',
      'onepassword',
      'onepassword-token',
    )!;
    const written = secret.metadata.managedFields
      ?.map((f: { time?: string }) => Date.parse(f.time ?? ''))
      .sort()
      .pop();
    expect(written).toBeGreaterThan(
      Date.parse(pod.metadata.creationTimestamp!),
    );
    expect(Buffer.from(secret.data.token, 'base64').toString('utf8')).toBe(
      'op-token-new',
    );
  });
});
