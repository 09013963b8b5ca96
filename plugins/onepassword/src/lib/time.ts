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

/**
 * The one place that turns times and durations into words, built on `Intl`
 * so that every cell speaks the reader's language and clock (12- or 24-hour,
 * time zone) instead of a fixed English, 24-hour format.
 */
export interface TimeFormatter {
  /** `4 minutes ago`, `in 6 minutes`, `now` (within ten seconds either way). */
  relative(time: string | Date, now: Date): string;
  /** The wall-clock time, `2:32 PM`, with the day when it is not today. */
  clock(time: string | Date, now: Date): string;
  /** The full date and time with its zone, for tooltips. */
  exact(time: string | Date): string;
  /** A length of time: `45 sec`, `10 min`, `2 hr, 30 min`, `3 days`. */
  duration(totalSeconds: number): string;
}

interface TimeFormatterOptions {
  /** BCP 47 locales; the browser's (the user's) when left out. */
  locale?: string | string[];
  /** IANA time zone; the user's own when left out. */
  timeZone?: string;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Unit = 'second' | 'minute' | 'hour' | 'day';

/** The locales the user's browser asks for, most preferred first. */
function userLocales(): string[] | undefined {
  if (typeof navigator !== 'undefined' && navigator.languages?.length) {
    return [...navigator.languages];
  }
  return undefined;
}

/** The largest unit that fits, rounded down: at a glance, one unit is enough. */
function largestUnit(seconds: number): [number, Unit] {
  if (seconds < MINUTE) return [Math.floor(seconds), 'second'];
  if (seconds < HOUR) return [Math.floor(seconds / MINUTE), 'minute'];
  if (seconds < DAY) return [Math.floor(seconds / HOUR), 'hour'];
  return [Math.floor(seconds / DAY), 'day'];
}

export function createTimeFormatter(
  options: TimeFormatterOptions = {},
): TimeFormatter {
  const locale = options.locale ?? userLocales();
  const { timeZone } = options;
  const relativeFormat = new Intl.RelativeTimeFormat(locale, {
    numeric: 'auto',
  });
  const timeOfDay = new Intl.DateTimeFormat(locale, {
    timeStyle: 'short',
    timeZone,
  });
  const dayAndTime = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  });
  const exactFormat = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'long',
    timeZone,
  });
  const dayKey = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone,
  });
  const unitFormats = new Map<Unit, Intl.NumberFormat>(
    (['second', 'minute', 'hour', 'day'] as const).map(unit => [
      unit,
      new Intl.NumberFormat(locale, {
        style: 'unit',
        unit,
        unitDisplay: unit === 'day' ? 'long' : 'short',
      }),
    ]),
  );
  const unitList = new Intl.ListFormat(locale, {
    type: 'unit',
    style: 'narrow',
  });
  const amount = (value: number, unit: Unit) =>
    unitFormats.get(unit)!.format(value);

  return {
    relative(time, now) {
      const diffSeconds = (new Date(time).getTime() - now.getTime()) / 1000;
      const magnitude = Math.abs(diffSeconds);
      if (magnitude < 10) {
        return relativeFormat.format(0, 'second');
      }
      const [value, unit] = largestUnit(magnitude);
      return relativeFormat.format(diffSeconds < 0 ? -value : value, unit);
    },
    clock(time, now) {
      const date = new Date(time);
      const sameDay = dayKey.format(date) === dayKey.format(now);
      return (sameDay ? timeOfDay : dayAndTime).format(date);
    },
    exact(time) {
      return exactFormat.format(new Date(time));
    },
    duration(totalSeconds) {
      const seconds = Math.max(0, Math.floor(totalSeconds));
      const [value, unit] = largestUnit(seconds);
      // A second unit only where it changes the picture: 1 min 30 sec, 2 hr 30 min.
      if (unit === 'minute' && value < 5 && seconds % MINUTE) {
        return unitList.format([
          amount(value, unit),
          amount(seconds % MINUTE, 'second'),
        ]);
      }
      if (unit === 'hour' && Math.floor((seconds % HOUR) / MINUTE)) {
        return unitList.format([
          amount(value, unit),
          amount(Math.floor((seconds % HOUR) / MINUTE), 'minute'),
        ]);
      }
      return amount(value, unit);
    },
  };
}
