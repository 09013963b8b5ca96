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

import { ResourceStore } from './ResourceStore';

/** kube-apiserver's default `--event-ttl`. */
const DEFAULT_EVENT_TTL_SECONDS = 3600;

/** The time an event was last written (its etcd lease is renewed on update). */
function lastWrite(event: {
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { lastObservedTime?: string } | null;
  metadata: { creationTimestamp?: string };
}): number {
  const times = [
    event.lastTimestamp,
    event.series?.lastObservedTime,
    event.eventTime,
    event.metadata.creationTimestamp,
  ]
    .filter((t): t is string => !!t)
    .map(t => Date.parse(t))
    .filter(t => !Number.isNaN(t));
  return times.length ? Math.max(...times) : 0;
}

/**
 * What the API server's `--event-ttl` does: events disappear that long after
 * their last update, so an event is history, not state.
 */
export function startEventExpiry(
  store: ResourceStore,
  ttlSeconds: number = DEFAULT_EVENT_TTL_SECONDS,
  clock: () => Date = () => new Date(),
): { sweep(): void; stop(): void } {
  const sweep = () => {
    const cutoff = clock().getTime() - ttlSeconds * 1000;
    for (const event of store.list('events').items) {
      if (lastWrite(event as any) < cutoff) {
        store.delete('events', event.metadata.namespace, event.metadata.name!, {
          manager: 'kube-apiserver',
        });
      }
    }
  };
  const timer = setInterval(
    sweep,
    Math.min(60, Math.max(1, ttlSeconds / 10)) * 1000,
  );
  timer.unref();
  return { sweep, stop: () => clearInterval(timer) };
}
