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
  formatClockTime,
  formatDuration,
  formatExactTime,
  formatRelative,
} from './time';

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [45, '45 s'],
    [60, '1 min'],
    [90, '1 min 30 s'],
    [600, '10 min'],
    [610, '10 min'],
    [3600, '1 h'],
    [9000, '2 h 30 min'],
    [3 * 86400 + 5, '3 d'],
  ])('formats %i seconds as %s', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});

describe('formatRelative', () => {
  const now = new Date('2026-11-28T14:00:00Z');

  it.each([
    ['2026-11-28T14:00:05Z', 'just now'],
    ['2026-11-28T13:59:30Z', '30 s ago'],
    ['2026-11-28T13:56:00Z', '4 min ago'],
    ['2026-11-28T11:00:00Z', '3 h ago'],
    ['2026-11-25T14:00:00Z', '3 d ago'],
    ['2026-11-28T14:06:00Z', 'in 6 min'],
  ])('formats %s as %s', (time, expected) => {
    expect(formatRelative(time, now)).toBe(expected);
  });
});

describe('formatClockTime', () => {
  const now = new Date('2026-11-28T14:00:00Z');

  it('shows the time alone for today', () => {
    expect(formatClockTime('2026-11-28T14:32:10Z', now)).toBe('14:32');
  });

  it('adds the date for another day', () => {
    expect(formatClockTime('2026-11-29T09:05:00Z', now)).toBe(
      '2026-11-29 09:05',
    );
  });
});

describe('formatExactTime', () => {
  it('shows seconds and the offset', () => {
    expect(formatExactTime('2026-11-28T14:32:05Z')).toBe(
      '2026-11-28 14:32:05 UTC+00:00',
    );
  });
});
