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

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const RELATIVE = /^([+-])((?:\d+(?:ms|s|m|h|d|w))+)$/;
const PART = /(\d+)(ms|s|m|h|d|w)/g;
const ISO =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Resolves a scenario time to an absolute ISO string: `now`, a relative
 * duration such as `-2h`, `-90s`, `-1d12h`, `+10m` (relative to `now`), or an
 * absolute ISO 8601 time with a zone. Returns undefined for anything else.
 */
export function resolveScenarioTime(
  value: string,
  now: Date,
): string | undefined {
  const text = value.trim();
  if (text === 'now') {
    return now.toISOString();
  }
  const relative = RELATIVE.exec(text);
  if (relative) {
    let offset = 0;
    for (const [, amount, unit] of relative[2].matchAll(PART)) {
      offset += Number(amount) * UNIT_MS[unit];
    }
    return new Date(
      now.getTime() + (relative[1] === '-' ? -offset : offset),
    ).toISOString();
  }
  if (ISO.test(text) && !Number.isNaN(Date.parse(text))) {
    return new Date(text).toISOString();
  }
  return undefined;
}
