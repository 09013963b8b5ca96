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

import { ConflictError } from '@backstage/errors';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  RefreshRateLimitedError,
  RefreshTrigger,
} from '../service/RefreshTrigger';
import { DatabaseRefreshLimiter } from './DatabaseRefreshLimiter';
import { DatabaseSecretSyncStore } from './DatabaseSecretSyncStore';

jest.setTimeout(60_000);

const { databases, supportedIds } = createTestDatabases();

describe.each(supportedIds)(
  'the refresh rate limit shared through the database (%s)',
  databaseId => {
    let now: number;
    const startRefresh = jest.fn();
    /** Two replicas: each its own trigger and limiter, one database. */
    let replicas: RefreshTrigger[];

    beforeEach(async () => {
      const knex = await databases.init(databaseId);
      const database = { getClient: async () => knex };
      const store = await DatabaseSecretSyncStore.create({ database });
      now = 1_800_000_000_000;
      startRefresh.mockReset();
      replicas = await Promise.all(
        [1, 2].map(async () =>
          RefreshTrigger.create({
            start: startRefresh,
            store,
            limiter: await DatabaseRefreshLimiter.create({ database }),
            now: () => now,
          }),
        ),
      );
    });

    it('refuses a second trigger on the other replica within the window', async () => {
      const [a, b] = replicas;
      await expect(a.trigger('user:default/alice')).resolves.toMatchObject({
        triggered: true,
      });
      now += 4_000;
      await expect(b.trigger('user:default/alice')).rejects.toEqual(
        new RefreshRateLimitedError(6),
      );
      now += 6_000;
      await expect(b.trigger('user:default/alice')).resolves.toMatchObject({
        triggered: true,
      });
      expect(startRefresh).toHaveBeenCalledTimes(2);
    });

    it('limits each user on their own', async () => {
      const [a, b] = replicas;
      await a.trigger('user:default/alice');
      await expect(b.trigger('user:default/bob')).resolves.toMatchObject({
        triggered: true,
      });
      await expect(a.trigger('user:default/bob')).rejects.toBeInstanceOf(
        RefreshRateLimitedError,
      );
    });

    it('lets one of two triggers at once through, across replicas', async () => {
      const results = await Promise.allSettled(
        [...replicas, ...replicas].map(r => r.trigger('user:default/alice')),
      );
      expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
      expect(startRefresh).toHaveBeenCalledTimes(1);
    });

    it('does not use up the window on a refused trigger (409), on either replica', async () => {
      const [a, b] = replicas;
      await a.trigger('user:default/alice');
      now += 10_000;
      startRefresh.mockRejectedValueOnce(
        new ConflictError('A refresh is already running'),
      );
      await expect(a.trigger('user:default/alice')).rejects.toBeInstanceOf(
        ConflictError,
      );
      // The window is the one before the refusal: open.
      await expect(b.trigger('user:default/alice')).resolves.toMatchObject({
        triggered: true,
      });
      // A first trigger refused leaves no window behind either.
      startRefresh.mockRejectedValueOnce(new ConflictError('running'));
      await expect(a.trigger('user:default/bob')).rejects.toBeInstanceOf(
        ConflictError,
      );
      await expect(b.trigger('user:default/bob')).resolves.toMatchObject({
        triggered: true,
      });
    });
  },
);
