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

import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const TRIGGERS = 'onepassword_refresh_triggers';
/** The mark of a caller who never triggered, older than any window. */
const NEVER = -Number.MAX_SAFE_INTEGER;

/** The answer to a claim on a caller's refresh window. */
export type RefreshClaim =
  | {
      claimed: true;
      /** Gives the window back, as if the claim had not been made. */
      release(): Promise<void>;
    }
  | { claimed: false; waitMs: number };

/** At most one on-demand refresh per interval per caller. */
export interface RefreshLimiter {
  claim(caller: string, now: number, intervalMs: number): Promise<RefreshClaim>;
}

/**
 * The refresh rate limit kept in the plugin database, so that every replica
 * on the database shares it. Each claim is one conditional update, which
 * PostgreSQL and SQLite apply atomically: of two replicas claiming the same
 * caller's window at once, one wins. Run after the store's migrations.
 */
export class DatabaseRefreshLimiter implements RefreshLimiter {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseRefreshLimiter> {
    return new DatabaseRefreshLimiter(await options.database.getClient());
  }

  private constructor(private readonly db: Knex) {}

  async claim(
    caller: string,
    now: number,
    intervalMs: number,
  ): Promise<RefreshClaim> {
    const previous = await this.lastTriggeredAt(caller);
    if (previous === undefined) {
      await this.db(TRIGGERS)
        .insert({ caller, triggered_at: NEVER })
        .onConflict('caller')
        .ignore();
    }
    const updated = await this.db(TRIGGERS)
      .where({ caller })
      .andWhere('triggered_at', '<=', now - intervalMs)
      .update({ triggered_at: now });
    if (updated === 0) {
      const last = (await this.lastTriggeredAt(caller)) ?? now;
      return { claimed: false, waitMs: Math.max(1, last + intervalMs - now) };
    }
    return {
      claimed: true,
      release: async () => {
        // Only this claim's own mark is undone, never a later one.
        await this.db(TRIGGERS)
          .where({ caller, triggered_at: now })
          .update({ triggered_at: previous ?? NEVER });
      },
    };
  }

  private async lastTriggeredAt(caller: string): Promise<number | undefined> {
    const row = await this.db(TRIGGERS)
      .where({ caller })
      .first<{ triggered_at: number | string } | undefined>('triggered_at');
    // PostgreSQL answers a bigint as a string.
    return row ? Number(row.triggered_at) : undefined;
  }
}
