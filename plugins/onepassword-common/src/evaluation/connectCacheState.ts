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

/** The `/health` dependencies that say whether Connect's cache is current. */
const CACHE_SERVICES = new Set(['sync', 'account_data']);

/**
 * Statuses seen when the cache is not current. The full list is not
 * documented, so an unknown status is not taken as lagging: no false alarm.
 */
const NOT_CURRENT =
  /NOT_SYNCED|UNSYNCED|SYNCING|TOKEN_NEEDED|UNINITIALIZED|ERROR|FAIL|DISCONNECTED/i;

/**
 * Whether a Connect server's cache is current, from `/health`: a 200 alone
 * does not say so, its `sync` and `account_data` dependencies do; a non-2xx
 * `/health` from a server whose API answers says it is not ready. Pure.
 * @public
 */
export function connectCacheState(health: {
  healthy: boolean;
  error?: string | null;
  dependencies: Array<{ service: string; status: string; message?: string }>;
}): { lagging: boolean; reason: string | null } {
  const behind = health.dependencies.find(
    d => CACHE_SERVICES.has(d.service) && NOT_CURRENT.test(d.status),
  );
  if (behind) {
    return {
      lagging: true,
      reason: `/health: ${behind.service} is ${behind.status}${
        behind.message ? ` (${behind.message})` : ''
      }`,
    };
  }
  if (!health.healthy && health.error && /answered/.test(health.error)) {
    return { lagging: true, reason: health.error };
  }
  return { lagging: false, reason: null };
}
