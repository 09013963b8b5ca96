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
import { generatedServiceName, Sandbox } from '@internal/sandbox';
import { Knex } from 'knex';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const REQUEST_START = 'http.server.request.start';
const REFRESH_LEASE_TABLE = 'onepassword_refresh_lease';

/**
 * What refreshes cost, counted where it lands: the requests the sandbox's
 * clusters receive (Node's http diagnostics channel, by server port) and the
 * rows the plugin's database writes (knex's query events).
 */
export class RefreshCostCounter {
  /** The URL (path and query) of each request a cluster received. */
  readonly clusterRequests: string[] = [];
  rowsWritten = 0;
  updates = 0;

  private readonly onRequest = (message: unknown) => {
    const { request, server } = message as {
      request: IncomingMessage;
      server: Server;
    };
    const port = (server.address() as AddressInfo | null)?.port ?? -1;
    if (this.clusterPorts.has(port))
      this.clusterRequests.push(request.url ?? '');
  };

  private constructor(private readonly clusterPorts: Set<number>) {}

  static start(sandbox: Sandbox, knex?: Knex): RefreshCostCounter {
    const counter = new RefreshCostCounter(
      new Set(sandbox.clusters.map(c => Number(new URL(c.url).port))),
    );
    subscribe(REQUEST_START, counter.onRequest);
    knex?.on('query', (query: { sql: string; bindings?: unknown[] }) => {
      // Which replica runs the refresh is the schedule's bookkeeping, as
      // Backstage's task table is, not what the refresh writes.
      if (query.sql.includes(REFRESH_LEASE_TABLE)) return;
      const columns = /^insert into \S+ \(([^)]*)\)/i.exec(query.sql)?.[1];
      if (columns && query.bindings) {
        counter.rowsWritten += Math.round(
          query.bindings.length / columns.split(',').length,
        );
      }
      if (/^update /i.test(query.sql)) counter.updates++;
    });
    return counter;
  }

  /**
   * Resolves once no cluster request arrived for `quietMs`: the watches a
   * refresh's lists started reach the clusters through the Kubernetes
   * plugin's proxy a little after the refresh itself returned.
   */
  async clustersQuiet(quietMs = 500, timeoutMs = 20_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const seen = this.clusterRequests.length;
      await new Promise(resolve => setTimeout(resolve, quietMs));
      if (this.clusterRequests.length === seen) return;
      if (Date.now() > until) {
        throw new Error(
          `Cluster requests still arriving after ${timeoutMs} ms: ${this.clusterRequests
            .slice(seen)
            .join(', ')}`,
        );
      }
    }
  }

  reset(): void {
    this.clusterRequests.length = 0;
    this.rowsWritten = 0;
    this.updates = 0;
  }

  stop(): void {
    unsubscribe(REQUEST_START, this.onRequest);
  }
}

/**
 * The catalog's services of a generated scenario, one per generated name,
 * with a uid and an etag as the catalog serves them (a test that edits one
 * gives it a new etag, as the catalog would).
 */
export function generatedServiceEntities(
  count: number,
  ownerOf: (service: number) => string = () => 'team-a',
): Entity[] {
  return Array.from({ length: count }, (_, s) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: generatedServiceName(s),
      namespace: 'default',
      uid: `uid-${generatedServiceName(s)}`,
      etag: 'etag-1',
      annotations: { 'backstage.io/kubernetes-id': generatedServiceName(s) },
    },
    spec: { type: 'service', lifecycle: 'production', owner: ownerOf(s) },
  }));
}
