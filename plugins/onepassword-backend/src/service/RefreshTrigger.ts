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

import { SchedulerService } from '@backstage/backend-plugin-api';
import { CustomErrorBase } from '@backstage/errors';
import { RefreshResponse } from '@secret-sync/backstage-plugin-onepassword-common';
import { SecretSyncStore } from '../database/SecretSyncStore';

/** The scheduler task id of the refresh. */
export const REFRESH_TASK_ID = 'onepassword-refresh';

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
 * Triggers the scheduled refresh on demand, at most once per interval per
 * backend instance. The scheduler answers ConflictError (409) while the task
 * runs.
 */
export class RefreshTrigger {
  /** When each caller last started a refresh: the limit is per user. */
  private readonly lastTriggeredAt = new Map<string, number>();

  static create(options: {
    scheduler: SchedulerService;
    store: SecretSyncStore;
    minIntervalMs?: number;
    now?: () => number;
  }) {
    return new RefreshTrigger(
      options.scheduler,
      options.store,
      options.minIntervalMs ?? 10_000,
      options.now ?? Date.now,
    );
  }

  private constructor(
    private readonly scheduler: SchedulerService,
    private readonly store: SecretSyncStore,
    private readonly minIntervalMs: number,
    private readonly now: () => number,
  ) {}

  /**
   * Starts the refresh task now for `caller` (a user or service ref), at
   * most once per interval per caller. A refused start (409: a refresh is
   * already running) does not use up the caller's interval.
   */
  async trigger(caller: string): Promise<RefreshResponse> {
    const previous = this.lastTriggeredAt.get(caller);
    const waitMs = (previous ?? -Infinity) + this.minIntervalMs - this.now();
    if (waitMs > 0) throw new RefreshRateLimitedError(Math.ceil(waitMs / 1000));
    // Taken before the await, so two requests at once cannot both start one.
    this.lastTriggeredAt.set(caller, this.now());
    try {
      await this.scheduler.triggerTask(REFRESH_TASK_ID);
    } catch (error) {
      if (previous === undefined) this.lastTriggeredAt.delete(caller);
      else this.lastTriggeredAt.set(caller, previous);
      throw error;
    }
    return {
      triggered: true,
      lastRefreshAt: await this.store.getLastRefreshAt(),
    };
  }
}
