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
import { SecretStatusTransition } from '@secret-sync/backstage-plugin-onepassword-common';
import { statusTimeline } from './timeline';

const now = new Date('2026-12-01T00:00:00.000Z');
const daysAgo = (days: number) =>
  new Date(now.getTime() - days * 86_400_000).toISOString();
const DAY = 86_400;

function transition(
  fromStatus: SecretStatusTransition['fromStatus'],
  toStatus: SecretStatusTransition['toStatus'],
  at: string,
): SecretStatusTransition {
  return {
    recordKey: 'dev/payments/payments-db',
    cluster: 'dev',
    namespace: 'payments',
    secretName: 'payments-db',
    fromStatus,
    toStatus,
    at,
    itemVersion: 1,
    secretVersion: 1,
    message: null,
  };
}

describe('statusTimeline', () => {
  it('gives the time in each status over the last 30 days, from the status before the window', () => {
    const timeline = statusTimeline({
      // Newest first, as the history route serves them.
      transitions: [
        transition('stale', 'in-sync', daysAgo(5)),
        transition('in-sync', 'stale', daysAgo(10)),
      ],
      current: { status: 'in-sync', statusSince: daysAgo(5) },
      now,
    });
    expect(timeline.start.toISOString()).toBe(daysAgo(30));
    expect(
      timeline.segments.map(s => [s.status, s.from.toISOString()]),
    ).toEqual([
      ['in-sync', daysAgo(30)],
      ['stale', daysAgo(10)],
      ['in-sync', daysAgo(5)],
    ]);
    expect(timeline.totals).toEqual([
      { status: 'in-sync', seconds: 25 * DAY, share: 25 / 30 },
      { status: 'stale', seconds: 5 * DAY, share: 5 / 30 },
    ]);
  });

  it('leaves out the time before the record existed', () => {
    const timeline = statusTimeline({
      transitions: [transition(null, 'error', daysAgo(2))],
      current: { status: 'error', statusSince: daysAgo(2) },
      now,
    });
    expect(timeline.totals).toEqual([
      { status: 'error', seconds: 2 * DAY, share: 1 },
    ]);
  });

  it('counts the whole window in the current status when nothing changed in it', () => {
    const timeline = statusTimeline({
      transitions: [],
      current: { status: 'in-sync', statusSince: daysAgo(90) },
      now,
    });
    expect(timeline.segments).toEqual([
      { status: 'in-sync', from: new Date(daysAgo(30)), to: now },
    ]);
  });

  it('never counts time backwards: a transition recorded later but dated earlier counts from the one before', () => {
    const timeline = statusTimeline({
      transitions: [
        transition('unknown', 'in-sync', daysAgo(20)),
        transition('in-sync', 'unknown', daysAgo(3)),
        transition(null, 'in-sync', daysAgo(20)),
      ],
      current: { status: 'in-sync', statusSince: daysAgo(20) },
      now,
    });
    expect(timeline.totals).toEqual([
      { status: 'in-sync', seconds: 20 * DAY, share: 1 },
    ]);
  });

  it('shows a pending record past its deadline as stale before a refresh records it', () => {
    const timeline = statusTimeline({
      transitions: [transition('in-sync', 'pending', daysAgo(2))],
      current: { status: 'stale', statusSince: daysAgo(1) },
      now,
    });
    expect(
      timeline.segments.map(s => [s.status, s.from.toISOString()]),
    ).toEqual([
      ['in-sync', daysAgo(30)],
      ['pending', daysAgo(2)],
      ['stale', daysAgo(1)],
    ]);
  });
});
