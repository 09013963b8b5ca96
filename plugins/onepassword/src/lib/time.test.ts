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

import { createTimeFormatter } from './time';

const now = new Date('2026-11-28T14:00:00Z');

describe('createTimeFormatter', () => {
  const format = createTimeFormatter({ locale: 'en-US', timeZone: 'UTC' });

  describe('duration', () => {
    it.each([
      [0, '0 sec'],
      [45, '45 sec'],
      [60, '1 min'],
      [90, '1 min 30 sec'],
      [600, '10 min'],
      [610, '10 min'],
      [3600, '1 hr'],
      [9000, '2 hr 30 min'],
      [3 * 86400 + 5, '3 days'],
    ])('formats %i seconds as %s', (seconds, expected) => {
      expect(format.duration(seconds)).toBe(expected);
    });
  });

  describe('relative', () => {
    it.each([
      ['2026-11-28T14:00:05Z', 'now'],
      ['2026-11-28T13:59:30Z', '30 seconds ago'],
      ['2026-11-28T13:56:00Z', '4 minutes ago'],
      ['2026-11-28T11:00:00Z', '3 hours ago'],
      ['2026-11-27T14:00:00Z', 'yesterday'],
      ['2026-11-25T14:00:00Z', '3 days ago'],
      ['2026-11-28T14:06:00Z', 'in 6 minutes'],
    ])('formats %s as %s', (time, expected) => {
      expect(format.relative(time, now)).toBe(expected);
    });
  });

  describe('clock', () => {
    it('shows the time alone for today, on the reader’s clock', () => {
      expect(format.clock('2026-11-28T14:32:10Z', now)).toBe('2:32 PM');
    });

    it('adds the day for another day', () => {
      expect(format.clock('2026-11-29T09:05:00Z', now)).toBe(
        'Nov 29, 2026, 9:05 AM',
      );
    });

    it('decides "today" in the reader’s time zone', () => {
      const tokyo = createTimeFormatter({
        locale: 'en-US',
        timeZone: 'Asia/Tokyo',
      });
      // 23:30 UTC on the 28th is already the 29th in Tokyo, as is "now" + 10 h.
      expect(
        tokyo.clock('2026-11-28T23:30:00Z', new Date('2026-11-29T00:00:00Z')),
      ).toBe('8:30 AM');
    });
  });

  it('gives the exact time with its zone', () => {
    expect(format.exact('2026-11-28T14:32:05Z')).toBe(
      'Nov 28, 2026, 2:32:05 PM UTC',
    );
  });

  it('speaks the reader’s language and 24-hour clock', () => {
    const german = createTimeFormatter({ locale: 'de-DE', timeZone: 'UTC' });
    expect(german.clock('2026-11-28T14:32:10Z', now)).toBe('14:32');
    expect(german.relative('2026-11-28T13:56:00Z', now)).toBe('vor 4 Minuten');
    expect(german.duration(9000)).toBe('2 Std., 30 Min.');
  });
});
