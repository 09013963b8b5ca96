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

import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseRefreshLease } from './DatabaseRefreshLease';
import { DatabaseSecretSyncStore } from './DatabaseSecretSyncStore';

jest.setTimeout(60_000);

const { databases, supportedIds } = createTestDatabases();

const LONG = 60_000;
/** How long the last holder alone may claim a due run. */
const FIRST = 10_000;

describe.each(supportedIds)('the refresh lease (%s)', databaseId => {
  let knex: Knex;
  /** Two replicas' views of one database. */
  let a: DatabaseRefreshLease;
  let b: DatabaseRefreshLease;

  beforeEach(async () => {
    knex = await databases.init(databaseId);
    const database = { getClient: async () => knex };
    await DatabaseSecretSyncStore.create({ database });
    a = await DatabaseRefreshLease.create({ database });
    b = await DatabaseRefreshLease.create({ database });
  });

  /** Moves the lease's times back, as if `ms` had passed on the database clock. */
  async function age(ms: number) {
    await knex('onepassword_refresh_lease').update({
      expires_at: knex.raw('expires_at - ?', [ms]),
      next_run_at: knex.raw('next_run_at - ?', [ms]),
    });
  }

  it('is due at first, and only one of two claims at once wins', async () => {
    const claims = await Promise.all([
      a.claim('a', LONG, FIRST),
      b.claim('b', LONG, FIRST),
      a.claim('a2', LONG, FIRST),
    ]);
    expect(claims.filter(c => c.claimed)).toHaveLength(1);
  });

  it('is not due again until the next run, and not free while held', async () => {
    expect(await a.claim('a', LONG, FIRST)).toEqual({ claimed: true });
    expect(await b.claim('b', LONG, FIRST)).toEqual({ claimed: false });
    // Held: nobody can ask for a run either.
    expect(await b.requestRun()).toBe(false);
    await a.release('a', LONG);
    expect(await b.claim('b', LONG, FIRST)).toEqual({ claimed: false });
    await age(LONG + FIRST + 1_000);
    expect(await b.claim('b', LONG, FIRST)).toEqual({ claimed: true });
  });

  it('gives the replica that ran the last refresh the first refusal of the next', async () => {
    await a.claim('a', LONG, FIRST);
    await a.release('a', 0);
    // Due, but for a first.
    expect(await b.claim('b', LONG, FIRST)).toEqual({ claimed: false });
    expect(await a.claim('a', LONG, FIRST)).toEqual({ claimed: true });
    await a.release('a', 0);
    // a did not take it in time (gone, or busy): anyone may.
    await age(FIRST + 1_000);
    expect(await b.claim('b', LONG, FIRST)).toEqual({ claimed: true });
  });

  it('lets a request make the next run due now, for the replica asked, when none runs', async () => {
    await a.claim('a', LONG, FIRST);
    await a.release('a', LONG);
    expect(await b.requestRun()).toBe(true);
    expect(await b.claim('b', LONG, FIRST)).toEqual({ claimed: true });
  });

  it('is taken over once a holder stops renewing, naming that holder', async () => {
    expect((await a.claim('a', 5_000, FIRST)).claimed).toBe(true);
    await age(4_000);
    // Renewed in time: still a's.
    expect(await a.renew('a', 5_000)).toBe(true);
    await age(4_000);
    expect(await b.claim('b', 5_000, FIRST)).toEqual({ claimed: false });
    // a dies here: no renewal; its lease runs out.
    await age(2_000);
    expect(await b.claim('b', 5_000, FIRST)).toEqual({
      claimed: true,
      tookOverFrom: 'a',
    });
    // The old holder can neither renew nor release what is no longer its own.
    expect(await a.renew('a', 5_000)).toBe(false);
    await a.release('a', 0);
    expect(await a.claim('a', 5_000, FIRST)).toEqual({ claimed: false });
    expect(await b.renew('b', 5_000)).toBe(true);
  });

  it('keeps its row and schedule when a replica starts again', async () => {
    await a.claim('a', LONG, FIRST);
    await a.release('a', LONG);
    const restarted = await DatabaseRefreshLease.create({
      database: { getClient: async () => knex },
    });
    expect(await restarted.claim('c', LONG, FIRST)).toEqual({ claimed: false });
  });
});
