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

import { LoggerService } from '@backstage/backend-plugin-api';
import { SecretSyncStore } from '../database/SecretSyncStore';
import { HistoryConfig } from './historyConfig';

/** The scheduler task that prunes the history. @public */
export const HISTORY_PRUNE_TASK_ID = 'onepassword-history-prune';

/**
 * Keeps status transitions for `onepassword.history.retention` and deletes
 * older ones; a scheduled task runs it, apart from the refresh, so the
 * refresh never waits on a large delete.
 * @public
 */
export class HistoryRetention {
  static create(options: {
    store: SecretSyncStore;
    config: HistoryConfig;
    logger: LoggerService;
  }) {
    return new HistoryRetention(options.store, options.config, options.logger);
  }

  private constructor(
    private readonly store: SecretSyncStore,
    private readonly config: HistoryConfig,
    private readonly logger: LoggerService,
  ) {}

  /** Deletes the transitions older than the retention; returns how many. */
  async prune(now: Date = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.config.retentionMs);
    const deleted = await this.store.pruneTransitions(before.toISOString());
    if (deleted > 0) {
      this.logger.info(
        `Deleted ${deleted} status transitions older than ${before.toISOString()}`,
      );
    }
    return deleted;
  }
}
