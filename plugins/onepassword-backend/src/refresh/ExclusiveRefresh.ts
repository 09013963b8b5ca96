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

import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { CronTime } from 'cron';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { RefreshLease } from '../database/DatabaseRefreshLease';

/** The scheduler task id of the refresh. */
export const REFRESH_TASK_ID = 'onepassword-refresh';

/** How often a replica looks whether the refresh is due or its holder gone. */
const MAX_CHECK_MS = 5_000;
/** How long a lease lasts unless renewed; a dead holder's is gone this soon. */
const MAX_LEASE_MS = 15_000;
const MIN_LEASE_MS = 3_000;

type Cadence =
  | { kind: 'manual' }
  | { kind: 'every'; ms: number }
  | { kind: 'cron'; expression: string };

function cadenceOf(
  frequency: SchedulerServiceTaskScheduleDefinition['frequency'],
): Cadence {
  if ('trigger' in frequency) return { kind: 'manual' };
  if ('cron' in frequency) return { kind: 'cron', expression: frequency.cron };
  return { kind: 'every', ms: millisecondsOf(frequency) };
}

function millisecondsOf(
  duration: SchedulerServiceTaskScheduleDefinition['timeout'],
): number {
  // A luxon Duration has toMillis; the config reader gives a HumanDuration.
  const luxon = duration as { toMillis?: () => number };
  return typeof luxon.toMillis === 'function'
    ? luxon.toMillis()
    : durationToMilliseconds(duration as HumanDuration);
}

/**
 * Runs the refresh on exactly one replica at a time, on the configured
 * schedule, and takes it over within seconds when that replica dies.
 *
 * Backstage's global tasks hold their lock until the task's timeout, so a
 * replica killed mid-refresh would stop every refresh for that long (5
 * minutes by default). Here each replica instead checks a lease in the
 * plugin database every few seconds (a local task): the replica that claims
 * it refreshes and renews it while it runs, and the next run is due a
 * period after that run began. A dead holder stops renewing, and the next
 * check after its lease ran out (at most 15 s) takes the refresh over. The
 * replica that ran the last refresh looks first (two checks' time): it
 * keeps what it evaluated and re-evaluates only what changed since.
 */
export class ExclusiveRefresh {
  static create(options: {
    lease: RefreshLease;
    scheduler: SchedulerService;
    schedule: SchedulerServiceTaskScheduleDefinition;
    logger: LoggerService;
  }): ExclusiveRefresh {
    return new ExclusiveRefresh(
      options.lease,
      options.scheduler,
      options.schedule,
      options.logger,
      `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`,
    );
  }

  private readonly cadence: Cadence;
  private readonly checkMs: number;
  private readonly leaseMs: number;
  private readonly timeoutMs: number;

  private constructor(
    private readonly lease: RefreshLease,
    private readonly scheduler: SchedulerService,
    private readonly schedule: SchedulerServiceTaskScheduleDefinition,
    private readonly logger: LoggerService,
    private readonly holder: string,
  ) {
    this.cadence = cadenceOf(schedule.frequency);
    this.timeoutMs = millisecondsOf(schedule.timeout);
    this.checkMs =
      this.cadence.kind === 'every'
        ? Math.min(MAX_CHECK_MS, this.cadence.ms)
        : MAX_CHECK_MS;
    this.leaseMs =
      this.cadence.kind === 'every'
        ? Math.min(MAX_LEASE_MS, Math.max(MIN_LEASE_MS, this.cadence.ms))
        : MAX_LEASE_MS;
  }

  /** Registers the refresh with the scheduler. Call once. */
  async register(refresh: () => Promise<void>): Promise<void> {
    const fn = () => this.runIfDue(refresh);
    if (this.cadence.kind === 'manual') {
      // Runs only when started; the lease still keeps replicas apart.
      await this.scheduler.scheduleTask({
        id: REFRESH_TASK_ID,
        frequency: { trigger: 'manual' },
        timeout: this.schedule.timeout,
        scope: 'global',
        fn,
      });
      return;
    }
    await this.scheduler.scheduleTask({
      id: REFRESH_TASK_ID,
      frequency: { milliseconds: this.checkMs },
      timeout: this.schedule.timeout,
      initialDelay: this.schedule.initialDelay,
      // Every replica checks; the lease decides which one runs it.
      scope: 'local',
      fn,
    });
  }

  /**
   * Starts a refresh now, on this replica. ConflictError (409) while a
   * refresh runs on any replica.
   */
  async start(): Promise<void> {
    if (!(await this.lease.requestRun())) {
      throw new ConflictError('A refresh is already running');
    }
    try {
      await this.scheduler.triggerTask(REFRESH_TASK_ID);
    } catch (error) {
      // This replica is looking whether a refresh is due right now; it will
      // find the one just asked for at its next look, seconds away.
      const busyLooking =
        (error as Error)?.name === 'ConflictError' &&
        this.cadence.kind !== 'manual';
      if (!busyLooking) throw error;
    }
  }

  private async runIfDue(refresh: () => Promise<void>): Promise<void> {
    // Two looks' time: the last holder's next look comes within it. With a
    // manual frequency nobody looks: each run is one a caller asked for.
    const claim = await this.lease.claim(
      this.holder,
      this.leaseMs,
      this.cadence.kind === 'manual' ? 0 : 2 * this.checkMs,
    );
    if (!claim.claimed) return;
    this.logger.debug(`Claimed the refresh lease as ${this.holder}`);
    if (claim.tookOverFrom) {
      this.logger.info(
        `Took the refresh over from ${claim.tookOverFrom}, whose lease ran out`,
      );
    }
    const startedAt = Date.now();
    const renewal = this.keepRenewing(startedAt);
    try {
      await refresh();
    } finally {
      renewal.stop();
      await this.lease.release(this.holder, this.nextRunInMs(startedAt));
    }
  }

  /** Renews the lease while the refresh runs, up to the task's timeout. */
  private keepRenewing(startedAt: number) {
    const timer = setInterval(async () => {
      if (Date.now() - startedAt > this.timeoutMs) {
        clearInterval(timer);
        this.logger.warn(
          `The refresh has run longer than its timeout (${this.timeoutMs} ms); its lease is let go, so another replica may start one`,
        );
        return;
      }
      try {
        if (!(await this.lease.renew(this.holder, this.leaseMs))) {
          clearInterval(timer);
          this.logger.warn(
            'Another replica took the refresh over while this one ran: this replica could not renew its lease in time',
          );
        }
      } catch (error) {
        // The next renewal tries again; the lease outlasts a few misses.
        this.logger.warn(`Could not renew the refresh lease: ${error}`);
      }
    }, this.leaseMs / 3);
    timer.unref?.();
    return { stop: () => clearInterval(timer) };
  }

  private nextRunInMs(startedAt: number): number {
    switch (this.cadence.kind) {
      case 'manual':
        // Due whenever the task is started; it never starts on its own.
        return 0;
      case 'every':
        return Math.max(0, startedAt + this.cadence.ms - Date.now());
      default:
        return new CronTime(this.cadence.expression).getTimeout();
    }
  }
}
