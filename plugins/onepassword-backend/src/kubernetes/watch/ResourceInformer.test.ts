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

import { mockServices } from '@backstage/backend-test-utils';
import {
  CollectionRequestError,
  CollectionTransport,
  ListPage,
  ResourceInformer,
  WatchEvent,
} from './ResourceInformer';

interface Obj {
  name: string;
  v: number;
}

/** A scripted collection: each watch call takes the next script. */
class FakeTransport implements CollectionTransport<Obj> {
  objects = new Map<string, Obj>();
  resourceVersion = 10;
  listCalls: Array<{ continueToken?: string }> = [];
  watchCalls: string[] = [];
  listFailure: Error | null = null;
  /** One entry per watch call: events to send, or an error to throw. */
  watchScripts: Array<WatchEvent<Obj>[] | Error | 'hang'> = [];

  async list(options: {
    limit: number;
    continueToken?: string;
  }): Promise<ListPage<Obj>> {
    this.listCalls.push({ continueToken: options.continueToken });
    if (this.listFailure) throw this.listFailure;
    const all = [...this.objects.values()];
    const start = options.continueToken ? Number(options.continueToken) : 0;
    const page = all.slice(start, start + options.limit);
    const next =
      start + options.limit < all.length ? String(start + options.limit) : null;
    return {
      items: page,
      resourceVersion: String(this.resourceVersion),
      continueToken: next,
    };
  }

  async watch(options: {
    resourceVersion: string;
    timeoutSeconds: number;
    signal: AbortSignal;
  }) {
    this.watchCalls.push(options.resourceVersion);
    const script = this.watchScripts.shift() ?? 'hang';
    if (script instanceof Error) throw script;
    const signal = options.signal;
    return (async function* events() {
      if (script === 'hang') {
        // Ends as the API server does at timeoutSeconds, ten milliseconds a second.
        await new Promise<void>(resolve => {
          const timer = setTimeout(resolve, options.timeoutSeconds * 10);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        return;
      }
      for (const event of script) yield event;
    })();
  }
}

async function eventually(check: () => void) {
  for (let i = 0; i < 200; i++) {
    try {
      check();
      return;
    } catch {
      await new Promise(resolve => setTimeout(resolve, 5));
    }
  }
  check();
}

function informer(
  transport: FakeTransport,
  options: {
    relistIntervalMs?: number;
    retryRejectedAfterMs?: number;
    watch?: boolean;
    maxObjects?: number;
  } = {},
) {
  const sleeps: number[] = [];
  const changes: number[] = [];
  const instance = ResourceInformer.create<Obj>({
    name: 'test/objects',
    transport,
    keyOf: o => o.name,
    logger: mockServices.logger.mock(),
    pageSize: 2,
    backoff: { initialMs: 100, maxMs: 400 },
    relistIntervalMs: options.relistIntervalMs,
    retryRejectedAfterMs: options.retryRejectedAfterMs ?? 0,
    watch: options.watch,
    maxObjects: options.maxObjects,
    sleep: async ms => {
      sleeps.push(ms);
      await new Promise(resolve => setTimeout(resolve, 1));
    },
    onChange: () => changes.push(1),
  });
  return { instance, sleeps, changes };
}

const obj = (name: string, v = 1): Obj => ({ name, v });

describe('ResourceInformer', () => {
  let subject: ResourceInformer<Obj> | undefined;
  afterEach(async () => {
    await subject?.stop();
    subject = undefined;
  });

  it('lists every page, then applies watch events from the list resourceVersion', async () => {
    const transport = new FakeTransport();
    for (const name of ['a', 'b', 'c']) transport.objects.set(name, obj(name));
    transport.watchScripts = [
      [
        { type: 'MODIFIED', object: obj('a', 2), resourceVersion: '11' },
        { type: 'DELETED', object: obj('b'), resourceVersion: '12' },
        { type: 'ADDED', object: obj('d'), resourceVersion: '13' },
      ],
    ];
    const { instance, changes } = informer(transport);
    subject = instance;
    await instance.sync();
    expect(transport.listCalls).toEqual([
      { continueToken: undefined },
      { continueToken: '2' },
    ]);
    await eventually(() =>
      expect(
        instance.items().sort((x, y) => x.name.localeCompare(y.name)),
      ).toEqual([obj('a', 2), obj('c'), obj('d')]),
    );
    expect(transport.watchCalls[0]).toBe('10');
    // The stream ended: the informer resumes from the last event's version.
    await eventually(() => expect(transport.watchCalls[1]).toBe('13'));
    expect(changes).toHaveLength(3);
    expect(instance.getState()).toMatchObject({
      mode: 'watching',
      synced: true,
      listRequests: 2,
    });
  });

  it('sends no request on sync() while watching', async () => {
    const transport = new FakeTransport();
    transport.objects.set('a', obj('a'));
    const { instance } = informer(transport);
    subject = instance;
    await instance.sync();
    await eventually(() => expect(instance.getState().mode).toBe('watching'));
    const before = { ...instance.getState() };
    for (let i = 0; i < 5; i++) await instance.sync();
    expect(instance.getState().listRequests).toBe(before.listRequests);
    expect(instance.getState().watchRequests).toBe(before.watchRequests);
  });

  it('relists on 410 Gone, as an ERROR event or as a status', async () => {
    const transport = new FakeTransport();
    transport.objects.set('a', obj('a'));
    transport.watchScripts = [
      [{ type: 'ERROR', code: 410, message: 'too old resource version' }],
      new CollectionRequestError('gone', 410),
    ];
    const { instance } = informer(transport);
    subject = instance;
    await instance.sync();
    transport.objects.set('b', obj('b'));
    transport.resourceVersion = 20;
    await eventually(() => expect(transport.listCalls.length).toBe(3));
    await eventually(() => expect(instance.items()).toHaveLength(2));
    await eventually(() =>
      expect(transport.watchCalls).toEqual(['10', '20', '20']),
    );
  });

  it('resumes after a dropped connection with bounded exponential backoff', async () => {
    const transport = new FakeTransport();
    transport.objects.set('a', obj('a'));
    transport.watchScripts = [
      new Error('socket hang up'),
      new Error('socket hang up'),
      new Error('socket hang up'),
      new Error('socket hang up'),
    ];
    const { instance, sleeps } = informer(transport);
    subject = instance;
    await instance.sync();
    await eventually(() => expect(transport.watchCalls).toHaveLength(5));
    expect(sleeps).toEqual([100, 200, 400, 400]);
    // Resumed from the same version each time: no relist was needed.
    expect(transport.watchCalls).toEqual(['10', '10', '10', '10', '10']);
    expect(transport.listCalls).toHaveLength(1);
    await eventually(() => expect(instance.getState().mode).toBe('watching'));
  });

  it('says failing while the watch is down, and keeps the last list', async () => {
    const transport = new FakeTransport();
    transport.objects.set('a', obj('a'));
    transport.watchScripts = [new Error('connect ECONNREFUSED')];
    const { instance } = informer(transport);
    subject = instance;
    let release!: () => void;
    const held = new Promise<void>(resolve => {
      release = resolve;
    });
    (instance as any).sleep = async () => held;
    await instance.sync();
    await eventually(() => expect(instance.getState().mode).toBe('failing'));
    expect(instance.getState().lastError).toContain('ECONNREFUSED');
    expect(instance.items()).toEqual([obj('a')]);
    release();
  });

  it('falls back to paged lists on every sync() when the watch is refused', async () => {
    const transport = new FakeTransport();
    transport.objects.set('a', obj('a'));
    transport.watchScripts = [
      new CollectionRequestError('forbidden: watch', 403),
    ];
    const { instance } = informer(transport, { retryRejectedAfterMs: 60_000 });
    subject = instance;
    await instance.sync();
    await eventually(() => expect(instance.getState().mode).toBe('polling'));
    expect(instance.getState().unwatchedReason).toContain(
      'the watch was refused',
    );
    const lists = transport.listCalls.length;
    transport.objects.set('b', obj('b'));
    await instance.sync();
    expect(transport.listCalls.length).toBe(lists + 1);
    expect(instance.items()).toHaveLength(2);
    expect(transport.watchCalls).toHaveLength(1);
  });

  it('tries a refused watch again after a while, and watches once it is allowed', async () => {
    const transport = new FakeTransport();
    transport.objects.set('a', obj('a'));
    transport.watchScripts = [
      new CollectionRequestError('forbidden: watch', 403),
    ];
    const { instance } = informer(transport, { retryRejectedAfterMs: 0 });
    subject = instance;
    await instance.sync();
    await eventually(() => expect(instance.getState().mode).toBe('polling'));
    // The refusal is old enough: this refresh lists, then the watch is tried
    // again, and now the cluster allows it.
    await instance.sync();
    await eventually(() => expect(transport.watchCalls).toHaveLength(2));
    await eventually(() => expect(instance.getState().mode).toBe('watching'));
    expect(instance.getState().unwatchedReason).toBeNull();
    const lists = transport.listCalls.length;
    await instance.sync();
    expect(transport.listCalls).toHaveLength(lists);
  });

  it('neither watches nor keeps a collection over its cap, says why, and watches it again once it is back under', async () => {
    const transport = new FakeTransport();
    for (const name of ['a', 'b', 'c']) transport.objects.set(name, obj(name));
    const { instance, changes } = informer(transport, { maxObjects: 2 });
    subject = instance;
    await instance.sync();
    // This refresh reads the whole collection, paged...
    expect(instance.items().map(o => o.name)).toEqual(['a', 'b', 'c']);
    expect(transport.listCalls).toHaveLength(2);
    const state = instance.getState();
    expect(state.mode).toBe('polling');
    expect(state.unwatchedReason).toContain(
      '3 objects, more than the 2 a watched collection may hold',
    );
    // ...and nothing is kept or watched after it.
    instance.release();
    expect(instance.items()).toEqual([]);
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(transport.watchCalls).toEqual([]);

    // The next refresh lists again, with no change callback for the relist.
    await instance.sync();
    expect(transport.listCalls).toHaveLength(4);
    expect(instance.items()).toHaveLength(3);
    expect(changes).toEqual([]);

    transport.objects.delete('c');
    await instance.sync();
    expect(instance.getState().unwatchedReason).toBeNull();
    await eventually(() => expect(transport.watchCalls).toHaveLength(1));
    expect(instance.getState().mode).toBe('watching');
    instance.release();
    expect(instance.items()).toHaveLength(2);
  });

  it('lists on every sync() and never watches when watching is turned off', async () => {
    const transport = new FakeTransport();
    transport.objects.set('a', obj('a'));
    const { instance } = informer(transport, { watch: false });
    subject = instance;
    await instance.sync();
    transport.objects.set('b', obj('b'));
    await instance.sync();
    expect(transport.listCalls).toHaveLength(2);
    expect(transport.watchCalls).toEqual([]);
    expect(instance.items()).toHaveLength(2);
    expect(instance.getState().mode).toBe('polling');
    transport.listFailure = new CollectionRequestError(
      'Listing answered 503',
      503,
    );
    await instance.sync();
    expect(instance.getState()).toMatchObject({
      listFailing: true,
      lastStatusCode: 503,
    });
    expect(instance.items()).toHaveLength(2);
  });

  it('lists at once on sync() while failing, instead of waiting for the backoff', async () => {
    const transport = new FakeTransport();
    transport.objects.set('a', obj('a'));
    transport.watchScripts = [new Error('connect ECONNREFUSED')];
    const { instance } = informer(transport);
    subject = instance;
    (instance as any).sleep = (_ms: number, signal: AbortSignal) =>
      new Promise<void>(resolve =>
        signal.addEventListener('abort', () => resolve()),
      );
    await instance.sync();
    await eventually(() => expect(instance.getState().mode).toBe('failing'));
    transport.objects.set('b', obj('b'));
    await instance.sync();
    expect(instance.getState().mode).toBe('watching');
    expect(instance.items()).toHaveLength(2);
    // The backoff was cut short: the loop watches again from the new list.
    await eventually(() => expect(transport.watchCalls).toHaveLength(2));
  });

  it('relists in full on the safety-net period', async () => {
    const transport = new FakeTransport();
    transport.objects.set('a', obj('a'));
    const { instance } = informer(transport, { relistIntervalMs: 30 });
    subject = instance;
    await instance.sync();
    await eventually(() =>
      expect(transport.listCalls.length).toBeGreaterThanOrEqual(3),
    );
  });

  it('stops after a rejected list (RBAC, missing CRD) and tries once more on the next sync()', async () => {
    const transport = new FakeTransport();
    transport.listFailure = new CollectionRequestError(
      'Listing answered 403',
      403,
    );
    const { instance, sleeps } = informer(transport);
    subject = instance;
    await instance.sync();
    expect(instance.getState()).toMatchObject({
      mode: 'failing',
      synced: false,
      lastStatusCode: 403,
    });
    await new Promise(resolve => setTimeout(resolve, 20));
    // No retry loop behind a permanent answer.
    expect(transport.listCalls).toHaveLength(1);
    expect(sleeps).toEqual([]);
    await instance.sync();
    expect(transport.listCalls).toHaveLength(2);
    transport.listFailure = null;
    transport.objects.set('a', obj('a'));
    await instance.sync();
    expect(instance.getState()).toMatchObject({
      synced: true,
      mode: 'watching',
      lastStatusCode: null,
    });
    expect(instance.items()).toEqual([obj('a')]);
  });

  it('takes a rejected list as the answer for a while: no request on the refreshes in between', async () => {
    const transport = new FakeTransport();
    transport.listFailure = new CollectionRequestError(
      'Listing answered 404',
      404,
    );
    const { instance } = informer(transport, { retryRejectedAfterMs: 60_000 });
    subject = instance;
    await instance.sync();
    await instance.sync();
    await instance.sync();
    expect(transport.listCalls).toHaveLength(1);
    expect(instance.getState()).toMatchObject({
      mode: 'failing',
      lastStatusCode: 404,
    });
  });

  it('calls onChange for changes after the first list, not for the first list itself', async () => {
    const transport = new FakeTransport();
    transport.objects.set('a', obj('a'));
    transport.watchScripts = [
      [{ type: 'ADDED', object: obj('b'), resourceVersion: '11' }],
    ];
    const { instance, changes } = informer(transport);
    subject = instance;
    await instance.sync();
    await eventually(() => expect(instance.items()).toHaveLength(2));
    expect(changes).toHaveLength(1);
  });

  it('does not count a modification its projection does not see as a change', async () => {
    const transport = new FakeTransport();
    transport.objects.set('a', obj('a'));
    transport.watchScripts = [
      [
        // A pod's status update: the kept metadata is the same.
        { type: 'MODIFIED', object: obj('a'), resourceVersion: '11' },
        { type: 'MODIFIED', object: obj('a', 2), resourceVersion: '12' },
      ],
    ];
    const { instance, changes } = informer(transport);
    subject = instance;
    await instance.sync();
    await eventually(() => expect(instance.items()).toEqual([obj('a', 2)]));
    expect(changes).toHaveLength(1);
  });

  it('retries a failed list with backoff when the failure may pass', async () => {
    const transport = new FakeTransport();
    transport.listFailure = new CollectionRequestError(
      'Listing answered 503',
      503,
    );
    const { instance, sleeps } = informer(transport);
    subject = instance;
    await instance.sync();
    expect(instance.getState()).toMatchObject({
      mode: 'failing',
      lastStatusCode: 503,
    });
    await eventually(() =>
      expect(transport.listCalls.length).toBeGreaterThanOrEqual(3),
    );
    transport.listFailure = null;
    await eventually(() => expect(instance.getState().synced).toBe(true));
    expect(sleeps.slice(0, 2)).toEqual([100, 200]);
  });

  it('does not count an unchanged relist as a change', async () => {
    const transport = new FakeTransport();
    transport.objects.set('a', obj('a'));
    transport.watchScripts = [[{ type: 'ERROR', code: 410, message: 'gone' }]];
    const { instance, changes } = informer(transport);
    subject = instance;
    await instance.sync();
    const afterFirst = changes.length;
    await eventually(() => expect(transport.listCalls.length).toBe(2));
    await eventually(() => expect(transport.watchCalls.length).toBe(2));
    expect(changes.length).toBe(afterFirst);
  });
});
