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
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { RefreshLease } from '../database/DatabaseRefreshLease';
import { ExclusiveRefresh, REFRESH_TASK_ID } from './ExclusiveRefresh';

type Task = SchedulerServiceTaskScheduleDefinition &
  SchedulerServiceTaskInvocationDefinition;

function fakeLease() {
  return {
    claim: jest.fn<
      ReturnType<RefreshLease['claim']>,
      Parameters<RefreshLease['claim']>
    >(async () => ({ claimed: true })),
    renew: jest.fn<
      ReturnType<RefreshLease['renew']>,
      Parameters<RefreshLease['renew']>
    >(async () => true),
    release: jest.fn<
      ReturnType<RefreshLease['release']>,
      Parameters<RefreshLease['release']>
    >(async () => {}),
    requestRun: jest.fn<ReturnType<RefreshLease['requestRun']>, []>(
      async () => true,
    ),
  };
}

function setUp(
  schedule: SchedulerServiceTaskScheduleDefinition,
  lease = fakeLease(),
) {
  const tasks: Task[] = [];
  const triggerTask = jest.fn(async () => {});
  const logger = mockServices.logger.mock();
  const refresh = ExclusiveRefresh.create({
    lease,
    scheduler: mockServices.scheduler.mock({
      scheduleTask: async task => {
        tasks.push(task);
      },
      triggerTask,
    }),
    schedule,
    logger,
  });
  return { refresh, lease, tasks, triggerTask, logger };
}

/** Registers a refresh that runs until `finish()`, and starts it. */
async function startHeldRefresh(refresh: ExclusiveRefresh, tasks: Task[]) {
  let finish: () => void = () => {};
  await refresh.register(
    () =>
      new Promise<void>(resolve => {
        finish = resolve;
      }),
  );
  const run = tasks[0].fn(new AbortController().signal);
  return { run, finish: () => finish() };
}

describe('ExclusiveRefresh', () => {
  afterEach(() => jest.useRealTimers());

  it('looks on every replica (a local task) at most every 5 s, and at the period when shorter', async () => {
    const slow = setUp({ frequency: { minutes: 1 }, timeout: { minutes: 5 } });
    await slow.refresh.register(async () => {});
    expect(slow.tasks).toEqual([
      expect.objectContaining({
        id: REFRESH_TASK_ID,
        scope: 'local',
        frequency: { milliseconds: 5_000 },
        timeout: { minutes: 5 },
      }),
    ]);
    const fast = setUp({ frequency: { seconds: 2 }, timeout: { minutes: 5 } });
    await fast.refresh.register(async () => {});
    expect(fast.tasks[0].frequency).toEqual({ milliseconds: 2_000 });
  });

  it('runs only on demand with a manual frequency, on whichever replica is asked', async () => {
    const { refresh, tasks, lease } = setUp({
      frequency: { trigger: 'manual' },
      timeout: { minutes: 5 },
    });
    await refresh.register(async () => {});
    expect(tasks[0]).toMatchObject({
      frequency: { trigger: 'manual' },
      scope: 'global',
    });
    // No first refusal for the last holder: no replica looks on its own.
    await tasks[0].fn(new AbortController().signal);
    expect(lease.claim).toHaveBeenCalledWith(expect.any(String), 15_000, 0);
  });

  it('refreshes only when it claims the lease, and makes the next run due a period after this one began', async () => {
    jest.useFakeTimers({ now: 1_800_000_000_000 });
    const lease = fakeLease();
    const { refresh, tasks } = setUp(
      { frequency: { seconds: 60 }, timeout: { minutes: 5 } },
      lease,
    );
    const work = jest.fn(async () => {
      jest.setSystemTime(Date.now() + 20_000);
    });
    await refresh.register(work);
    await tasks[0].fn(new AbortController().signal);
    expect(work).toHaveBeenCalledTimes(1);
    expect(lease.claim).toHaveBeenCalledWith(
      expect.any(String),
      15_000,
      10_000,
    );
    const [holder] = lease.claim.mock.calls[0];
    expect(lease.release).toHaveBeenCalledWith(holder, 40_000);

    lease.claim.mockResolvedValueOnce({ claimed: false });
    await tasks[0].fn(new AbortController().signal);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('releases the lease when the refresh fails', async () => {
    const lease = fakeLease();
    const { refresh, tasks } = setUp(
      { frequency: { seconds: 60 }, timeout: { minutes: 5 } },
      lease,
    );
    await refresh.register(async () => {
      throw new Error('boom');
    });
    await expect(tasks[0].fn(new AbortController().signal)).rejects.toThrow(
      'boom',
    );
    expect(lease.release).toHaveBeenCalledTimes(1);
  });

  it('renews the lease a third of its length apart while it runs, and lets it go past the timeout', async () => {
    jest.useFakeTimers({ now: 1_800_000_000_000 });
    const lease = fakeLease();
    const { refresh, tasks, logger } = setUp(
      { frequency: { seconds: 60 }, timeout: { seconds: 30 } },
      lease,
    );
    const { run, finish } = await startHeldRefresh(refresh, tasks);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(lease.renew).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(25_000);
    expect(lease.renew).toHaveBeenCalledTimes(6);
    // Past the timeout: no more renewals, and a warning says why.
    await jest.advanceTimersByTimeAsync(20_000);
    expect(lease.renew).toHaveBeenCalledTimes(6);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('longer than its timeout'),
    );
    finish();
    await run;
    expect(lease.release).toHaveBeenCalledTimes(1);
  });

  it('says so when the lease was taken over while it ran, and names whom it took over from', async () => {
    jest.useFakeTimers({ now: 1_800_000_000_000 });
    const lease = fakeLease();
    lease.claim.mockResolvedValue({ claimed: true, tookOverFrom: 'replica-a' });
    lease.renew.mockResolvedValue(false);
    const { refresh, tasks, logger } = setUp(
      { frequency: { seconds: 60 }, timeout: { minutes: 5 } },
      lease,
    );
    const { run, finish } = await startHeldRefresh(refresh, tasks);
    await jest.advanceTimersByTimeAsync(0);
    expect(logger.info).toHaveBeenCalledWith(
      'Took the refresh over from replica-a, whose lease ran out',
    );
    await jest.advanceTimersByTimeAsync(5_000);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Another replica took the refresh over'),
    );
    finish();
    await run;
  });

  it('starts a refresh on demand, and answers 409 while one runs anywhere', async () => {
    const lease = fakeLease();
    const { refresh, triggerTask } = setUp(
      { frequency: { seconds: 60 }, timeout: { minutes: 5 } },
      lease,
    );
    await refresh.start();
    expect(triggerTask).toHaveBeenCalledWith(REFRESH_TASK_ID);

    lease.requestRun.mockResolvedValueOnce(false);
    await expect(refresh.start()).rejects.toBeInstanceOf(ConflictError);
    expect(triggerTask).toHaveBeenCalledTimes(1);

    // This replica is busy looking: the run asked for is due, and its next
    // look runs it.
    triggerTask.mockRejectedValueOnce(new ConflictError('looking'));
    await expect(refresh.start()).resolves.toBeUndefined();
  });

  it('schedules a cron frequency by its next time', async () => {
    const lease = fakeLease();
    const { refresh, tasks } = setUp(
      { frequency: { cron: '0 3 * * *' }, timeout: { minutes: 5 } },
      lease,
    );
    await refresh.register(async () => {});
    await tasks[0].fn(new AbortController().signal);
    const [, nextInMs] = lease.release.mock.calls[0];
    expect(nextInMs).toBeGreaterThan(0);
    expect(nextInMs).toBeLessThanOrEqual(24 * 3600_000);
  });
});
