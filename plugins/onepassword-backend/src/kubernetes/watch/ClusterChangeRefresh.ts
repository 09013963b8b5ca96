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

/**
 * Runs the refresh soon after a watched cluster changed, so a change shows in
 * the API within seconds rather than at the next scheduled refresh. Changes
 * within `delayMs` of each other share one refresh. With several replicas
 * each sees the change in its own watches, and whichever starts first runs
 * the refresh (ExclusiveRefresh).
 */
const MAX_TRIES = 5;

export class ClusterChangeRefresh {
  static create(options: {
    /** Starts a refresh; ConflictError while one runs (ExclusiveRefresh.start). */
    start: () => Promise<void>;
    /** Null: refresh only on the schedule. */
    delayMs: number | null;
    logger: LoggerService;
  }) {
    return new ClusterChangeRefresh(options);
  }

  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly options: {
      start: () => Promise<void>;
      delayMs: number | null;
      logger: LoggerService;
    },
  ) {}

  readonly onChange = (cluster: string): void => {
    this.schedule(cluster, MAX_TRIES);
  };

  private schedule(cluster: string, triesLeft: number) {
    const { delayMs } = this.options;
    if (delayMs === null || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.options.start().catch(error => {
        // A refresh that is running may have read this cluster before the
        // change: ask again once it is done.
        if ((error as Error)?.name === 'ConflictError' && triesLeft > 1) {
          this.schedule(cluster, triesLeft - 1);
          return;
        }
        this.options.logger.debug(
          `Refresh after a change in cluster ${cluster} not triggered: ${error}`,
        );
      });
    }, delayMs);
    this.timer.unref?.();
  }
}
