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
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BackendCpu, BackendMemory, BackendProcess } from './backendProcess';
import { BenchDatabaseKind } from './benchDatabase';
import { DirectTarget, replayDirectly } from './directReplay';
import { OnDemandReader, perItemPollingRequestsPerHour } from './baselines';
import {
  Latency,
  sampleAgainstBaseline,
  sampleConcurrently,
  sampleHttpConcurrently,
  timed,
} from './measure';
import { MemoryParts, MemorySampler, rssMiB } from './memory';
import {
  Comparison,
  Figure,
  formatComparisons,
  formatTable,
  machineInfo,
  ratios,
  writeReport,
} from './report';
import { RequestRecorder } from './requestRecorder';

const FULL = { services: 5000, items: 20000, clusters: 50, vaults: 100 };
const QUICK = { services: 500, items: 2000, clusters: 5, vaults: 10 };

/** The plugin's default refresh period (onepassword.refresh.frequency). */
const REFRESH_PERIOD_SECONDS = 60;
/** The generated operators' POLLING_INTERVAL, as the operator's default. */
const OPERATOR_POLLING_SECONDS = 600;
/** Nothing-changed refreshes in a row, for memory growth. */
const REPEATED_REFRESHES = 10;
const CONCURRENT_CLIENTS = 50;

const USAGE = `Usage: yarn bench [options]

  --quick          a tenth of the design scale (500 services, 2000 items,
                   5 clusters, 10 vaults, 50 calls), in under 2 minutes
  --services N     catalog entities, one namespace and Deployment each (5000)
  --items N        1Password items, one synced Secret each (20000)
  --clusters N     clusters, each with its operator (50)
  --vaults N       vaults on the Connect server (100)
  --db KIND        sqlite (in memory) or postgres (sqlite)
  --postgres-url URL  server for --db postgres; a throw-away database is
                   created and dropped (postgresql://postgres@127.0.0.1:5432)
  --calls N        calls per read latency figure (100)
  --malloc-arena-max N  run the backend with glibc's MALLOC_ARENA_MAX=N (a
                   deployment setting; unset: glibc's default, 8 per core)
  --out DIR        where the JSON goes (test/artifacts/bench)`;

function readOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      services: { type: 'string' },
      items: { type: 'string' },
      clusters: { type: 'string' },
      vaults: { type: 'string' },
      db: { type: 'string', default: 'sqlite' },
      'postgres-url': {
        type: 'string',
        default: 'postgresql://postgres@127.0.0.1:5432',
      },
      calls: { type: 'string' },
      'malloc-arena-max': { type: 'string' },
      out: { type: 'string', default: join(__dirname, '../artifacts/bench') },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const defaults = {
    ...(values.quick ? QUICK : FULL),
    calls: values.quick ? 50 : 100,
  };
  const positiveWholeNumber = (name: string, given: string | number) => {
    const value = Number(given);
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `--${name} must be a positive whole number, got '${given}'`,
      );
    }
    return value;
  };
  const count = (
    name: 'services' | 'items' | 'clusters' | 'vaults' | 'calls',
  ) => positiveWholeNumber(name, values[name] ?? defaults[name]);
  if (values.db !== 'sqlite' && values.db !== 'postgres') {
    throw new Error(`--db must be sqlite or postgres, got '${values.db}'`);
  }
  return {
    quick: values.quick!,
    sizes: {
      services: count('services'),
      items: count('items'),
      clusters: count('clusters'),
      vaults: count('vaults'),
    },
    db: values.db as BenchDatabaseKind,
    postgresUrl: values['postgres-url']!,
    calls: count('calls'),
    mallocArenaMax:
      values['malloc-arena-max'] === undefined
        ? undefined
        : positiveWholeNumber('malloc-arena-max', values['malloc-arena-max']),
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
  const memory = MemorySampler.start();
  const loadAtStart = Number(loadavg()[0].toFixed(1));
  const cleanups: Array<() => Promise<unknown> | unknown> = [
    () => rmSync(stateDir, { recursive: true, force: true }),
    () => memory.stop(),
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
    const sandboxRssMiB = rssMiB();
    memory.takePeakMiB();

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

    const backendStart = await timed(() =>
      BackendProcess.start(
        {
          connect: { name: 'main', url: connect.url, token: backstageToken },
          clusters: sandbox.clusters.map(c => ({
            name: c.name,
            url: c.url,
            caData: c.caData,
            token: readerToken(c.name),
          })),
          services: sizes.services,
          db: options.db,
          postgresUrl: options.postgresUrl,
        },
        { mallocArenaMax: options.mallocArenaMax },
      ),
    );
    const { backend, port } = backendStart.value;
    let warnings: string[] | undefined;
    const stopBackend = async () => {
      warnings ??= await backend.stop();
      return warnings;
    };
    cleanups.unshift(stopBackend);
    /** The backend's peak RSS phase by phase, and where it was at each peak. */
    const memoryByPhase: Array<{
      phase: string;
      peakMiB: number;
      atPeakMiB: MemoryParts;
      settledMiB: MemoryParts;
      byMappingMiB: BackendMemory['byMappingMiB'];
    }> = [];
    async function endPhase(phase: string) {
      const m = await backend.memory(true, phase);
      memoryByPhase.push({
        phase,
        peakMiB: m.peakMiB,
        atPeakMiB: m.atPeakMiB,
        settledMiB: m.settledMiB,
        byMappingMiB: m.byMappingMiB,
      });
      const at = m.atPeakMiB;
      progress(
        `memory, ${phase}: peak RSS ${m.peakMiB.toFixed(
          0,
        )} MiB (V8 heap ${at.heapTotal.toFixed(
          0,
        )} committed, ${at.heapPhysical.toFixed(
          0,
        )} resident, ${at.heapUsed.toFixed(
          0,
        )} used, V8's malloc ${at.v8Malloced.toFixed(
          0,
        )}; external ${at.external.toFixed(
          0,
        )}, of it ArrayBuffers ${at.arrayBuffers.toFixed(
          0,
        )}); after a full GC RSS ${m.settledMiB.rss.toFixed(
          0,
        )}, heap ${m.settledMiB.heapTotal.toFixed(0)} committed${
          m.byMappingMiB
            ? `; resident in files ${m.byMappingMiB.file.toFixed(
                0,
              )}, brk heap ${m.byMappingMiB.brkHeap.toFixed(
                0,
              )}, anonymous ${m.byMappingMiB.anonymous.toFixed(
                0,
              )} (largest ${m.byMappingMiB.largestAnonymous
                .map(a => `${a.rssMiB.toFixed(0)}/${a.sizeMiB.toFixed(0)}`)
                .join(' ')})`
            : ''
        }`,
      );
      return m;
    }
    const backendIdle = await endPhase('started');
    const baseUrl = `http://127.0.0.1:${port}/api/onepassword`;
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
      connect.resetStats();
      const { ms, database: databaseCounts } = await backend.refresh();
      const requests = recorder.take();
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
      await endPhase(name);
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

    const comparisons: Comparison[] = [];
    const nothingChanged = figures.find(
      f => f.name === 'refresh: nothing changed',
    )!;
    const onePercent = figures[figures.length - 1];
    const pollingPerHour = perItemPollingRequestsPerHour(
      sizes.items,
      OPERATOR_POLLING_SECONDS,
    );
    const refreshesPerHour = 3600 / REFRESH_PERIOD_SECONDS;
    comparisons.push(
      {
        name: 'Connect requests per hour, nothing changed',
        measured: nothingChanged.requests!.connect * refreshesPerHour,
        unit: 'req/h',
        baselineName: `per-item polling every ${OPERATOR_POLLING_SECONDS}s`,
        baseline: pollingPerHour,
        note: `a refresh every ${REFRESH_PERIOD_SECONDS}s; one GET per item per cycle`,
      },
      {
        name: 'Connect requests per hour, 1% changed every refresh',
        measured: onePercent.requests!.connect * refreshesPerHour,
        unit: 'req/h',
        baselineName: `per-item polling every ${OPERATOR_POLLING_SECONDS}s`,
        baseline: pollingPerHour,
      },
    );

    // Memory over repeated refreshes: a leak shows as growth of the settled heap.
    const repeated: Array<{ ms: number; heapMiB: number; rssMiB: number }> = [];
    for (let i = 0; i < REPEATED_REFRESHES; i++) {
      const { ms } = await backend.refresh();
      const after = await backend.memory();
      repeated.push({
        ms,
        heapMiB: after.settledHeapMiB,
        rssMiB: after.rssMiB,
      });
    }
    progress(
      `${REPEATED_REFRESHES} more refreshes: ${repeated
        .map(r => r.ms.toFixed(0))
        .join(', ')} ms; heap ${repeated[0].heapMiB.toFixed(0)} -> ${repeated[
        repeated.length - 1
      ].heapMiB.toFixed(0)} MiB`,
    );
    await checkSnapshot();
    await endPhase(`${REPEATED_REFRESHES} more refreshes`);

    const onDemand = OnDemandReader.create(
      targets[0],
      targets.filter(t => t.caData),
    );
    cleanups.unshift(() => onDemand.close());
    const entityPath = (s: number) =>
      `/entities/default/component/${generatedServiceName(s)}/secrets`;

    // Detection: an item changed in Connect, then its Secret synced by the
    // operator, each until the entity endpoint shows it. The refresh is
    // started right after the change; a scheduled one starts up to one
    // refresh period later.
    // Item 1 (changed above, pending) lives in cluster 1: not the one the
    // filtered audit figure reads, whose pending records must stay pending.
    const watched = generatedItem(1, sizes);
    const watchedService = 1 % sizes.services;
    const watchedRecord = async () =>
      (
        await getJson<EntitySecretsResponse>(entityPath(watchedService))
      ).items.find(r => r.secretName === watched.title)!;
    const before = await watchedRecord();
    const itemChangedAt = performance.now();
    connect.store.updateItem(watched.vault, watched.title, {
      fields: { password: 'bench-detect' },
    });
    await backend.refresh();
    const pendingRecord = await watchedRecord();
    const itemDetectionMs = performance.now() - itemChangedAt;
    check(
      pendingRecord.status === 'pending' &&
        pendingRecord.itemVersion === (before.itemVersion ?? 0) + 1,
      `changed item ${watched.title} shows ${pendingRecord.status} v${pendingRecord.itemVersion}`,
    );
    const cluster = sandbox.cluster(before.cluster);
    await cluster.operator.pollNow();
    await cluster.operator.idle();
    const secretChangedAt = performance.now();
    await backend.refresh();
    const syncedRecord = await watchedRecord();
    const secretDetectionMs = performance.now() - secretChangedAt;
    check(
      syncedRecord.status === 'in-sync' &&
        syncedRecord.secretVersion === pendingRecord.itemVersion,
      `synced Secret ${watched.title} shows ${syncedRecord.status} v${syncedRecord.secretVersion}`,
    );
    const onDemandOnce = await timed(() =>
      onDemand.readEntity(generatedServiceName(watchedService)),
    );
    comparisons.push(
      {
        name: 'detection: item changed in Connect -> API',
        measured: itemDetectionMs,
        unit: 'ms',
        baselineName: 'on-demand read at page open',
        baseline: onDemandOnce.ms,
        note: `refresh started at the change; add up to ${REFRESH_PERIOD_SECONDS}s for the scheduled refresh`,
      },
      {
        name: 'detection: Secret changed in a cluster -> API',
        measured: secretDetectionMs,
        unit: 'ms',
        baselineName: 'on-demand read at page open',
        baseline: onDemandOnce.ms,
        note: `refresh started at the change; add up to ${REFRESH_PERIOD_SECONDS}s for the scheduled refresh`,
      },
    );
    progress(
      `detection: item ${itemDetectionMs.toFixed(
        0,
      )} ms, Secret ${secretDetectionMs.toFixed(
        0,
      )} ms (on-demand read ${onDemandOnce.ms.toFixed(0)} ms, ${
        onDemandOnce.value.requests
      } requests)`,
    );

    await endPhase('detection');

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

    /**
     * Concurrent GETs from the load worker, with what the backend process
     * itself spent on the timed calls: its CPU time and SQL statements per
     * call and how busy its loop was.
     */
    async function sampleBackendConcurrently(
      urls: string[],
      clients: number,
      warmUpUrls?: string[],
    ) {
      const cpu: BackendCpu[] = [];
      const sampled = await sampleHttpConcurrently(urls, clients, {
        warmUpUrls,
        around: async () => {
          cpu.push(await backend.cpu());
        },
      });
      const [before, after] = cpu;
      const active = after.loopActiveMs - before.loopActiveMs;
      const idle = after.loopIdleMs - before.loopIdleMs;
      sampled.latency.backend = {
        cpuMsPerCall: (after.cpuMs - before.cpuMs) / urls.length,
        utilization: active / (active + idle),
        sqlStatementsPerCall:
          (after.sqlStatements - before.sqlStatements) / urls.length,
      };
      return sampled;
    }
    const describeLoad = (latency: Latency) =>
      `backend ${latency.backend!.cpuMsPerCall.toFixed(
        2,
      )} ms CPU and ${latency.backend!.sqlStatementsPerCall.toFixed(
        2,
      )} SQL statements a call, loop ${(
        latency.backend!.utilization * 100
      ).toFixed(0)}% busy; client loop ${(
        latency.clientUtilization! * 100
      ).toFixed(0)}% busy`;

    // The plugin keeps each entity's answer for the rest of a refresh, so
    // each phase reads entities no earlier phase (nor its warm-up) read: the
    // figures are of an entity's first read after a refresh, as long as the
    // 7 x calls + 51 entities read fit in the scenario's.
    let nextCall = options.calls;
    const entityUrls = (count: number) => {
      const first = nextCall;
      nextCall += count;
      return Array.from({ length: count }, (_, i) => ({
        service: serviceOfCall(first + i),
        url: `${baseUrl}${entityPath(serviceOfCall(first + i))}`,
      }));
    };
    for (const clients of [1, CONCURRENT_CLIENTS]) {
      const calls = clients === 1 ? options.calls : options.calls * 5;
      const timed = entityUrls(calls);
      const warmUp = entityUrls(Math.min(clients, calls));
      const sampled = await sampleBackendConcurrently(
        timed.map(c => c.url),
        clients,
        warmUp.map(c => c.url),
      );
      const ours = sampled.latency;
      const served: Array<[number, number]> = sampled.itemCounts.map((n, i) => [
        timed[i].service,
        n ?? -1,
      ]);
      const read: Array<[number, number]> = [];
      const baseline = await sampleConcurrently(
        clients === 1
          ? Math.max(5, Math.round(options.calls / 5))
          : clients * 2,
        clients,
        async i => {
          const s = serviceOfCall(i);
          read.push([
            s,
            (await onDemand.readEntity(generatedServiceName(s))).items,
          ]);
        },
      );
      for (const [s, n] of [...served, ...read]) {
        check(
          n === secretsPerService(s),
          `entity read found ${n} of ${secretsPerService(s)} Secrets`,
        );
      }
      figures.push({
        name: `GET /entities/:ref/secrets (${clients} concurrent)`,
        measured: ours,
        baselineName: `on-demand (${clients} concurrent)`,
        baseline,
      });
      comparisons.push(
        {
          name: `entity reads per second (${clients} concurrent)`,
          measured: ours.throughput!,
          unit: 'req/s',
          baselineName: `on-demand (${clients} concurrent)`,
          baseline: baseline.throughput!,
        },
        {
          name: `entity read p99 (${clients} concurrent)`,
          measured: ours.p99,
          unit: 'ms',
          baselineName: `on-demand (${clients} concurrent)`,
          baseline: baseline.p99,
        },
      );
      progress(
        `entity reads, ${clients} concurrent: ${ours.throughput!.toFixed(
          0,
        )}/s p99 ${ours.p99.toFixed(
          1,
        )} ms (on-demand ${baseline.throughput!.toFixed(
          1,
        )}/s p99 ${baseline.p99.toFixed(0)} ms); ${describeLoad(ours)}`,
      );
      if (clients === CONCURRENT_CLIENTS) {
        // The same entities read again in the same refresh: the answers the
        // first reads left in the plugin's cache.
        const again = (
          await sampleBackendConcurrently(
            timed.map(c => c.url),
            clients,
          )
        ).latency;
        figures.push({
          name: `GET /entities/:ref/secrets (${clients} concurrent, read again)`,
          measured: again,
          baselineName: `on-demand (${clients} concurrent)`,
          baseline,
        });
        progress(
          `entity reads again, ${clients} concurrent: ${again.throughput!.toFixed(
            0,
          )}/s p99 ${again.p99.toFixed(1)} ms; ${describeLoad(again)}`,
        );
        // The floor: a trivial route of the plugin (Backstage's auth,
        // permission check, auditor and router, one cached read) from the
        // same clients, to tell the plugin's cost from the framework's.
        const trivial = (
          await sampleBackendConcurrently(
            Array.from({ length: calls }, () => `${baseUrl}/servers`),
            clients,
          )
        ).latency;
        figures.push({
          name: `GET /entities/:ref/secrets (${clients} concurrent) vs a trivial route`,
          measured: ours,
          baselineName: `GET /servers (${clients} concurrent)`,
          baseline: trivial,
        });
        progress(
          `GET /servers, ${clients} concurrent: ${trivial.throughput!.toFixed(
            0,
          )}/s p99 ${trivial.p99.toFixed(1)} ms; ${describeLoad(trivial)}`,
        );
      }
      await endPhase(`entity reads, ${clients} concurrent`);
    }

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
    const beforeCsvMiB = (await endPhase('audit pages')).rssMiB;
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

    const csvPeakMiB = (await endPhase('CSV exports')).peakMiB;
    const byName = (name: string) =>
      figures.find(f => f.name === name)!.measured as { p50: number };
    comparisons.push(
      {
        name: 'GET /audit deep cursor page vs first page',
        measured: byName('GET /audit deep cursor page').p50,
        unit: 'ms',
        baselineName: 'GET /audit first page',
        baseline: byName('GET /audit first page').p50,
      },
      {
        name: 'RSS growth during the CSV exports',
        measured: csvPeakMiB - beforeCsvMiB,
        unit: 'MiB',
        baselineName: 'RSS before them',
        baseline: beforeCsvMiB,
      },
      {
        name: `settled heap after ${REPEATED_REFRESHES} refreshes`,
        measured: repeated[repeated.length - 1].heapMiB,
        unit: 'MiB',
        baselineName: 'after the first of them',
        baseline: repeated[0].heapMiB,
      },
      {
        name: `RSS after ${REPEATED_REFRESHES} refreshes`,
        measured: repeated[repeated.length - 1].rssMiB,
        unit: 'MiB',
        baselineName: 'after the first of them',
        baseline: repeated[0].rssMiB,
      },
    );
    const backendMemory = await backend.memory();
    const backendPeakMiB = backendMemory.overallPeakMiB;
    const sandboxPeakMiB = memory.overallPeakMiB();
    comparisons.push({
      name: 'peak RSS of the backend, in its own process',
      measured: backendPeakMiB,
      unit: 'MiB',
      baselineName: 'the backend started, before its first refresh',
      baseline: backendIdle.rssMiB,
      note: `${
        options.mallocArenaMax
          ? `MALLOC_ARENA_MAX=${options.mallocArenaMax}`
          : "glibc's default arenas"
      }; the kernel's VmHWM ${
        backendMemory.kernelPeakMiB?.toFixed(0) ?? 'n/a'
      } MiB; at the peak V8's heap held ${backendMemory.atOverallPeakMiB.heapTotal.toFixed(
        0,
      )} MiB; the sandbox, in the bench's process, peaked at ${sandboxPeakMiB.toFixed(
        0,
      )} MiB`,
    });
    await stopBackend();

    const table = formatTable(figures);
    const comparisonTable = formatComparisons(comparisons);
    process.stdout.write(`\n${comparisonTable}\n\n${table}\n\n`);
    const file = writeReport(options.out, {
      startedAt: new Date(
        Date.now() - (performance.now() - started),
      ).toISOString(),
      sizes,
      database: options.db,
      machine: { ...machineInfo(), loadAverage1mAtStart: loadAtStart },
      setup: {
        sandboxStartMs: sandboxStart.ms,
        backendStartMs: backendStart.ms,
      },
      figures: figures.map(f => ({ ...f, ratio: ratios(f) })),
      comparisons: comparisons.map(c => ({
        ...c,
        ratio: c.measured / c.baseline,
      })),
      memory: {
        sandboxRssMiB,
        sandboxPeakRssMiB: sandboxPeakMiB,
        backendIdleRssMiB: backendIdle.rssMiB,
        backendPeakRssMiB: backendPeakMiB,
        backendKernelPeakRssMiB: backendMemory.kernelPeakMiB ?? null,
        backendAtPeakMiB: backendMemory.atOverallPeakMiB,
        backendMallocArenaMax: options.mallocArenaMax ?? null,
        byPhase: memoryByPhase,
        repeatedRefreshes: repeated,
      },
      requestsByRefresh: requestPaths,
      warnings,
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
