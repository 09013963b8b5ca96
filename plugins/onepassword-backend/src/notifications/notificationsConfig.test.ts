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
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { readHistoryConfig } from '../history/historyConfig';
import { readNotificationsConfig } from './notificationsConfig';

const config = (onepassword: JsonObject) => new ConfigReader({ onepassword });

describe('readNotificationsConfig', () => {
  it('defaults to the bad statuses, a one-hour quiet period and no digest', () => {
    expect(readNotificationsConfig(config({}))).toEqual({
      enabled: true,
      statuses: [
        'stale',
        'error',
        'missing',
        'item-not-found',
        'access-denied',
      ],
      quietPeriodMs: 3_600_000,
      restartNeeded: true,
      platformRecipients: [],
    });
  });

  it('reads durations as objects or strings, and the digest recipients', () => {
    expect(
      readNotificationsConfig(
        config({
          notifications: {
            statuses: ['stale'],
            quietPeriod: '30m',
            restartNeeded: false,
            platformRecipients: ['group:default/team-platform'],
          },
        }),
      ),
    ).toMatchObject({
      statuses: ['stale'],
      quietPeriodMs: 1_800_000,
      restartNeeded: false,
      platformRecipients: ['group:default/team-platform'],
    });
  });

  it.each([
    [{ statuses: ['green'] }, /statuses'.*'green' is not a sync status/],
    [{ statuses: ['in-sync'] }, /'in-sync' is a healthy status/],
    [{ quietPeriod: 'soon' }, /quietPeriod'.*must be a duration/],
    [
      { platformRecipients: ['team-platform'] },
      /platformRecipients\[0\]'.*not an entity ref/,
    ],
  ])('names the key of a bad value %j', (notifications, message) => {
    expect(() => readNotificationsConfig(config({ notifications }))).toThrow(
      message,
    );
  });
});

describe('readHistoryConfig', () => {
  it('keeps 90 days unless told otherwise', () => {
    expect(readHistoryConfig(config({})).retentionMs).toBe(90 * 86_400_000);
    expect(
      readHistoryConfig(config({ history: { retention: { days: 30 } } }))
        .retentionMs,
    ).toBe(30 * 86_400_000);
  });

  it('names the key of a bad retention', () => {
    expect(() =>
      readHistoryConfig(config({ history: { retention: 'forever' } })),
    ).toThrow(/'onepassword.history.retention': must be a duration/);
  });
});
