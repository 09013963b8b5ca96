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

import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

/** The validated `onepassword.history` configuration. @public */
export interface HistoryConfig {
  /** How long status transitions are kept. */
  retentionMs: number;
}

/** Enough for the Secrets tab's 30-day timeline, with room to look further back. */
const DEFAULT_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;
const KEY = 'onepassword.history.retention';

/** Reads `onepassword.history`; a bad value fails start-up naming the key. @public */
export function readHistoryConfig(config: Config): HistoryConfig {
  const history = config.getOptionalConfig('onepassword.history');
  if (!history?.has('retention')) return { retentionMs: DEFAULT_RETENTION_MS };
  let retentionMs: number;
  try {
    retentionMs = durationToMilliseconds(
      readDurationFromConfig(history, { key: 'retention' }),
    );
  } catch (e) {
    throw new InputError(
      `Invalid configuration at '${KEY}': must be a duration such as { days: 90 } or '90d': ${
        (e as Error).message
      }`,
    );
  }
  if (!(retentionMs > 0)) {
    throw new InputError(
      `Invalid configuration at '${KEY}': must be longer than zero`,
    );
  }
  return { retentionMs };
}
