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

import { makeRecord } from '../__testUtils__/records';
import { recordAtReadTime, staleDeadline } from './recordAtReadTime';

const refreshedAt = '2026-11-28T10:05:00.000Z';
const at = (iso: string) => ({ refreshedAt, now: new Date(iso) });

describe('recordAtReadTime', () => {
  it('dates an in-sync record as verified by the latest refresh', () => {
    const record = makeRecord({ verifiedAt: '2026-11-28T10:00:00.000Z' });
    const read = recordAtReadTime(record, null, at('2026-11-28T10:06:00.000Z'));
    expect(read.verifiedAt).toBe(refreshedAt);
    expect(read.nextPollBy).toBe('2026-11-28T10:15:00.000Z');
    expect(read.status).toBe('in-sync');
  });

  it('keeps what a record stored when no refresh is known', () => {
    const record = makeRecord();
    expect(
      recordAtReadTime(record, null, {
        refreshedAt: null,
        now: new Date('2026-11-28T10:06:00.000Z'),
      }),
    ).toEqual(record);
  });

  it('keeps a pending record pending until its deadline, then reads it stale', () => {
    const pending = makeRecord({
      status: 'pending',
      itemVersion: 4,
      secretVersion: 3,
      itemUpdatedAt: '2026-11-28T10:00:00.000Z',
      statusSince: '2026-11-28T10:00:00.000Z',
      nextPollBy: '2026-11-28T10:10:00.000Z',
      verifiedAt: '2026-11-28T09:00:00.000Z',
      message: 'pending message',
      hint: 'Nothing to do: wait for the next operator poll.',
    });
    const deadline = staleDeadline(pending);
    expect(deadline).toBe('2026-11-28T10:11:00.000Z');

    const before = recordAtReadTime(
      pending,
      deadline,
      at('2026-11-28T10:10:59.000Z'),
    );
    expect(before).toEqual(pending);

    const after = recordAtReadTime(
      pending,
      deadline,
      at('2026-11-28T10:11:00.000Z'),
    );
    expect(after).toMatchObject({
      status: 'stale',
      statusSince: deadline,
      verifiedAt: '2026-11-28T09:00:00.000Z',
      nextPollBy: '2026-11-28T10:10:00.000Z',
    });
    expect(after.message).toContain(
      'carries item version 3, 1Password has version 4',
    );
    expect(after.hint).toMatch(/fails silently/);
  });

  it('gives no deadline to a record that is not pending', () => {
    expect(staleDeadline(makeRecord({ status: 'stale' }))).toBeNull();
  });

  it('reads a record due for rotation once its stored deadline passes, with no refresh between', () => {
    const record = makeRecord({ rotateBy: '2026-11-28T12:00:00.000Z' });
    expect(
      recordAtReadTime(record, null, at('2026-11-28T11:59:59.000Z'))
        .rotationDue,
    ).toBe(false);
    expect(
      recordAtReadTime(record, null, at('2026-11-28T12:00:00.000Z'))
        .rotationDue,
    ).toBe(true);
    expect(
      recordAtReadTime(
        makeRecord({ rotateBy: null }),
        null,
        at('2030-01-01T00:00:00.000Z'),
      ).rotationDue,
    ).toBe(false);
  });
});
