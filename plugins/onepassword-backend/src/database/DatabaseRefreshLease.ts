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

const LEASE = 'onepassword_refresh_lease';
const REFRESH = 'refresh';

/** The answer to a claim on the refresh. */
export type RefreshLeaseClaim =
  | { claimed: false }
  | {
      claimed: true;
      /** The replica whose lease had run out when this one took it over. */
      tookOverFrom?: string;
    };

/**
 * Who runs the refresh: one replica at a time holds a lease that it renews
 * while it runs. A replica that dies stops renewing, so the refresh is free
 * again when the lease runs out, not when the task's timeout would end it.
 */
export interface RefreshLease {
  /**
   * Takes the lease for `holder` for `ttlMs` when nobody holds a live one
   * and the next run is due. For `firstRefusalMs` after it is due, only the
   * replica that ran the last refresh may take it (it re-evaluates only what
   * changed since); after that, anyone.
   */
  claim(
    holder: string,
    ttlMs: number,
    firstRefusalMs: number,
  ): Promise<RefreshLeaseClaim>;
  /** Extends the holder's lease by `ttlMs`; false when it no longer holds it. */
  renew(holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up; the next run is due `nextRunInMs` from now. */
  release(holder: string, nextRunInMs: number): Promise<void>;
  /**
   * Makes the next run due now, for whichever replica asks first, unless a
   * replica holds a live lease: false then (a refresh is running).
   */
  requestRun(): Promise<boolean>;
}

/**
 * The refresh lease in the plugin database. Times are the database's clock,
 * so replicas whose clocks disagree still agree on when a lease ran out, and
 * each change is one conditional update, which PostgreSQL and SQLite apply
 * atomically: of two replicas claiming at once, one wins. Run after the
 * store's migrations.
 */
export class DatabaseRefreshLease implements RefreshLease {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseRefreshLease> {
    const db = await options.database.getClient();
    const lease = new DatabaseRefreshLease(db);
    // Due at once: a first start refreshes as soon as it can; a later start
    // finds the row and its schedule.
    await db(LEASE)
      .insert({ id: REFRESH, holder: null, expires_at: null, next_run_at: 0 })
      .onConflict('id')
      .ignore();
    return lease;
  }

  private constructor(private readonly db: Knex) {}

  async claim(
    holder: string,
    ttlMs: number,
    firstRefusalMs: number,
  ): Promise<RefreshLeaseClaim> {
    const previous = await this.db(LEASE)
      .where({ id: REFRESH })
      .first<{ holder: string | null } | undefined>('holder');
    const updated = await this.free()
      .andWhere('next_run_at', '<=', this.now())
      .andWhere(first =>
        first
          .whereNull('last_holder')
          .orWhere('last_holder', holder)
          .orWhere('next_run_at', '<=', this.now(-firstRefusalMs)),
      )
      .update({ holder, expires_at: this.now(ttlMs) });
    if (updated === 0) return { claimed: false };
    return previous?.holder
      ? { claimed: true, tookOverFrom: previous.holder }
      : { claimed: true };
  }

  async renew(holder: string, ttlMs: number): Promise<boolean> {
    const updated = await this.db(LEASE)
      .where({ id: REFRESH, holder })
      .update({ expires_at: this.now(ttlMs) });
    return updated > 0;
  }

  async release(holder: string, nextRunInMs: number): Promise<void> {
    await this.db(LEASE)
      .where({ id: REFRESH, holder })
      .update({
        holder: null,
        expires_at: null,
        next_run_at: this.now(nextRunInMs),
        last_holder: holder,
      });
  }

  async requestRun(): Promise<boolean> {
    // The replica asked runs it, not the last holder: with a manual
    // frequency no other replica would look.
    const updated = await this.free().update({
      next_run_at: this.now(),
      last_holder: null,
    });
    return updated > 0;
  }

  /** The lease row, when no replica holds a live lease on it. */
  private free() {
    return this.db(LEASE)
      .where({ id: REFRESH })
      .andWhere(free =>
        free.whereNull('holder').orWhere('expires_at', '<', this.now()),
      );
  }

  /** The database's time plus `plusMs`, in milliseconds since the epoch. */
  private now(plusMs = 0): Knex.Raw {
    const client = String(this.db.client.config.client);
    if (client.includes('sqlite')) {
      return this.db.raw(
        `(CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + ?)`,
        [plusMs],
      );
    }
    if (client.includes('mysql')) {
      return this.db.raw(
        `(CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED) + ?)`,
        [plusMs],
      );
    }
    return this.db.raw(
      `(CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT) + ?)`,
      [plusMs],
    );
  }
}
