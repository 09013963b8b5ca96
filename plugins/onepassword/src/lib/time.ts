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

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * A length of time for people: `45 s`, `10 min`, `2 h 30 min`, `3 d`.
 * Rounds down to the largest two units that matter at a glance.
 */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  if (seconds < MINUTE) {
    return `${seconds} s`;
  }
  if (seconds < HOUR) {
    const rest = seconds % MINUTE;
    const minutes = Math.floor(seconds / MINUTE);
    return rest && minutes < 5 ? `${minutes} min ${rest} s` : `${minutes} min`;
  }
  if (seconds < DAY) {
    const hours = Math.floor(seconds / HOUR);
    const minutes = Math.floor((seconds % HOUR) / MINUTE);
    return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
  }
  return `${Math.floor(seconds / DAY)} d`;
}

/**
 * `4 min ago` for a past time, `in 6 min` for a future one, `just now` within
 * ten seconds either way. Coarser than {@link formatDuration}: one unit only.
 */
export function formatRelative(time: string | Date, now: Date): string {
  const diffSeconds = (now.getTime() - new Date(time).getTime()) / 1000;
  const magnitude = Math.abs(diffSeconds);
  if (magnitude < 10) {
    return 'just now';
  }
  let amount: string;
  if (magnitude < MINUTE) {
    amount = `${Math.floor(magnitude)} s`;
  } else if (magnitude < HOUR) {
    amount = `${Math.floor(magnitude / MINUTE)} min`;
  } else if (magnitude < DAY) {
    amount = `${Math.floor(magnitude / HOUR)} h`;
  } else {
    amount = `${Math.floor(magnitude / DAY)} d`;
  }
  return diffSeconds >= 0 ? `${amount} ago` : `in ${amount}`;
}

/**
 * The local wall-clock time, `14:32`, prefixed by the date when it is not
 * today (`2026-11-29 14:32`).
 */
export function formatClockTime(time: string | Date, now: Date): string {
  const date = new Date(time);
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  if (date.toDateString() === now.toDateString()) {
    return clock;
  }
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(
    date.getDate(),
  )} ${clock}`;
}

/** The exact time, for tooltips: `2026-11-28 14:32:05 UTC+01:00`. */
export function formatExactTime(time: string | Date): string {
  const date = new Date(time);
  const offsetMinutes = -date.getTimezoneOffset();
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const offset = `${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(
    Math.abs(offsetMinutes) % 60,
  )}`;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(
    date.getDate(),
  )} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(
    date.getSeconds(),
  )} UTC${sign}${offset}`;
}
