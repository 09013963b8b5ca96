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

import { Entity } from '@backstage/catalog-model';
import { generatedServiceName, Sandbox } from '@internal/sandbox';
import { ChildProcess, fork } from 'node:child_process';
import { startSandboxBackend } from '../../plugins/onepassword-backend/src/__testUtils__/testBackend';
import {
  BenchDatabaseKind,
  openBenchDatabase,
  WriteCounts,
} from './benchDatabase';
import { MemorySampler, rssMiB, settledHeapMiB } from './memory';

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
  /** V8's committed heap and its external memory at that peak. */
  atOverallPeakMiB: { heapTotal: number; external: number };
}

type Request =
  | { type: 'start'; options: BackendProcessOptions }
  | { type: 'refresh' }
  | { type: 'memory'; newPeakWindow: boolean }
  | { type: 'stop' };

type Reply = { id: number } & (
  | { ok: true; value: unknown }
  | { ok: false; error: string }
);

function benchEntities(services: number): Entity[] {
  return Array.from({ length: services }, (_, s) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: generatedServiceName(s),
      namespace: 'default',
      // As the catalog serves every entity.
      uid: `uid-${generatedServiceName(s)}`,
      etag: 'etag-1',
      annotations: { 'backstage.io/kubernetes-id': generatedServiceName(s) },
    },
    spec: { type: 'service', lifecycle: 'production', owner: `team-${s % 50}` },
  }));
}

/** The parent's handle on the backend process. */
export class BackendProcess {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(value: unknown): void; reject(error: Error): void }
  >();
  private exited = false;

  static async start(options: BackendProcessOptions) {
    const child = fork(__filename, [], {
      execArgv: [
        // BENCH_BACKEND_CPU_PROF=<dir>: a CPU profile of the backend alone.
        ...(process.env.BENCH_BACKEND_CPU_PROF
          ? [
              '--cpu-prof',
              `--cpu-prof-dir=${process.env.BENCH_BACKEND_CPU_PROF}`,
            ]
          : []),
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

  async memory(newPeakWindow = false): Promise<BackendMemory> {
    return (await this.call({
      type: 'memory',
      newPeakWindow,
    })) as BackendMemory;
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

async function serve() {
  const memory = MemorySampler.start();
  let stop: (() => Promise<string[]>) | undefined;
  let refresh:
    | (() => Promise<{ ms: number; database: WriteCounts }>)
    | undefined;

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
          entities: benchEntities(options.services),
          knex: database.knex,
          logLines,
          // As in production: clusters kept current by watches. The bench
          // runs each refresh itself, so a change does not trigger one.
          clusterWatch: true,
          refreshOnClusterChange: false,
        });
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
      case 'memory':
        return {
          rssMiB: rssMiB(),
          settledHeapMiB: settledHeapMiB(),
          peakMiB: request.newPeakWindow
            ? memory.takePeakMiB()
            : memory.overallPeakMiB(),
          overallPeakMiB: memory.overallPeakMiB(),
          atOverallPeakMiB: memory.overallPeakPartsMiB(),
        } satisfies BackendMemory;
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
