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

import { DEFAULT_POLL_GRACE_SECONDS } from '@secret-sync/backstage-plugin-onepassword-common';
import { makeRecord } from '../__testUtils__/records';
import { batchedPerTick } from './batchedPerTick';
import { EntitySecretsCache, nextTimeDrivenChange } from './EntitySecretsCache';
import { EntitySelector } from './entityLinking';

const selector = (name: string): EntitySelector => ({
  entityRef: `component:default/${name}`,
  kubernetesId: name,
  requirements: [],
  namespace: null,
});
const answer = (total: number) => ({
  body: Buffer.from(`{"total":${total}}`),
  total,
  items: [],
});
const G1 = '2026-11-28T10:00:00.000Z';
const G2 = '2026-11-28T10:01:00.000Z';

describe('EntitySecretsCache', () => {
  afterEach(() => jest.useRealTimers());

  it('keeps answers of the generation it was last asked for, and drops them at another', () => {
    const cache = EntitySecretsCache.create();
    expect(cache.get(selector('a'), G1)).toBeUndefined();
    cache.set(selector('a'), G1, answer(1));
    expect(cache.get(selector('a'), G1)?.total).toBe(1);
    expect(cache.get(selector('a'), G2)).toBeUndefined();
    // An answer built from the older generation no longer goes in.
    cache.set(selector('a'), G1, answer(1));
    expect(cache.get(selector('a'), G2)).toBeUndefined();
    expect(cache.get(selector('a'), G1)).toBeUndefined();
  });

  it('tells entities apart by how they select, not only by ref', () => {
    const cache = EntitySecretsCache.create();
    cache.get(selector('a'), G1);
    cache.set(selector('a'), G1, answer(1));
    expect(
      cache.get({ ...selector('a'), namespace: 'elsewhere' }, G1),
    ).toBeUndefined();
  });

  it('holds at most maxEntries, dropping the least recently read', () => {
    const cache = EntitySecretsCache.create({ maxEntries: 2 });
    cache.get(selector('a'), G1);
    cache.set(selector('a'), G1, answer(1));
    cache.set(selector('b'), G1, answer(2));
    cache.get(selector('a'), G1);
    cache.set(selector('c'), G1, answer(3));
    expect(cache.get(selector('a'), G1)?.total).toBe(1);
    expect(cache.get(selector('b'), G1)).toBeUndefined();
    expect(cache.get(selector('c'), G1)?.total).toBe(3);
  });

  it('rebuilds an answer after 10 seconds even in the same generation', () => {
    jest.useFakeTimers({ now: Date.parse(G1) });
    const cache = EntitySecretsCache.create();
    cache.get(selector('a'), G1);
    cache.set(selector('a'), G1, answer(1));
    jest.setSystemTime(Date.parse(G1) + 9_999);
    expect(cache.get(selector('a'), G1)).toBeDefined();
    jest.setSystemTime(Date.parse(G1) + 10_000);
    expect(cache.get(selector('a'), G1)).toBeUndefined();
  });
});

describe('nextTimeDrivenChange', () => {
  it('is the earliest stale deadline of a pending record or rotation deadline not yet due', () => {
    const changedAt = '2026-11-28T10:00:00.000Z';
    const staleAt =
      Date.parse(changedAt) + (600 + DEFAULT_POLL_GRACE_SECONDS) * 1000;
    const pending = makeRecord({
      status: 'pending',
      itemUpdatedAt: changedAt,
    });
    const rotating = makeRecord({
      rotateBy: '2026-11-28T10:05:00.000Z',
      rotationDue: false,
    });
    const due = makeRecord({
      rotateBy: '2026-11-28T09:00:00.000Z',
      rotationDue: true,
    });
    expect(nextTimeDrivenChange([makeRecord()])).toBe(Infinity);
    expect(nextTimeDrivenChange([pending, due])).toBe(staleAt);
    expect(nextTimeDrivenChange([pending, rotating])).toBe(
      Date.parse('2026-11-28T10:05:00.000Z'),
    );
  });
});

describe('batchedPerTick', () => {
  it('answers the calls of one turn from one run, at most maxBatch at a time', async () => {
    const run = jest.fn(async (inputs: number[]) => inputs.map(i => i * 10));
    const load = batchedPerTick(run, 2);
    await expect(Promise.all([load(1), load(2), load(3)])).resolves.toEqual([
      10, 20, 30,
    ]);
    expect(run.mock.calls).toEqual([[[1, 2]], [[3]]]);
    await expect(load(4)).resolves.toBe(40);
    expect(run).toHaveBeenCalledTimes(3);
  });

  it('rejects every call of a batch whose run fails', async () => {
    const load = batchedPerTick(async (_: number[]): Promise<number[]> => {
      throw new Error('database down');
    }, 10);
    const results = await Promise.allSettled([load(1), load(2)]);
    expect(results.map(r => r.status)).toEqual(['rejected', 'rejected']);
  });
});
