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

import { readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';

/**
 * The process's resident memory, sampled often enough to catch peaks that a
 * read before and after would miss.
 */
/** Where resident memory was, in MiB: V8's heap, or outside it. */
export interface MemoryParts {
  rss: number;
  /** V8's committed heap. */
  heapTotal: number;
  heapUsed: number;
  /** Memory V8 knows of outside its heap (Buffers, ArrayBuffers, ...). */
  external: number;
  arrayBuffers: number;
  /** What V8 itself holds with malloc (not the heap's pages). */
  v8Malloced: number;
  /** The V8 heap's pages actually resident. */
  heapPhysical: number;
}

export function memoryPartsMiB(): MemoryParts {
  const usage = process.memoryUsage();
  const heap = getHeapStatistics();
  const mib = (bytes: number) => bytes / 2 ** 20;
  return {
    v8Malloced: mib(heap.malloced_memory),
    heapPhysical: mib(heap.total_physical_size),
    rss: mib(usage.rss),
    heapTotal: mib(usage.heapTotal),
    heapUsed: mib(usage.heapUsed),
    external: mib(usage.external),
    arrayBuffers: mib(usage.arrayBuffers),
  };
}

export class MemorySampler {
  private peak = 0;
  private overall = 0;
  /** Where the memory was at the overall peak and at the window's peak. */
  private overallParts = memoryPartsMiB();
  private peakParts = memoryPartsMiB();
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
    if (rss > this.peak) {
      this.peak = rss;
      this.peakParts = memoryPartsMiB();
    }
    if (rss > this.overall) {
      this.overall = rss;
      this.overallParts = this.peakParts;
    }
  }

  /** Where the memory was at the overall peak. */
  overallPeakPartsMiB(): MemoryParts {
    return this.overallParts;
  }

  /** Where the memory was at the current window's peak. */
  peakPartsMiB(): MemoryParts {
    return this.peakParts;
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
    this.peakParts = memoryPartsMiB();
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

/**
 * Resident memory by kind of mapping (Linux only), in MiB: files (the node
 * binary, native add-ons, their data), the brk heap (glibc's main arena),
 * anonymous mappings (V8's heap pages, glibc's other arenas and its large
 * allocations), and the largest anonymous mappings by resident size.
 */
export function residentByMappingMiB():
  | {
      file: number;
      brkHeap: number;
      anonymous: number;
      other: number;
      largestAnonymous: Array<{ sizeMiB: number; rssMiB: number }>;
    }
  | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return undefined;
  }
  const sums = { file: 0, brkHeap: 0, anonymous: 0, other: 0 };
  const anonymous: Array<{ sizeMiB: number; rssMiB: number }> = [];
  let kind: keyof typeof sums = 'other';
  let sizeKiB = 0;
  for (const line of text.split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(
      line,
    );
    if (header) {
      const name = header[3];
      sizeKiB = (parseInt(header[2], 16) - parseInt(header[1], 16)) / 1024;
      if (name.startsWith('/')) kind = 'file';
      else if (name === '[heap]') kind = 'brkHeap';
      else if (name === '') kind = 'anonymous';
      else kind = 'other';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) {
      const kib = Number(rss[1]);
      sums[kind] += kib / 1024;
      if (kind === 'anonymous' && kib > 0) {
        anonymous.push({ sizeMiB: sizeKiB / 1024, rssMiB: kib / 1024 });
      }
    }
  }
  anonymous.sort((a, b) => b.rssMiB - a.rssMiB);
  return { ...sums, largestAnonymous: anonymous.slice(0, 8) };
}

/** The kernel's own record of the process's highest RSS (VmHWM, Linux only), in MiB. */
export function kernelPeakRssMiB(): number | undefined {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kib = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
    return kib ? Number(kib) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
