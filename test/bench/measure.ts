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

import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** Milliseconds `fn` takes, and what it returned. */
export async function timed<T>(
  fn: () => Promise<T>,
): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

/** Latency percentiles of a series of calls, in milliseconds. */
export interface Latency {
  calls: number;
  p50: number;
  p95: number;
  p99: number;
  /** Calls per second, when they were made concurrently. */
  throughput?: number;
  concurrency?: number;
  /**
   * How busy the clients' own event loop was (0 to 1), when they ran on a
   * worker: near 1, the figure measured the client rather than the server.
   */
  clientUtilization?: number;
  /**
   * The backend process's CPU time and SQL statements per call, and how busy
   * its event loop was.
   */
  backend?: {
    cpuMsPerCall: number;
    utilization: number;
    sqlStatementsPerCall: number;
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

export function latencyOf(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    calls: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
  };
}

/**
 * Makes `calls` calls, `concurrency` at a time (as that many clients would),
 * after one unrecorded round of warm-up calls: the latency of each call and
 * the calls per second over the whole run.
 */
export async function sampleConcurrently(
  calls: number,
  concurrency: number,
  call: (index: number) => Promise<unknown>,
): Promise<Latency> {
  await Promise.all(
    Array.from({ length: Math.min(concurrency, calls) }, (_, i) => call(i)),
  );
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        const index = next++;
        samples.push((await timed(() => call(index))).ms);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    ...latencyOf(samples),
    throughput: calls / seconds,
    concurrency,
  };
}

/**
 * Calls `measured` and `baseline` alternately `calls` times each (after a few
 * unrecorded warm-up calls), so that both see the same machine load.
 */
export async function sampleAgainstBaseline(
  calls: number,
  measured: (index: number) => Promise<unknown>,
  baseline: () => Promise<unknown>,
): Promise<{ measured: Latency; baseline: Latency }> {
  const warmUp = Math.min(5, calls);
  for (let i = 0; i < warmUp; i++) {
    await measured(i);
    await baseline();
  }
  const measuredMs: number[] = [];
  const baselineMs: number[] = [];
  for (let i = 0; i < calls; i++) {
    measuredMs.push((await timed(() => measured(i))).ms);
    baselineMs.push((await timed(baseline)).ms);
  }
  return { measured: latencyOf(measuredMs), baseline: latencyOf(baselineMs) };
}

/**
 * As {@link sampleConcurrently} for `GET`s of `urls` (call `i` reads
 * `urls[i]`), made from a worker thread: the clients then wait on their own
 * event loop, not behind the sandbox's work on the bench's, so the figure
 * is the server's latency. Answers also how many `items` each call read.
 * The warm-up round reads `warmUpUrls` when given; `around` runs just before
 * and just after the timed calls (to read the server's CPU time).
 */
export async function sampleHttpConcurrently(
  urls: string[],
  concurrency: number,
  options: {
    warmUpUrls?: string[];
    around?: () => Promise<void>;
  } = {},
): Promise<{ latency: Latency; itemCounts: Array<number | null> }> {
  const worker = new Worker(join(__dirname, 'httpLoadWorker.js'), {
    workerData: { urls, warmUpUrls: options.warmUpUrls, concurrency },
  });
  try {
    const result = await new Promise<{
      samples: number[];
      seconds: number;
      itemCounts: Array<number | null>;
      clientUtilization: number;
      error?: string;
    }>((resolve, reject) => {
      worker.on('message', message => {
        if (message.warm) {
          (options.around?.() ?? Promise.resolve()).then(
            () => worker.postMessage('go'),
            reject,
          );
        } else {
          resolve(message);
        }
      });
      worker.once('error', reject);
    });
    if (result.error) throw new Error(`load worker: ${result.error}`);
    await options.around?.();
    return {
      latency: {
        ...latencyOf(result.samples),
        throughput: urls.length / result.seconds,
        concurrency,
        clientUtilization: result.clientUtilization,
      },
      itemCounts: result.itemCounts,
    };
  } finally {
    await worker.terminate();
  }
}
