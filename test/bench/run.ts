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
import type {
  AuditResponse,
  EntitySecretsResponse,
} from '@secret-sync/backstage-plugin-onepassword-common';
import {
  generateScenario,
  generatedServiceName,
  startSandbox,
} from '@internal/sandbox';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandboxBackend } from '../../plugins/onepassword-backend/src/__testUtils__/testBackend';
import { BenchDatabaseKind, openBenchDatabase } from './benchDatabase';
import { DirectTarget, replayDirectly } from './directReplay';
import { sampleAgainstBaseline, timed } from './measure';
import {
  Figure,
  formatTable,
  machineInfo,
  ratios,
  writeReport,
} from './report';
import { RequestRecorder } from './requestRecorder';

const USAGE = `Usage: yarn bench [options]

  --services N     catalog entities, one namespace and Deployment each (5000)
  --items N        1Password items, one synced Secret each (20000)
  --clusters N     clusters, each with its operator (50)
  --vaults N       vaults on the Connect server (100)
  --db KIND        sqlite (in memory) or postgres (sqlite)
  --postgres-url URL  server for --db postgres; a throw-away database is
                   created and dropped (postgresql://postgres@127.0.0.1:5432)
  --calls N        calls per read latency figure (100)
  --out DIR        where the JSON goes (test/artifacts/bench)`;

function readOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      services: { type: 'string', default: '5000' },
      items: { type: 'string', default: '20000' },
      clusters: { type: 'string', default: '50' },
      vaults: { type: 'string', default: '100' },
      db: { type: 'string', default: 'sqlite' },
      'postgres-url': {
        type: 'string',
        default: 'postgresql://postgres@127.0.0.1:5432',
      },
      calls: { type: 'string', default: '100' },
      out: { type: 'string', default: join(__dirname, '../artifacts/bench') },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const count = (
    name: 'services' | 'items' | 'clusters' | 'vaults' | 'calls',
  ) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `--${name} must be a positive whole number, got '${values[name]}'`,
      );
    }
    return value;
  };
  if (values.db !== 'sqlite' && values.db !== 'postgres') {
    throw new Error(`--db must be sqlite or postgres, got '${values.db}'`);
  }
  return {
    sizes: {
      services: count('services'),
      items: count('items'),
      clusters: count('clusters'),
      vaults: count('vaults'),
    },
    db: values.db as BenchDatabaseKind,
    postgresUrl: values['postgres-url']!,
    calls: count('calls'),
    out: values.out!,
  };
}

const started = performance.now();
function progress(message: string) {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(`[bench ${seconds}s] ${message}\n`);
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`Wrong count: ${message}`);
}

/** Where generated item number `index` lives (see generateScenario). */
function generatedItem(index: number, sizes: { vaults: number }) {
  const pad = (n: number) => String(n).padStart(5, '0');
  return {
    vault: `vault-${pad(index % sizes.vaults)}`,
    title: `item-${pad(index)}`,
  };
}

/** `count` item numbers spread evenly over items and vaults. */
function spreadItems(count: number, items: number): number[] {
  const segment = Math.floor(items / count);
  return Array.from({ length: count }, (_, k) => k * segment + (k % segment));
}

async function main() {
  const options = readOptions(process.argv.slice(2));
  const { sizes } = options;
  const stateDir = mkdtempSync(join(tmpdir(), 'onepassword-bench-'));
  const cleanups: Array<() => Promise<unknown> | unknown> = [
    () => rmSync(stateDir, { recursive: true, force: true }),
  ];
  try {
    progress(`generating ${JSON.stringify(sizes)}`);
    const scenario = generateScenario(sizes);
    const sandboxStart = await timed(() =>
      startSandbox(scenario, { anyPorts: true, stateDir }),
    );
    const sandbox = sandboxStart.value;
    cleanups.unshift(() => sandbox.stop());
    progress(`sandbox started in ${sandboxStart.ms.toFixed(0)} ms`);

    const connect = sandbox.connectServer('main');
    const backstageToken = scenario.connect[0].tokens.find(
      t => t.name === 'backstage',
    )!.token;
    const readerToken = (cluster: string) =>
      scenario.clusters.find(c => c.name === cluster)!.tokens[1];
    const targets: DirectTarget[] = [
      { name: 'main', url: connect.url, token: backstageToken },
      ...sandbox.clusters.map(c => ({
        name: c.name,
        url: c.url,
        token: readerToken(c.name),
        caData: c.caData,
      })),
    ];
    const recorder = RequestRecorder.start(targets);
    cleanups.unshift(() => recorder.stop());

    const database = await openBenchDatabase(options.db, options.postgresUrl);
    cleanups.unshift(() => database.dispose());
    const entities: Entity[] = Array.from(
      { length: sizes.services },
      (_, s) => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: generatedServiceName(s),
          namespace: 'default',
          annotations: {
            'backstage.io/kubernetes-id': generatedServiceName(s),
          },
        },
        spec: {
          type: 'service',
          lifecycle: 'production',
          owner: `team-${s % 50}`,
        },
      }),
    );
    const logLines: string[] = [];
    const backendStart = await timed(() =>
      startSandboxBackend({
        sandbox,
        connectTokens: { main: backstageToken },
        clusterToken: readerToken,
        entities,
        knex: database.knex,
        logLines,
      }),
    );
    const backend = backendStart.value;
    cleanups.unshift(() => backend.stop());
    const baseUrl = `http://127.0.0.1:${backend.server.port()}/api/onepassword`;
    progress(`backend started in ${backendStart.ms.toFixed(0)} ms`);

    async function get(path: string): Promise<Response> {
      const response = await fetch(`${baseUrl}${path}`);
      if (!response.ok) {
        throw new Error(
          `GET ${path} answered ${response.status}: ${await response.text()}`,
        );
      }
      return response;
    }
    const getJson = async <T>(path: string) =>
      (await (await get(path)).json()) as T;

    /** Every Secret stored and seen, none left unknown by a failed read. */
    async function checkSnapshot(): Promise<AuditResponse> {
      const audit = await getJson<AuditResponse>('/audit?limit=1');
      check(
        audit.total === sizes.items,
        `refresh stored ${audit.total} of ${sizes.items} Secrets`,
      );
      check(
        audit.byStatus.unknown === 0,
        `${audit.byStatus.unknown} Secrets unknown after a refresh`,
      );
      const clusters = await getJson<{ items: Array<{ healthy: boolean }> }>(
        '/clusters',
      );
      check(
        clusters.items.length === sizes.clusters &&
          clusters.items.every(c => c.healthy),
        `${clusters.items.filter(c => c.healthy).length} of ${
          sizes.clusters
        } clusters healthy`,
      );
      return audit;
    }

    async function pendingSecretNames(): Promise<Set<string>> {
      const names = new Set<string>();
      let cursor: string | null = '';
      while (cursor !== null) {
        const page: AuditResponse = await getJson<AuditResponse>(
          `/audit?status=pending&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
        );
        page.items.forEach(r => names.add(r.secretName));
        cursor = page.nextCursor;
      }
      return names;
    }

    const figures: Figure[] = [];
    const requestPaths: Record<string, Record<string, number>> = {};

    async function measureRefresh(name: string) {
      recorder.take();
      database.takeCounts();
      connect.resetStats();
      const { ms } = await timed(() => backend.refresh());
      const requests = recorder.take();
      const databaseCounts = database.takeCounts();
      const connectRequests = requests.filter(r => r.target === 'main');
      check(
        connect.stats().total === connectRequests.length,
        `Connect counted ${connect.stats().total} requests, the recorder ${
          connectRequests.length
        }`,
      );
      await checkSnapshot();
      const baselineMs = await replayDirectly(requests, targets);
      recorder.take();
      requestPaths[name] = {};
      for (const r of requests) {
        const key = `${r.target === 'main' ? 'connect' : 'cluster'} ${
          r.method
        } ${r.url
          .split('?')[0]
          .replace(/\/vaults\/[a-z0-9]{26}/, '/vaults/{id}')}`;
        requestPaths[name][key] = (requestPaths[name][key] ?? 0) + 1;
      }
      figures.push({
        name,
        measured: ms,
        baselineName: 'same GETs, direct',
        baseline: baselineMs,
        requests: {
          connect: connectRequests.length,
          kubernetes: requests.length - connectRequests.length,
        },
        database: databaseCounts,
      });
      progress(
        `${name}: ${ms.toFixed(0)} ms (bare I/O ${baselineMs.toFixed(0)} ms)`,
      );
    }

    await measureRefresh('refresh: cold');
    await measureRefresh('refresh: nothing changed');

    const one = generatedItem(1, sizes);
    connect.store.updateItem(one.vault, one.title, {
      fields: { password: 'bench-1' },
    });
    await measureRefresh('refresh: 1 item changed');
    check(
      (await pendingSecretNames()).has(one.title),
      `${one.title} changed but is not pending`,
    );

    const changed = spreadItems(
      Math.max(1, Math.round(sizes.items / 100)),
      sizes.items,
    );
    for (const index of changed) {
      const item = generatedItem(index, sizes);
      connect.store.updateItem(item.vault, item.title, {
        fields: { password: `bench-${index}` },
      });
    }
    await measureRefresh(`refresh: ${changed.length} items (1%) changed`);
    const pending = await pendingSecretNames();
    const notPending = changed.filter(
      i => !pending.has(generatedItem(i, sizes).title),
    );
    check(
      notPending.length === 0,
      `${notPending.length} changed items are not pending`,
    );

    const servers = () => get('/servers').then(r => r.arrayBuffer());
    async function measureRead(
      name: string,
      calls: number,
      path: (i: number) => string,
      verify: (body: string, index: number) => void,
    ) {
      // Bodies are checked after timing, so checking costs nothing measured.
      const bodies: string[] = [];
      const result = await sampleAgainstBaseline(
        calls,
        async i => {
          bodies[i] = await (await get(path(i))).text();
        },
        servers,
      );
      bodies.forEach(verify);
      figures.push({
        name,
        measured: result.measured,
        baselineName: 'GET /servers',
        baseline: result.baseline,
      });
      progress(
        `${name}: p50 ${result.measured.p50.toFixed(
          1,
        )} ms (GET /servers ${result.baseline.p50.toFixed(1)} ms)`,
      );
    }

    const secretsPerService = (s: number) =>
      Math.floor(sizes.items / sizes.services) +
      (s < sizes.items % sizes.services ? 1 : 0);
    const serviceOfCall = (i: number) => (i * 7919) % sizes.services;
    await measureRead(
      'GET /entities/:ref/secrets',
      options.calls,
      i =>
        `/entities/default/component/${generatedServiceName(
          serviceOfCall(i),
        )}/secrets`,
      (body, i) => {
        const served = (JSON.parse(body) as EntitySecretsResponse).items.length;
        const expected = secretsPerService(serviceOfCall(i));
        check(
          served === expected,
          `entity served ${served} of ${expected} Secrets`,
        );
      },
    );

    const pageOf = (body: string) => JSON.parse(body) as AuditResponse;
    await measureRead(
      'GET /audit first page',
      options.calls,
      () => '/audit',
      body =>
        check(
          pageOf(body).items.length === Math.min(50, sizes.items),
          'first audit page not full',
        ),
    );
    const filterCluster = `cluster-${String(
      Math.floor(sizes.clusters / 2),
    ).padStart(5, '0')}`;
    await measureRead(
      'GET /audit filtered page',
      options.calls,
      () =>
        `/audit?status=stale,pending&cluster=${filterCluster}&q=item&sort=-itemUpdatedAt`,
      body => check(pageOf(body).total > 0, 'filtered audit page is empty'),
    );
    let cursor: string | null = null;
    let pages = 0;
    for (let next: string | null = ''; next !== null; pages++) {
      cursor = next;
      next = (
        await getJson<AuditResponse>(
          `/audit?limit=500${next ? `&cursor=${next}` : ''}`,
        )
      ).nextCursor;
    }
    check(
      pages === Math.ceil(sizes.items / 500),
      `walked ${pages} audit pages of 500`,
    );
    await measureRead(
      'GET /audit deep cursor page',
      options.calls,
      () => `/audit?cursor=${cursor}`,
      body => check(pageOf(body).items.length > 0, 'deep audit page is empty'),
    );
    await measureRead(
      'GET /audit?format=csv',
      Math.max(3, Math.round(options.calls / 20)),
      () => '/audit?format=csv',
      body =>
        check(
          body.trimEnd().split('\r\n').length === sizes.items + 1,
          'CSV rows differ from Secrets',
        ),
    );

    const table = formatTable(figures);
    process.stdout.write(`\n${table}\n\n`);
    const file = writeReport(options.out, {
      startedAt: new Date(
        Date.now() - (performance.now() - started),
      ).toISOString(),
      sizes,
      database: options.db,
      machine: machineInfo(),
      setup: {
        sandboxStartMs: sandboxStart.ms,
        backendStartMs: backendStart.ms,
      },
      figures: figures.map(f => ({ ...f, ratio: ratios(f) })),
      requestsByRefresh: requestPaths,
      warnings: logLines.filter(
        l => /^(warn|error) /.test(l) && l.includes('"plugin":"onepassword"'),
      ),
      totalSeconds: (performance.now() - started) / 1000,
    });
    progress(`wrote ${file}`);
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
