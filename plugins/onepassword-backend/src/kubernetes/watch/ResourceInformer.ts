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

import { isDeepStrictEqual } from 'node:util';
import type { LoggerService } from '@backstage/backend-plugin-api';

/** One list page as the API server answers it. */
export interface ListPage<T> {
  items: T[];
  resourceVersion: string;
  continueToken: string | null;
}

/** One line of a watch stream. */
export type WatchEvent<T> =
  | {
      type: 'ADDED' | 'MODIFIED' | 'DELETED';
      object: T;
      /** The object's resourceVersion, where it has one. */
      resourceVersion?: string;
    }
  | { type: 'BOOKMARK'; resourceVersion: string }
  | { type: 'ERROR'; code: number; message: string };

/**
 * How an informer reaches one collection of one cluster. Kept apart from the
 * informer so that its state machine is tested without HTTP.
 */
export interface CollectionTransport<T> {
  list(options: {
    limit: number;
    continueToken?: string;
  }): Promise<ListPage<T>>;
  /** Resolves once the stream is open; rejects with {@link CollectionRequestError}. */
  watch(options: {
    resourceVersion: string;
    timeoutSeconds: number;
    signal: AbortSignal;
  }): Promise<AsyncIterable<WatchEvent<T>>>;
}

/** An HTTP status from a list or watch request. */
export class CollectionRequestError extends Error {
  constructor(message: string, readonly statusCode: number | undefined) {
    super(message);
    this.name = 'CollectionRequestError';
  }
}

/**
 * `watching`: current through a watch; `polling`: the cluster or the proxy
 * refused the watch, so the collection is re-listed (paged) on every
 * `sync()`; `failing`: the last list failed and the cache holds the last
 * complete list, if any.
 */
type InformerMode = 'starting' | 'watching' | 'polling' | 'failing';

export interface InformerState {
  mode: InformerMode;
  /** A full list has completed at least once. */
  synced: boolean;
  lastListAt: string | null;
  lastError: string | null;
  /** The HTTP status of the last failed request, where it had one. */
  lastStatusCode: number | null;
  /** The last list failed: the cache holds an older complete list, if any. */
  listFailing: boolean;
  /** Bumped on every change of the cached objects. */
  generation: number;
  listRequests: number;
  watchRequests: number;
  /**
   * Why the collection is read by paged lists on each refresh instead of
   * kept by a watch (the watch was refused, or it holds more objects than a
   * watched collection may); null while watched, or when watching is off.
   */
  unwatchedReason: string | null;
}

interface ResourceInformerOptions<T> {
  /** For log lines, e.g. `prod/secrets`. */
  name: string;
  transport: CollectionTransport<T>;
  /** The key of an object in the cache (uid, or namespace/name). */
  keyOf(object: T): string;
  logger: LoggerService;
  /** Called after each change seen after the first list, e.g. to refresh soon. */
  onChange?: () => void;
  /**
   * How long a rejected list (401/403/404) is taken as the answer before a
   * `sync()` asks again; until then a refresh sends no request for it. A
   * refused watch is tried again after as long (the collection is listed on
   * each refresh meanwhile).
   */
  retryRejectedAfterMs?: number;
  pageSize?: number;
  /** A full relist on this period, as a safety net against a missed event. */
  relistIntervalMs?: number;
  watchTimeoutSeconds?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** False: no watch; every `sync()` lists the collection (paged). Default true. */
  watch?: boolean;
  /**
   * The most objects the informer keeps between refreshes. A collection
   * that lists more is not watched: each `sync()` lists it (paged), and
   * {@link ResourceInformer.release} drops it once the refresh has read it.
   */
  maxObjects?: number;
  /** Injectable for tests. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => Date;
}

const GONE = 410;
/**
 * List answers that retrying will not change (credentials, RBAC, a missing
 * CRD): the informer stops and the next `sync()` tries once more, so a
 * forbidden collection costs one request per refresh, not one per backoff.
 */
const LIST_REJECTED = new Set([401, 403, 404]);
const PROBE_TIMEOUT_SECONDS = 5;
/** Answers meaning "this collection cannot be watched here": fall back to lists. */
const WATCH_REFUSED = new Set([403, 405, 501]);

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/**
 * Keeps one collection of one cluster current, the way client-go's
 * informers do: a paged list, then a watch from the list's resourceVersion;
 * on `410 Gone` a relist; on a dropped connection a resume with bounded
 * exponential backoff; a full relist on a long period. A refresh then reads
 * the cache and sends no request.
 */
export class ResourceInformer<T> {
  static create<T>(options: ResourceInformerOptions<T>): ResourceInformer<T> {
    return new ResourceInformer(options);
  }

  private readonly objects = new Map<string, T>();
  private resourceVersion: string | null = null;
  private abort = new AbortController();
  private loop: Promise<void> | null = null;
  private running = false;
  /** Bumped by every completed list: a watch begun before it is outdated. */
  private listEpoch = 0;
  private wakeLoop = new AbortController();
  private rejectedAt: number | null = null;
  private watchRefusedAt: number | null = null;
  private readonly state: InformerState = {
    mode: 'starting',
    synced: false,
    lastListAt: null,
    lastError: null,
    lastStatusCode: null,
    listFailing: false,
    generation: 0,
    listRequests: 0,
    watchRequests: 0,
    unwatchedReason: null,
  };
  /** The last list held more than `maxObjects`. */
  private overCap = false;
  private readonly pageSize: number;
  private readonly relistIntervalMs: number;
  private readonly watchTimeoutSeconds: number;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly now: () => Date;
  private firstList: Promise<void>;
  private resolveFirstList!: () => void;

  private constructor(private readonly options: ResourceInformerOptions<T>) {
    this.pageSize = options.pageSize ?? 500;
    this.relistIntervalMs = options.relistIntervalMs ?? 60 * 60_000;
    this.watchTimeoutSeconds = options.watchTimeoutSeconds ?? 300;
    this.backoff = options.backoff ?? { initialMs: 1_000, maxMs: 60_000 };
    this.sleep = options.sleep ?? abortableSleep;
    this.now = options.now ?? (() => new Date());
    this.firstList = new Promise(resolve => {
      this.resolveFirstList = resolve;
    });
    if (options.watch === false) this.state.mode = 'polling';
  }

  /** Starts listing and watching in the background. */
  start(): void {
    if (this.running || this.options.watch === false) return;
    this.running = true;
    this.abort = new AbortController();
    this.loop = this.run(this.abort.signal)
      .catch(error => {
        this.options.logger.error(
          `Informer ${this.options.name} stopped: ${error}`,
        );
      })
      .finally(() => {
        this.running = false;
        this.resolveFirstList();
      });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    this.loop = null;
  }

  private restart() {
    this.firstList = new Promise(resolve => {
      this.resolveFirstList = resolve;
    });
    this.start();
  }

  /** Resolves once the first list attempt has ended, successfully or not. */
  whenFirstListed(): Promise<void> {
    return this.firstList;
  }

  /**
   * Brings the cache up to date for a refresh: waits for the first list,
   * then is a no-op while watching, and a paged relist while polling. While
   * failing, the cache keeps the last complete list and the state says why.
   */
  async sync(): Promise<void> {
    if (this.state.mode === 'polling') {
      const wasOverCap = this.overCap;
      await this.relist();
      // Back under the cap, or a refused watch due another try (RBAC or a
      // proxy may have changed since): watched again from the next refresh.
      const backUnderCap = wasOverCap && !this.overCap;
      const retryWatch =
        this.watchRefusedAt !== null &&
        !this.overCap &&
        Date.now() - this.watchRefusedAt >= this.retryRejectedAfterMs();
      if ((backUnderCap || retryWatch) && this.state.synced) {
        this.state.mode = 'starting';
        this.state.unwatchedReason = null;
        this.watchRefusedAt = null;
        this.restart();
      }
      return;
    }
    if (this.state.mode === 'failing' && this.running) {
      // The background loop may be backing off for a minute: a refresh asks
      // now, and a list that succeeds brings the watch back at once.
      if (await this.relist()) this.wakeLoop.abort();
      return;
    }
    if (!this.running) {
      if (
        this.rejectedAt !== null &&
        Date.now() - this.rejectedAt < this.retryRejectedAfterMs()
      ) {
        return;
      }
      this.restart();
    }
    await this.firstList;
  }

  private retryRejectedAfterMs(): number {
    return this.options.retryRejectedAfterMs ?? 10 * 60_000;
  }

  items(): T[] {
    return [...this.objects.values()];
  }

  /**
   * Drops the objects of a collection over the cap once a refresh has read
   * them: it is listed again on the next `sync()`. No-op otherwise.
   */
  release(): void {
    if (this.overCap) this.objects.clear();
  }

  getState(): InformerState {
    return { ...this.state };
  }

  private recovered() {
    if (this.state.mode === 'failing') {
      this.state.mode = 'watching';
      this.state.lastError = null;
    }
  }

  private changed() {
    this.state.generation += 1;
    // The first list is what the refresh that asked for it reads anyway.
    if (this.state.synced) this.options.onChange?.();
  }

  private async relist(): Promise<boolean> {
    const listed = new Map<string, T>();
    let continueToken: string | undefined;
    let resourceVersion = '';
    try {
      do {
        this.state.listRequests += 1;
        const page = await this.options.transport.list({
          limit: this.pageSize,
          continueToken,
        });
        for (const object of page.items) {
          listed.set(this.options.keyOf(object), object);
        }
        resourceVersion = page.resourceVersion;
        continueToken = page.continueToken ?? undefined;
      } while (continueToken);
    } catch (error) {
      this.state.lastError = String((error as Error)?.message ?? error);
      this.state.lastStatusCode =
        (error as CollectionRequestError)?.statusCode ?? null;
      this.state.listFailing = true;
      if (this.state.mode !== 'polling') this.state.mode = 'failing';
      // A list that expired between pages answers 410: the next try starts over.
      this.options.logger.warn(
        `Listing ${this.options.name} failed: ${this.state.lastError}`,
      );
      return false;
    }
    const wasSynced = this.state.synced;
    const wasOverCap = this.overCap;
    const before = this.objects.size;
    let differs = before !== listed.size;
    if (!differs) {
      for (const [key, object] of listed) {
        const old = this.objects.get(key);
        if (!old || JSON.stringify(old) !== JSON.stringify(object)) {
          differs = true;
          break;
        }
      }
    }
    this.objects.clear();
    for (const [key, object] of listed) this.objects.set(key, object);
    const max = this.options.maxObjects;
    this.overCap = max !== undefined && listed.size > max;
    if (this.overCap && this.options.watch !== false) {
      this.state.mode = 'polling';
      this.state.unwatchedReason = `${listed.size} objects, more than the ${max} a watched collection may hold (onepassword.clusterWatch.maxObjectsPerCollection): read by paged lists on each refresh and not kept between refreshes`;
    }
    this.resourceVersion = resourceVersion;
    this.listEpoch += 1;
    this.state.synced = true;
    this.state.lastError = null;
    this.state.lastStatusCode = null;
    this.state.listFailing = false;
    // The list proved the collection readable; a refused watch shows at once.
    if (this.state.mode !== 'polling') this.state.mode = 'watching';
    this.state.lastListAt = this.now().toISOString();
    this.rejectedAt = null;
    if (differs) {
      this.state.generation += 1;
      // A collection over the cap is dropped after each read, so every list
      // differs; and each refresh lists it anyway.
      if (wasSynced && !wasOverCap) this.options.onChange?.();
    }
    return true;
  }

  private async run(signal: AbortSignal): Promise<void> {
    let delay = this.backoff.initialMs;
    let listedAt = 0;
    while (!signal.aborted) {
      if (
        this.resourceVersion === null ||
        Date.now() - listedAt >= this.relistIntervalMs
      ) {
        const ok = await this.relist();
        if (!ok && LIST_REJECTED.has(this.state.lastStatusCode ?? 0)) {
          // Marked stopped before waking the caller, so its next sync() restarts.
          this.rejectedAt = Date.now();
          this.running = false;
          this.resolveFirstList();
          return;
        }
        this.resolveFirstList();
        if (!ok) {
          await this.backoffSleep(delay, signal);
          delay = Math.min(delay * 2, this.backoff.maxMs);
          continue;
        }
        listedAt = Date.now();
        // Over the cap: not watched; `sync()` lists it from now on.
        if (this.state.mode === 'polling') return;
      }
      const outcome = await this.watchOnce(signal, listedAt);
      if (outcome === 'refused') {
        // Lists on demand from now on; `sync()` does them, and tries the
        // watch again once the refusal is as old as a rejected list may get.
        this.watchRefusedAt = Date.now();
        this.state.mode = 'polling';
        this.state.unwatchedReason = `the watch was refused (${this.state.lastError}): read by paged lists on each refresh`;
        this.options.logger.warn(
          `Watching ${this.options.name} is refused (${this.state.lastError}); reading it with paged lists on each refresh instead`,
        );
        return;
      }
      if (outcome === 'gone') {
        this.resourceVersion = null;
        delay = this.backoff.initialMs;
      } else if (outcome === 'ended') {
        delay = this.backoff.initialMs;
      } else if (outcome === 'failed') {
        await this.backoffSleep(delay, signal);
        delay = Math.min(delay * 2, this.backoff.maxMs);
      }
    }
  }

  /** A backoff that a successful list from `sync()` cuts short. */
  private async backoffSleep(ms: number, signal: AbortSignal) {
    if (this.wakeLoop.signal.aborted) this.wakeLoop = new AbortController();
    const wake = this.wakeLoop.signal;
    const either = AbortSignal.any([signal, wake]);
    await this.sleep(ms, either);
  }

  private async watchOnce(
    signal: AbortSignal,
    listedAt: number,
  ): Promise<'ended' | 'gone' | 'failed' | 'refused' | 'relist'> {
    this.state.watchRequests += 1;
    const connection = new AbortController();
    const stopConnection = () => connection.abort();
    signal.addEventListener('abort', stopConnection);
    const relistIn = Math.max(
      0,
      this.relistIntervalMs - (Date.now() - listedAt),
    );
    const relistTimer = setTimeout(stopConnection, relistIn);
    const epoch = this.listEpoch;
    try {
      // Proxies hold a watch's headers back until its first event, so a quiet
      // watch proves nothing until it ends: after a failure, a short one
      // tells that the collection can be watched again.
      const probing = this.state.mode === 'failing';
      const events = await this.options.transport.watch({
        resourceVersion: this.resourceVersion ?? '0',
        timeoutSeconds: probing
          ? PROBE_TIMEOUT_SECONDS
          : this.watchTimeoutSeconds,
        signal: connection.signal,
      });
      for await (const event of events) {
        // A list from sync() replaced the cache meanwhile: resume from it.
        if (this.listEpoch !== epoch) return 'ended';
        this.recovered();
        if (event.type === 'ERROR') {
          this.state.lastError = `${event.code}: ${event.message}`;
          if (event.code === GONE) return 'gone';
          this.state.mode = 'failing';
          return 'failed';
        }
        if (event.type === 'BOOKMARK') {
          this.resourceVersion = event.resourceVersion;
          continue;
        }
        const key = this.options.keyOf(event.object);
        if (event.resourceVersion) this.resourceVersion = event.resourceVersion;
        if (event.type === 'DELETED') {
          if (this.objects.delete(key)) this.changed();
        } else {
          const before = this.objects.get(key);
          this.objects.set(key, event.object);
          // A pod's status updates change nothing its projection keeps: no refresh.
          if (!before || !isDeepStrictEqual(before, event.object)) {
            this.changed();
          }
        }
      }
      if (connection.signal.aborted && !signal.aborted) return 'relist';
      this.recovered();
      return 'ended';
    } catch (error) {
      if (signal.aborted) return 'ended';
      if (connection.signal.aborted) return 'relist';
      const statusCode = (error as CollectionRequestError)?.statusCode;
      this.state.lastError = String((error as Error)?.message ?? error);
      this.state.lastStatusCode = statusCode ?? null;
      if (statusCode === GONE) return 'gone';
      if (statusCode !== undefined && WATCH_REFUSED.has(statusCode)) {
        return 'refused';
      }
      this.state.mode = 'failing';
      this.options.logger.warn(
        `Watching ${this.options.name} failed, resuming with backoff: ${this.state.lastError}`,
      );
      return 'failed';
    } finally {
      connection.abort();
      clearTimeout(relistTimer);
      signal.removeEventListener('abort', stopConnection);
    }
  }
}
