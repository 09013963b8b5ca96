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

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { WriteCounts } from './benchDatabase';
import type { Latency } from './measure';

/** One measured figure and the baseline measured with it. */
export interface Figure {
  name: string;
  /** A single timing, or the latency of many calls. */
  measured: number | Latency;
  baselineName: string;
  baseline: number | Latency;
  /** Requests the sandbox servers received during a refresh. */
  requests?: { connect: number; kubernetes: number };
  database?: WriteCounts;
}

const p50 = (value: number | Latency) =>
  typeof value === 'number' ? value : value.p50;
const p95 = (value: number | Latency) =>
  typeof value === 'number' ? value : value.p95;

/** measured ÷ baseline, of the single timing or of p50 (and p95). */
export function ratios(figure: Figure) {
  return {
    p50: p50(figure.measured) / p50(figure.baseline),
    p95: p95(figure.measured) / p95(figure.baseline),
  };
}

function p99(value: number | Latency) {
  return typeof value === 'number' ? '' : value.p99.toFixed(1);
}

function throughput(figure: Figure) {
  const of = (value: number | Latency) =>
    typeof value === 'number' || value.throughput === undefined
      ? undefined
      : value.throughput.toFixed(value.throughput < 10 ? 1 : 0);
  const measured = of(figure.measured);
  const baseline = of(figure.baseline);
  return measured === undefined ? '' : `${measured} / ${baseline ?? '-'}`;
}

function ms(value: number | Latency) {
  return typeof value === 'number'
    ? `${value.toFixed(1)}`
    : `${value.p50.toFixed(1)} / ${value.p95.toFixed(1)}`;
}

function ratio(figure: Figure) {
  const { p50: r50, p95: r95 } = ratios(figure);
  return typeof figure.measured === 'number'
    ? `${r50.toFixed(2)}x`
    : `${r50.toFixed(2)}x / ${r95.toFixed(2)}x`;
}

/** The figures as an aligned text table. */
export function formatTable(figures: Figure[]): string {
  const header = [
    'figure',
    'ms (p50 / p95)',
    'ratio',
    'baseline',
    'baseline ms',
    'p99 / baseline',
    'req/s / baseline',
    'Connect req',
    'k8s req',
    'SQL stmts',
    'rows written',
  ];
  const rows = figures.map(f => [
    f.name,
    ms(f.measured),
    ratio(f),
    f.baselineName,
    ms(f.baseline),
    p99(f.measured) && `${p99(f.measured)} / ${p99(f.baseline)}`,
    throughput(f),
    f.requests ? String(f.requests.connect) : '',
    f.requests ? String(f.requests.kubernetes) : '',
    f.database ? String(f.database.statements) : '',
    f.database ? String(f.database.rowsWritten) : '',
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(r => r[i].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) =>
        i === 0 || i === 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]),
      )
      .join('  ');
  return [
    line(header),
    widths.map(w => '-'.repeat(w)).join('  '),
    ...rows.map(line),
  ].join('\n');
}

/**
 * A figure against what users would run instead, in any unit: requests per
 * hour, milliseconds, MiB. `ratio` is measured ÷ baseline.
 */
export interface Comparison {
  name: string;
  measured: number;
  unit: string;
  baselineName: string;
  baseline: number;
  /** How the figure was obtained, when the name does not say. */
  note?: string;
}

function amount(value: number, unit: string) {
  const digits = Math.abs(value) >= 100 ? 0 : 1;
  return `${value.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  })} ${unit}`;
}

/** The comparisons as an aligned text table. */
export function formatComparisons(comparisons: Comparison[]): string {
  const header = ['figure', 'measured', 'ratio', 'baseline', 'baseline value'];
  const rows = comparisons.map(c => [
    c.name,
    amount(c.measured, c.unit),
    c.baseline === 0 ? '' : `${(c.measured / c.baseline).toPrecision(3)}x`,
    c.baselineName,
    amount(c.baseline, c.unit),
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(r => r[i].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) =>
        i === 0 || i === 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]),
      )
      .join('  ');
  return [
    line(header),
    widths.map(w => '-'.repeat(w)).join('  '),
    ...rows.map(line),
  ].join('\n');
}

/** Where and on what the run happened. */
export function machineInfo() {
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    /** Other work on the machine inflates every timing, figure and baseline alike. */
    loadAverage1m: Number(loadavg()[0].toFixed(1)),
  };
}

/** Writes the run as JSON; returns the file's path. */
export function writeReport(directory: string, report: object): string {
  mkdirSync(directory, { recursive: true });
  const file = join(
    directory,
    `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  );
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
