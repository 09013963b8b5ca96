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

/**
 * The process's resident memory, sampled often enough to catch peaks that a
 * read before and after would miss.
 */
export class MemorySampler {
  private peak = 0;
  private overall = 0;
  /** Where the memory was at the overall peak: V8's heap, or outside it. */
  private overallParts = { heapTotal: 0, external: 0 };
  private readonly timer: NodeJS.Timeout;

  static start(intervalMs = 20) {
    return new MemorySampler(intervalMs);
  }

  private constructor(intervalMs: number) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  private sample() {
    const rss = process.memoryUsage.rss();
    this.peak = Math.max(this.peak, rss);
    if (rss > this.overall) {
      this.overall = rss;
      const usage = process.memoryUsage();
      this.overallParts = {
        heapTotal: usage.heapTotal,
        external: usage.external,
      };
    }
  }

  /** V8's heap (committed) and its external memory at the overall peak, in MiB. */
  overallPeakPartsMiB(): { heapTotal: number; external: number } {
    return {
      heapTotal: this.overallParts.heapTotal / 2 ** 20,
      external: this.overallParts.external / 2 ** 20,
    };
  }

  /** The highest RSS since the start, in MiB. */
  overallPeakMiB(): number {
    this.sample();
    return this.overall / 2 ** 20;
  }

  /** The highest RSS since the last call (or the start), in MiB; starts a new window. */
  takePeakMiB(): number {
    this.sample();
    const peak = this.peak;
    this.peak = process.memoryUsage.rss();
    return peak / 2 ** 20;
  }

  stop() {
    clearInterval(this.timer);
  }
}

/** Heap in use after a full collection (when Node runs with --expose-gc), in MiB. */
export function settledHeapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

export function rssMiB(): number {
  return process.memoryUsage.rss() / 2 ** 20;
}
