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

/** One request a sandbox server answered (or refused). @public */
export interface RequestLogEntry {
  at: string;
  method: string;
  /** The path without the query string. */
  path: string;
  /** HTTP status, or 0 when the connection was dropped by a fault. */
  status: number;
  /** Name of the token used, if the server knew it. */
  tokenName?: string;
}

/** Request counts of one server. @public */
export interface RequestStats {
  total: number;
  /** Counts by `"<METHOD> <path>"`, e.g. `"GET /v1/vaults"`. */
  byPath: Record<string, number>;
}

const MAX_ENTRIES = 10_000;

/** The most recent requests of one server, for tests that count calls. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private counts = new Map<string, number>();
  private total = 0;

  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) {
      this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    }
    const key = `${entry.method} ${entry.path}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.total += 1;
  }

  /** The last (up to 10,000) requests, oldest first. */
  list(): RequestLogEntry[] {
    return [...this.entries];
  }

  stats(): RequestStats {
    return { total: this.total, byPath: Object.fromEntries(this.counts) };
  }

  reset(): void {
    this.entries = [];
    this.counts = new Map();
    this.total = 0;
  }
}
