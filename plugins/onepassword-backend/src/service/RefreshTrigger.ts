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

import { CustomErrorBase } from '@backstage/errors';
import { RefreshResponse } from '@secret-sync/backstage-plugin-onepassword-common';
import { RefreshLimiter } from '../database/DatabaseRefreshLimiter';
import { SecretSyncStore } from '../database/SecretSyncStore';

/** A refresh was asked for too soon after the last one: HTTP 429. */
export class RefreshRateLimitedError extends CustomErrorBase {
  name = 'RefreshRateLimitedError' as const;
  readonly statusCode = 429;

  constructor(readonly retryAfterSeconds: number) {
    super(
      `A refresh was triggered less than ${retryAfterSeconds}s ago; try again later`,
    );
  }
}

/**
 * Starts the refresh on demand, at most once per interval per caller, a
 * limit shared by every replica on the database. `start` answers
 * ConflictError (409) while a refresh runs, on any replica.
 */
export class RefreshTrigger {
  static create(options: {
    /** Starts a refresh; ConflictError while one runs (ExclusiveRefresh.start). */
    start: () => Promise<void>;
    store: SecretSyncStore;
    limiter: RefreshLimiter;
    minIntervalMs?: number;
    now?: () => number;
  }) {
    return new RefreshTrigger(
      options.start,
      options.store,
      options.limiter,
      options.minIntervalMs ?? 10_000,
      options.now ?? Date.now,
    );
  }

  private constructor(
    private readonly start: () => Promise<void>,
    private readonly store: SecretSyncStore,
    private readonly limiter: RefreshLimiter,
    private readonly minIntervalMs: number,
    private readonly now: () => number,
  ) {}

  /**
   * Starts a refresh now for `caller` (a user or service ref), at
   * most once per interval per caller. A refused start (409: a refresh is
   * already running) does not use up the caller's interval.
   */
  async trigger(caller: string): Promise<RefreshResponse> {
    // Claimed before the task starts, so two requests at once, even on two
    // replicas, cannot both start one.
    const claim = await this.limiter.claim(
      caller,
      this.now(),
      this.minIntervalMs,
    );
    if (!claim.claimed) {
      throw new RefreshRateLimitedError(Math.ceil(claim.waitMs / 1000));
    }
    try {
      await this.start();
    } catch (error) {
      await claim.release();
      throw error;
    }
    return {
      triggered: true,
      lastRefreshAt: await this.store.getLastRefreshAt(),
    };
  }
}
