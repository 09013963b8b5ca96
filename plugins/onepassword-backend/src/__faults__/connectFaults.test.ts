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
  AuditResponse,
  SecretSyncRecord,
  ServersResponse,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { Sandbox, startSandbox } from '@internal/sandbox';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import {
  requireVmModules,
  SandboxBackend,
  startSandboxBackend,
} from '../__testUtils__/testBackend';
import { FaultProxy } from './FaultProxy';
import { FAULT_SCENARIO, TOKENS } from './faultScenario';

jest.setTimeout(180_000);

/** An age written into a message at refresh time, which would be wrong when read later. */
const BAKED_AGE =
  /\b\d+\s*(s|sec|seconds?|m|min|minutes?|h|hours?|d|days?)\s+ago\b/i;

describe('Connect faults (sandbox and backend over HTTP)', () => {
  let stateDir: string;
  let sandbox: Sandbox;
  let proxy: FaultProxy;
  let backend: SandboxBackend;
  const logLines: string[] = [];
  /** Every line of the run: logLines is emptied per fault. */
  const runLines: string[] = [];

  async function get<T>(path: string): Promise<T> {
    const response = await request(backend.server).get(
      `/api/onepassword${path}`,
    );
    expect(response.status).toBe(200);
    return response.body as T;
  }
  async function recordOf(cluster: string): Promise<SecretSyncRecord> {
    const audit = await get<AuditResponse>('/audit?limit=500');
    return audit.items.find(r => r.cluster === cluster)!;
  }
  async function serverHealth(name: string) {
    const { items } = await get<ServersResponse>('/servers');
    return items.find(s => s.name === name)!;
  }

  beforeAll(async () => {
    requireVmModules();
    stateDir = mkdtempSync(join(tmpdir(), 'onepassword-faults-'));
    sandbox = await startSandbox(FAULT_SCENARIO, { anyPorts: true, stateDir });
    proxy = await FaultProxy.start(sandbox.connectServer('main').url);
    backend = await startSandboxBackend({
      sandbox,
      connectTokens: TOKENS,
      connectUrls: { main: proxy.url },
      onePasswordConfig: {
        clusters: {
          dev: { connectServer: 'main' },
          prod: { connectServer: 'second' },
        },
      },
      clusterToken: cluster => `k8s-reader-${cluster}`,
      entities: [],
      logLines,
    });
    await backend.refresh();
  });

  afterAll(async () => {
    await backend?.stop();
    await proxy?.stop();
    await sandbox?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('starts in sync on both servers', async () => {
    expect((await recordOf('dev')).status).toBe('in-sync');
    expect((await recordOf('prod')).status).toBe('in-sync');
  });

  const main = () => sandbox.connectServer('main');
  type Fault = [
    name: string,
    expected: 'unknown' | 'access-denied',
    breakIt: () => Promise<void> | void,
    fixIt: () => Promise<void> | void,
  ];
  const faults: Fault[] = [
    [
      '500s',
      'unknown',
      () => main().faults.set({ error500: true }),
      () => main().faults.clear(),
    ],
    [
      'timeouts',
      'unknown',
      () => main().faults.set({ delayMs: 20_000 }),
      () => main().faults.clear(),
    ],
    [
      'refused connections',
      'unknown',
      () => proxy.pause(),
      () => proxy.resume(),
    ],
    [
      'a connection closed without an answer',
      'unknown',
      () => main().faults.set({ refuse: true }),
      () => main().faults.clear(),
    ],
    [
      'a revoked token',
      'access-denied',
      () => main().tokens.revoke('backstage'),
      () => main().tokens.restore('backstage'),
    ],
    [
      'a token narrowed to fewer vaults',
      'access-denied',
      () => main().tokens.setVaults('backstage', []),
      () => main().tokens.setVaults('backstage', ['payments']),
    ],
    [
      'non-JSON bodies',
      'unknown',
      () => {
        proxy.mode = 'non-json';
      },
      () => {
        proxy.mode = 'pass';
      },
    ],
    [
      'truncated bodies',
      'unknown',
      () => {
        proxy.mode = 'truncated';
      },
      () => {
        proxy.mode = 'pass';
      },
    ],
  ];
  /** The message of each fault's record, for the test of baked-in ages. */
  const messages: string[] = [];

  it.each(faults)(
    'survives %s on one server (%s), and recovers when it comes back',
    async (name, expected, breakIt, fixIt) => {
      const before = {
        dev: await recordOf('dev'),
        prod: await recordOf('prod'),
      };
      await breakIt();
      try {
        runLines.push(...logLines.splice(0));
        proxy.requests = 0;
        await backend.refresh();
        const failing = await recordOf('dev');

        // The other server's records stay fresh.
        const other = await recordOf('prod');
        expect(other.status).toBe('in-sync');
        expect(Date.parse(other.verifiedAt!)).toBeGreaterThan(
          Date.parse(before.prod.verifiedAt!),
        );
        expect((await serverHealth('second')).healthy).toBe(true);

        // The affected record keeps its last state, marked with the reason.
        expect({ status: failing.status, message: failing.message }).toEqual({
          status: expected,
          message: expect.any(String),
        });
        expect(failing).toMatchObject({
          secretVersion: before.dev.secretVersion,
          syncedAt: before.dev.syncedAt,
        });
        // An outage keeps the last item version and marks the server down; a
        // token problem is the vault's (access-denied), the server may be up.
        const mainHealthy = (await serverHealth('main')).healthy;
        expect({ itemVersion: failing.itemVersion, mainHealthy }).toEqual(
          expected === 'unknown'
            ? { itemVersion: before.dev.itemVersion, mainHealthy: false }
            : { itemVersion: failing.itemVersion, mainHealthy },
        );
        expect(failing.message).toBeTruthy();
        expect(failing.hint).toBeTruthy();
        messages.push(failing.message!);

        // A warn line names the failing server, and only it.
        const warns = logLines.filter(line => line.startsWith('warn '));
        expect(warns.some(line => line.includes("Connect server 'main'"))).toBe(
          // A narrowed token leaves the server working: the record says why.
          name !== 'a token narrowed to fewer vaults',
        );
        expect(
          warns.some(line => line.includes("Connect server 'second'")),
        ).toBe(false);
        // No unbounded retries: a handful of requests per refresh.
        expect(proxy.requests).toBeLessThanOrEqual(10);

        // statusSince is kept through the outage, not reset by each refresh
        // (not repeated for timeouts: each failing refresh waits 30 s).
        if (name !== 'timeouts') await backend.refresh();
        const still = await recordOf('dev');
        expect(still.status).toBe(failing.status);
        expect(still.statusSince).toBe(failing.statusSince);
      } finally {
        await fixIt();
      }
      await backend.refresh();
      expect((await recordOf('dev')).status).toBe('in-sync');
      expect((await serverHealth('main')).healthy).toBe(true);
    },
  );

  it('survives cluster objects it cannot parse: the other cluster stays fresh', async () => {
    const dev = sandbox.cluster('dev').api;
    // Valid for Kubernetes, nonsense for the operator's annotations.
    dev.mergePatch(
      'secrets',
      'payments',
      'payments-db',
      {
        metadata: {
          annotations: {
            'operator.1password.io/item-version': 'seven',
            'operator.1password.io/item-path': '//\u0000//',
            'operator.1password.io/auto-restart': 'maybe',
          },
        },
      },
      { manager: 'kubectl-edit' },
    );
    const before = await recordOf('prod');
    await backend.refresh();
    const odd = await recordOf('dev');
    expect(odd.message).toBeTruthy();
    expect(odd.hint).toBeTruthy();
    const other = await recordOf('prod');
    expect(other.status).toBe('in-sync');
    expect(Date.parse(other.verifiedAt!)).toBeGreaterThan(
      Date.parse(before.verifiedAt!),
    );
  });

  it('computes ages when read, never bakes one into a message', () => {
    expect(messages).toHaveLength(faults.length);
    for (const message of messages) expect(message).not.toMatch(BAKED_AGE);
  });

  it('never logs a Connect token, even in the errors of failed requests', () => {
    const all = [...runLines, ...logLines].join('\n');
    expect(all).toContain("Connect server 'main'");
    for (const token of Object.values(TOKENS)) expect(all).not.toContain(token);
  });
});
