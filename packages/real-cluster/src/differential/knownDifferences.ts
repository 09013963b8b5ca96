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
 * Differences between the operator simulator and the real operator that the
 * differential test has shown and `packages/sandbox/README.md` lists, each
 * with its row there. A difference not listed here fails the test; one that
 * a fix removed simply stops showing.
 */
export interface KnownDifference {
  /** The README row. */
  row: string;
  matches(step: string, path: string): boolean;
}

export const KNOWN_SIMULATOR_DIFFERENCES: KnownDifference[] = [
  {
    // The real operator panics in time.NewTicker (exit 2) or exits 1 on
    // strconv.ParseBool before it reconciles anything; the simulator reads
    // the same environment as "use the default" and keeps working.
    row: 'POLLING_INTERVAL=0 or a non-boolean AUTO_RESTART',
    matches: (step, path) =>
      step === 'bad-setting' &&
      (path === 'POLLING_INTERVAL' || path === 'AUTO_RESTART'),
  },
  {
    // At start the real operator reconciles every OnePasswordItem (the
    // informers list them all), so a Secret deleted meanwhile comes back; the
    // simulator reconciles only the items without a Ready condition.
    row: 'an operator restart recreates a deleted Secret',
    matches: (step, path) => step === 'restart' && path === 'missing-secret',
  },
];
