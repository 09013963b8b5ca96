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

/*
 * The backend under benchmark, in a process of its own: its memory is then
 * the backend's alone, and the sandbox's work (its operators poll Connect
 * item by item) does not stall the backend's event loop. The parent drives
 * it by IPC: refresh, memory, stop. Everything else goes over HTTP.
 */

import { Sandbox } from '@internal/sandbox';
import { ChildProcess, fork } from 'node:child_process';
import { performance as nodePerformance } from 'node:perf_hooks';
import { generatedServiceEntities } from '../../plugins/onepassword-backend/src/__testUtils__/refreshCost';
import { startSandboxBackend } from '../../plugins/onepassword-backend/src/__testUtils__/testBackend';
import {
  BenchDatabaseKind,
  openBenchDatabase,
  WriteCounts,
} from './benchDatabase';
import {
  MemoryParts,
  memoryPartsMiB,
  kernelPeakRssMiB,
  MemorySampler,
  residentByMappingMiB,
  rssMiB,
  settledHeapMiB,
} from './memory';

/** What the child needs to reach the sandbox. */
export interface BackendProcessOptions {
  connect: { name: string; url: string; token: string };
  clusters: Array<{ name: string; url: string; caData: string; token: string }>;
  services: number;
  db: BenchDatabaseKind;
  postgresUrl: string;
}

/** The backend's memory, measured in its own process. */
export interface BackendMemory {
  rssMiB: number;
  /** Heap after a full collection. */
  settledHeapMiB: number;
  /** The highest RSS since the last `memory({ newPeakWindow: true })`. */
  peakMiB: number;
  /** The highest RSS since the process started. */
  overallPeakMiB: number;
  /** Where the memory was at that peak. */
  atOverallPeakMiB: MemoryParts;
  /** Where the memory was at the peak of the window `peakMiB` closes. */
  atPeakMiB: MemoryParts;
  /** Where the memory is now, after the full collection. */
  settledMiB: MemoryParts;
  /** The kernel's record of the highest RSS (VmHWM): no peak between samples is missed. */
  kernelPeakMiB: number | undefined;
  /** Resident memory by kind of mapping, now. */
  byMappingMiB: ReturnType<typeof residentByMappingMiB>;
}

/** See {@link BackendProcess.cpu}. */
export interface BackendCpu {
  cpuMs: number;
  /** SQL statements the plugin sent so far. */
  sqlStatements: number;
  loopActiveMs: number;
  loopIdleMs: number;
}

type Request =
  | { type: 'start'; options: BackendProcessOptions }
  | { type: 'refresh' }
  | { type: 'memory'; newPeakWindow: boolean; phase?: string }
  | { type: 'cpu' }
  | { type: 'stop' };

type Reply = { id: number } & (
  | { ok: true; value: unknown }
  | { ok: false; error: string }
);

/** The parent's handle on the backend process. */
export class BackendProcess {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(value: unknown): void; reject(error: Error): void }
  >();
  private exited = false;

  /**
   * `mallocArenaMax`: glibc's MALLOC_ARENA_MAX for the backend process only
   * (a deployment setting), to tell malloc's arenas from what is allocated.
   */
  static async start(
    options: BackendProcessOptions,
    { mallocArenaMax }: { mallocArenaMax?: number } = {},
  ) {
    const child = fork(__filename, [], {
      env: {
        ...process.env,
        ...(mallocArenaMax ? { MALLOC_ARENA_MAX: String(mallocArenaMax) } : {}),
      },
      execArgv: [
        // BENCH_BACKEND_CPU_PROF=<dir>: a CPU profile of the backend alone.
        ...(process.env.BENCH_BACKEND_CPU_PROF
          ? [
              '--cpu-prof',
              `--cpu-prof-dir=${process.env.BENCH_BACKEND_CPU_PROF}`,
            ]
          : []),
        // BENCH_BACKEND_NODE_OPTIONS: V8 or Node flags for the backend alone,
        // e.g. --trace-gc, or --max-old-space-size as a deployment would set it.
        ...(process.env.BENCH_BACKEND_NODE_OPTIONS?.split(/\s+/).filter(
          Boolean,
        ) ?? []),
        '--expose-gc',
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const backend = new BackendProcess(child);
    const started = (await backend.call({ type: 'start', options })) as {
      port: number;
    };
    return { backend, port: started.port };
  }

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: Reply) => {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.ok) waiting?.resolve(message.value);
      else waiting?.reject(new Error(`backend process: ${message.error}`));
    });
    child.on('exit', code => {
      this.exited = true;
      for (const waiting of this.pending.values()) {
        waiting.reject(new Error(`backend process exited with ${code}`));
      }
      this.pending.clear();
    });
  }

  private call(request: Request): Promise<unknown> {
    if (this.exited) return Promise.reject(new Error('backend process exited'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, ...request });
    });
  }

  /** Runs the refresh task; answers its time and what it sent to the database. */
  async refresh(): Promise<{ ms: number; database: WriteCounts }> {
    return (await this.call({ type: 'refresh' })) as {
      ms: number;
      database: WriteCounts;
    };
  }

  /** `phase`: the name of the window that `newPeakWindow` closes. */
  async memory(newPeakWindow = false, phase?: string): Promise<BackendMemory> {
    return (await this.call({
      type: 'memory',
      newPeakWindow,
      phase,
    })) as BackendMemory;
  }

  /**
   * The backend process's CPU time (user and system) and its event loop's
   * busy and idle time so far, in milliseconds: the difference over a phase
   * is what the backend itself spent on it.
   */
  async cpu(): Promise<BackendCpu> {
    return (await this.call({ type: 'cpu' })) as BackendCpu;
  }

  /** Stops the backend; answers the plugin's warning and error log lines. */
  async stop(): Promise<string[]> {
    if (this.exited) return [];
    const lines = (await this.call({ type: 'stop' })) as string[];
    await new Promise(resolve => {
      if (this.exited) resolve(undefined);
      else this.child.once('exit', resolve);
    });
    return lines;
  }
}

/**
 * BENCH_BACKEND_HEAP_SAMPLING=<dir>: what the backend allocated phase by
 * phase (V8's sampling heap profiler, collected objects included), one
 * `.heapprofile` per phase, for Chrome's DevTools.
 */
async function startHeapSampling(dir: string) {
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync, mkdirSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  const start = () =>
    session.post('HeapProfiler.startSampling', {
      samplingInterval: 64 * 1024,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    } as never);
  await start();
  let n = 0;
  return async (phase: string) => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    n += 1;
    writeFileSync(
      `${dir}/${String(n).padStart(2, '0')}-${phase.replace(
        /[^a-z0-9]+/gi,
        '-',
      )}.heapprofile`,
      JSON.stringify(profile),
    );
    await start();
  };
}

async function serve() {
  const memory = MemorySampler.start();
  const endHeapSampling = process.env.BENCH_BACKEND_HEAP_SAMPLING
    ? await startHeapSampling(process.env.BENCH_BACKEND_HEAP_SAMPLING)
    : undefined;
  let stop: (() => Promise<string[]>) | undefined;
  let refresh:
    | (() => Promise<{ ms: number; database: WriteCounts }>)
    | undefined;
  let sqlStatements = () => 0;

  async function handle(request: Request): Promise<unknown> {
    switch (request.type) {
      case 'start': {
        const { options } = request;
        const database = await openBenchDatabase(
          options.db,
          options.postgresUrl,
        );
        const logLines: string[] = [];
        const sandbox = {
          clusters: options.clusters.map(({ name, url, caData }) => ({
            name,
            url,
            caData,
          })),
          connectServer: () => ({ url: options.connect.url }),
        } as unknown as Sandbox;
        const backend = await startSandboxBackend({
          sandbox,
          connectTokens: { [options.connect.name]: options.connect.token },
          clusterToken: cluster =>
            options.clusters.find(c => c.name === cluster)!.token,
          entities: generatedServiceEntities(
            options.services,
            s => `team-${s % 50}`,
          ),
          knex: database.knex,
          logLines,
          // As in production: clusters kept current by watches. The bench
          // runs each refresh itself, so a change does not trigger one.
          clusterWatch: true,
          refreshOnClusterChange: false,
        });
        sqlStatements = database.statementsSoFar;
        refresh = async () => {
          database.takeCounts();
          const at = performance.now();
          await backend.refresh();
          return {
            ms: performance.now() - at,
            database: database.takeCounts(),
          };
        };
        stop = async () => {
          await backend.stop();
          await database.dispose();
          return logLines.filter(
            l =>
              /^(warn|error) /.test(l) && l.includes('"plugin":"onepassword"'),
          );
        };
        return { port: backend.server.port() };
      }
      case 'refresh':
        return refresh!();
      case 'memory': {
        if (request.phase) await endHeapSampling?.(request.phase);
        const atPeakMiB = memory.peakPartsMiB();
        const peakMiB = request.newPeakWindow
          ? memory.takePeakMiB()
          : memory.overallPeakMiB();
        return {
          rssMiB: rssMiB(),
          settledHeapMiB: settledHeapMiB(),
          peakMiB,
          overallPeakMiB: memory.overallPeakMiB(),
          atOverallPeakMiB: memory.overallPeakPartsMiB(),
          atPeakMiB,
          settledMiB: memoryPartsMiB(),
          byMappingMiB: residentByMappingMiB(),
          kernelPeakMiB: kernelPeakRssMiB(),
        } satisfies BackendMemory;
      }
      case 'cpu': {
        const { user, system } = process.cpuUsage();
        const loop = nodePerformance.eventLoopUtilization();
        return {
          cpuMs: (user + system) / 1000,
          sqlStatements: sqlStatements(),
          loopActiveMs: loop.active,
          loopIdleMs: loop.idle,
        } satisfies BackendCpu;
      }
      case 'stop': {
        const lines = (await stop?.()) ?? [];
        memory.stop();
        setImmediate(() => {
          process.disconnect?.();
          // A keep-alive socket left open must not keep the run waiting.
          setTimeout(() => process.exit(0), 1_000).unref();
        });
        return lines;
      }
      default:
        throw new Error(`unknown request ${JSON.stringify(request)}`);
    }
  }

  process.on('message', (message: Request & { id: number }) => {
    handle(message).then(
      value => process.send!({ id: message.id, ok: true, value }),
      error =>
        process.send!({
          id: message.id,
          ok: false,
          error: String(error?.stack ?? error),
        }),
    );
  });
}

if (require.main === module && process.send) {
  serve();
}
