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

import type { LoggerService } from '@backstage/backend-plugin-api';
import { KubernetesProxyClient } from '../KubernetesProxyClient';
import { ProxyCollectionTransport } from './ProxyCollectionTransport';
import {
  CollectionRequestError,
  InformerState,
  ResourceInformer,
} from './ResourceInformer';

/** What to read of one collection of one cluster. */
interface CollectionRequest<T> {
  /** e.g. `/api/v1/secrets` or `/api/v1/namespaces/a/events`. */
  path: string;
  /** Extra query parameters, e.g. `fieldSelector`; part of the collection's identity. */
  query?: Record<string, string>;
  metadataOnly?: boolean;
  /** Keeps only what the plugin reads of each object, to bound memory. */
  project?: (object: unknown) => T;
}

/** How one collection is being read, for `GET /clusters`. */
interface CollectionReadState extends InformerState {
  path: string;
}

interface Entry {
  informer: ResourceInformer<unknown>;
  path: string;
  lastReadAt: number;
}

function keyOfObject(object: unknown): string {
  const metadata = (object as { metadata?: Record<string, string> })?.metadata;
  return metadata?.uid ?? `${metadata?.namespace ?? ''}/${metadata?.name}`;
}

/**
 * The collections a refresh reads, kept current by watches between
 * refreshes: `list()` answers from the cache and sends no request while the
 * collection is watched. The first read of a collection lists it; a
 * collection no refresh has read for `idleMs` is dropped with its watch. A
 * collection with more than `maxObjectsPerCollection` objects is not watched
 * nor kept: each read lists it, paged, and `states()` says why.
 * A collection that cannot be read throws as a GET would, with the status.
 */
export class ClusterCollectionCache {
  static create(options: {
    client: KubernetesProxyClient;
    logger: LoggerService;
    /** False: list every collection on every read instead of watching it. */
    watch?: boolean;
    /** Called after a watched collection changed. */
    onChange?: (cluster: string) => void;
    idleMs?: number;
    relistIntervalMs?: number;
    pageSize?: number;
    /** The most objects one collection of one cluster keeps between refreshes. */
    maxObjectsPerCollection?: number;
  }) {
    return new ClusterCollectionCache(options);
  }

  private readonly entries = new Map<string, Map<string, Entry>>();
  private readonly idleMs: number;

  private constructor(
    private readonly options: {
      client: KubernetesProxyClient;
      logger: LoggerService;
      watch?: boolean;
      onChange?: (cluster: string) => void;
      idleMs?: number;
      relistIntervalMs?: number;
      pageSize?: number;
      maxObjectsPerCollection?: number;
    },
  ) {
    this.idleMs = options.idleMs ?? 60 * 60_000;
  }

  async list<T>(cluster: string, request: CollectionRequest<T>): Promise<T[]> {
    const entry = this.entryFor(cluster, request);
    entry.lastReadAt = Date.now();
    await entry.informer.sync();
    const state = entry.informer.getState();
    if (state.mode === 'failing' || state.listFailing || !state.synced) {
      throw new CollectionRequestError(
        state.lastError ?? `Reading ${request.path} of ${cluster} failed`,
        state.lastStatusCode ?? undefined,
      );
    }
    const items = entry.informer.items() as T[];
    // A collection over the cap is held only while this refresh reads it.
    entry.informer.release();
    return items;
  }

  /** How each collection of a cluster is read now. */
  states(cluster: string): CollectionReadState[] {
    return [...(this.entries.get(cluster)?.values() ?? [])].map(entry => ({
      path: entry.path,
      ...entry.informer.getState(),
    }));
  }

  /**
   * What the collections of a cluster that were read at or after `since`
   * (epoch ms) hold, as one string that moves with every change of their
   * objects: equal strings at two refreshes mean a read of the cluster
   * would see the same objects. Null unless every one of them is synced and
   * watched (a polled or failing collection is only known by reading it).
   */
  fingerprint(cluster: string, since: number): string | null {
    const parts: string[] = [];
    for (const [key, entry] of this.entries.get(cluster) ?? []) {
      if (entry.lastReadAt < since) continue;
      const state = entry.informer.getState();
      if (state.mode !== 'watching' || !state.synced || state.listFailing) {
        return null;
      }
      parts.push(`${key} ${state.generation}`);
    }
    return parts.join('\n');
  }

  /**
   * For a refresh that does not read the cluster again because its
   * collections did not change: marks the collections read at or after
   * `since` as read at `now` (so they stay watched), and returns their
   * {@link fingerprint}. A watched collection needs no request to be current.
   */
  touch(cluster: string, since: number, now: number): string | null {
    const fingerprint = this.fingerprint(cluster, since);
    if (fingerprint === null) return null;
    for (const entry of this.entries.get(cluster)?.values() ?? []) {
      if (entry.lastReadAt >= since) entry.lastReadAt = now;
    }
    return fingerprint;
  }

  /** List and watch requests sent so far, for metrics and the benchmark. */
  requestCounts(): { list: number; watch: number } {
    let list = 0;
    let watch = 0;
    for (const collections of this.entries.values()) {
      for (const entry of collections.values()) {
        const state = entry.informer.getState();
        list += state.listRequests;
        watch += state.watchRequests;
      }
    }
    return { list, watch };
  }

  /** Stops the watches of collections no refresh has read for a while, and of clusters that are gone. */
  async sweep(currentClusters?: string[]): Promise<void> {
    const now = Date.now();
    const stops: Promise<void>[] = [];
    for (const [cluster, collections] of this.entries) {
      const gone = currentClusters && !currentClusters.includes(cluster);
      for (const [key, entry] of collections) {
        if (gone || now - entry.lastReadAt > this.idleMs) {
          collections.delete(key);
          stops.push(entry.informer.stop());
        }
      }
      if (collections.size === 0) this.entries.delete(cluster);
    }
    await Promise.all(stops);
  }

  async stop(): Promise<void> {
    const stops = [...this.entries.values()].flatMap(collections =>
      [...collections.values()].map(entry => entry.informer.stop()),
    );
    this.entries.clear();
    await Promise.all(stops);
  }

  private entryFor<T>(cluster: string, request: CollectionRequest<T>): Entry {
    const key = `${request.metadataOnly ? 'meta:' : ''}${
      request.path
    }?${new URLSearchParams(request.query ?? {})}`;
    let collections = this.entries.get(cluster);
    if (!collections) {
      collections = new Map();
      this.entries.set(cluster, collections);
    }
    let entry = collections.get(key);
    if (!entry) {
      const informer = ResourceInformer.create<unknown>({
        name: `${cluster} ${request.path}`,
        transport: ProxyCollectionTransport.create<unknown>({
          client: this.options.client,
          cluster,
          path: request.path,
          query: request.query,
          metadataOnly: request.metadataOnly,
          project: request.project,
        }),
        keyOf: keyOfObject,
        logger: this.options.logger,
        onChange: () => this.options.onChange?.(cluster),
        relistIntervalMs: this.options.relistIntervalMs,
        pageSize: this.options.pageSize,
        watch: this.options.watch,
        maxObjects: this.options.maxObjectsPerCollection,
      });
      entry = { informer, path: request.path, lastReadAt: Date.now() };
      collections.set(key, entry);
      informer.start();
    }
    return entry;
  }
}
