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
import { FAULT_SCENARIO, TOKENS } from './faultScenario';

jest.setTimeout(240_000);

/** Backstage's token on cluster 'dev', the one each fault is applied to. */
const DEV_TOKEN = 'k8s-reader-dev';
/** What a failing cluster may cost per refresh: the reads of one refresh, bounded. */
const MAX_REQUESTS_PER_REFRESH = 20;

type Fault = [
  name: string,
  breakIt: (sandbox: Sandbox) => void,
  fixIt: (sandbox: Sandbox) => void,
  /** The record's message names the cause. */
  message: RegExp,
  /** Open watches meet the fault when they reconnect. */
  watchMeets: boolean,
];

const faults: Fault[] = [
  [
    'an unreachable API server',
    s => s.cluster('dev').faults.setDown(true),
    s => s.cluster('dev').faults.setDown(false),
    /^Cluster 'dev' could not be reached/,
    false,
  ],
  [
    'a revoked token (401)',
    s => s.cluster('dev').faults.setTokenRevoked(DEV_TOKEN, true),
    s => s.cluster('dev').faults.setTokenRevoked(DEV_TOKEN, false),
    /^Cluster 'dev' could not be reached: .*401/,
    true,
  ],
  [
    'RBAC that no longer lets Backstage read Secrets (403)',
    s => s.cluster('dev').faults.setRbacRule(DEV_TOKEN, { deny: ['secrets'] }),
    s => s.cluster('dev').faults.setRbacRule(DEV_TOKEN, undefined),
    /^The Secrets of namespace 'payments' could not be listed: Forbidden/,
    true,
  ],
];

describe.each([
  ['read by lists on each refresh', false],
  ['kept current by watches', true],
])('Cluster faults, clusters %s', (_mode, clusterWatch) => {
  let stateDir: string;
  let sandbox: Sandbox;
  let backend: SandboxBackend;
  const logLines: string[] = [];
  /** Each fault's Secret version before and during it. */
  const secretVersions = new Map<string, [number | null, number | null]>();

  async function recordOf(cluster: string): Promise<SecretSyncRecord> {
    const response = await request(backend.server).get(
      '/api/onepassword/audit?limit=500',
    );
    expect(response.status).toBe(200);
    return (response.body as AuditResponse).items.find(
      r => r.cluster === cluster,
    )!;
  }

  async function waitForLine(pattern: RegExp) {
    for (let i = 0; i < 200; i++) {
      if (logLines.some(line => pattern.test(line))) return;
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    throw new Error(`No log line matched ${pattern}`);
  }

  beforeAll(async () => {
    requireVmModules();
    stateDir = mkdtempSync(join(tmpdir(), 'onepassword-cluster-faults-'));
    sandbox = await startSandbox(FAULT_SCENARIO, { anyPorts: true, stateDir });
    backend = await startSandboxBackend({
      sandbox,
      connectTokens: TOKENS,
      onePasswordConfig: {
        clusters: {
          dev: { connectServer: 'main' },
          prod: { connectServer: 'second' },
        },
      },
      clusterToken: cluster => `k8s-reader-${cluster}`,
      entities: [],
      logLines,
      clusterWatch,
      // Refreshes run when the test asks, never on a watched change.
      refreshOnClusterChange: false,
    });
    await backend.refresh();
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('starts in sync on both clusters', async () => {
    expect((await recordOf('dev')).status).toBe('in-sync');
    expect((await recordOf('prod')).status).toBe('in-sync');
  });

  it('waits for a slow list (3 s), or needs none, and keeps every record fresh, without a warning', async () => {
    const before = await recordOf('dev');
    sandbox.cluster('dev').faults.setListDelay(3_000);
    try {
      logLines.splice(0);
      sandbox.cluster('dev').resetStats();
      await backend.refresh();
      // Watched collections answer from their cache: no list to wait for.
      const lists = sandbox.cluster('dev').stats().byVerb.list ?? 0;
      expect(clusterWatch ? lists : lists > 0).toBe(clusterWatch ? 0 : true);
    } finally {
      sandbox.cluster('dev').faults.setListDelay(0);
    }
    const after = await recordOf('dev');
    expect(after.status).toBe('in-sync');
    expect(Date.parse(after.verifiedAt!)).toBeGreaterThan(
      Date.parse(before.verifiedAt!),
    );
    expect(logLines.filter(line => line.startsWith('warn '))).toEqual([]);
  });

  it.each(faults)(
    'survives %s on one cluster, and recovers on the next refresh',
    async (_name, breakIt, fixIt, message, watchMeets) => {
      const dev = sandbox.cluster('dev');
      const before = {
        dev: await recordOf('dev'),
        prod: await recordOf('prod'),
      };
      logLines.splice(0);
      breakIt(sandbox);
      try {
        if (clusterWatch && watchMeets) {
          // A real API server does not re-check open watches: they meet the
          // fault when they reconnect, as after their timeout.
          dev.faults.endWatches();
          await waitForLine(/warn Watching dev .*(failed|refused)/);
        }
        dev.resetStats();
        await backend.refresh();

        // The other cluster's records stay fresh.
        const other = await recordOf('prod');
        expect(other.status).toBe('in-sync');
        expect(Date.parse(other.verifiedAt!)).toBeGreaterThan(
          Date.parse(before.prod.verifiedAt!),
        );

        // The affected record keeps its last state, marked with the reason.
        const failing = await recordOf('dev');
        expect(failing).toMatchObject({
          status: 'unknown',
          itemVersion: before.dev.itemVersion,
          syncedAt: before.dev.syncedAt,
        });
        secretVersions.set(_name, [
          before.dev.secretVersion,
          failing.secretVersion,
        ]);
        expect(failing.message).toMatch(message);
        expect(failing.hint).toBeTruthy();

        // A warn line names the failing cluster (the whole cluster once, or
        // the collection it could not list), and none the healthy one.
        const warns = logLines.filter(line => line.startsWith('warn '));
        expect(
          warns.filter(line =>
            line.includes("Refresh could not read cluster 'dev'"),
          ),
        ).toHaveLength(failing.message!.startsWith("Cluster 'dev'") ? 1 : 0);
        expect(
          warns.some(line => /cluster 'dev'|Listing dev \//.test(line)),
        ).toBe(true);
        expect(warns.some(line => /'prod'|prod \//.test(line))).toBe(false);

        // No unbounded retries: a refresh costs a bounded number of requests.
        expect(dev.stats().total).toBeLessThanOrEqual(MAX_REQUESTS_PER_REFRESH);

        // statusSince is kept through the outage.
        await backend.refresh();
        const still = await recordOf('dev');
        expect(still.status).toBe('unknown');
        expect(still.statusSince).toBe(failing.statusSince);
      } finally {
        fixIt(sandbox);
      }
      await backend.refresh();
      expect((await recordOf('dev')).status).toBe('in-sync');
    },
  );

  it('keeps the last Secret version through an outage', () => {
    const kept = faults.filter(([name]) => !name.includes('(403)'));
    for (const [name] of kept) {
      const [last, during] = secretVersions.get(name)!;
      expect({ name, during }).toEqual({ name, during: last });
    }
  });

  // Found here: with Secrets forbidden the record was `unknown` and said
  // why, but dropped the version it last saw (the evaluation gets no Secret).
  it('keeps the last Secret version while Secrets are forbidden (403)', () => {
    const [last, during] = [...secretVersions.entries()].find(([name]) =>
      name.includes('(403)'),
    )![1];
    expect(during).toBe(last);
  });

  it('survives objects it cannot parse: the record explains, the other cluster stays fresh', async () => {
    // Valid for Kubernetes, nonsense for the operator's annotations.
    sandbox.cluster('dev').api.mergePatch(
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
    expect(odd.status).not.toBe('in-sync');
    expect(odd.message).toBeTruthy();
    expect(odd.hint).toBeTruthy();
    const other = await recordOf('prod');
    expect(other.status).toBe('in-sync');
    expect(Date.parse(other.verifiedAt!)).toBeGreaterThan(
      Date.parse(before.verifiedAt!),
    );
  });
});
