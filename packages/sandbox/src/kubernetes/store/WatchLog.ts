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

import { gone } from '../apiErrors';
import { WatchEvent } from '../types';
import { ObjectFilter, objectMatches } from './matching';
import { clone } from './objects';

export type WatchListener = (event: WatchEvent) => void;

interface Subscription extends ObjectFilter {
  resource: string;
  listener: WatchListener;
}

interface LoggedEvent {
  resourceVersion: number;
  resource: string;
  event: WatchEvent;
}

/** How many past changes a watch can resume from before it gets 410 Gone. */
const EVENT_HISTORY = 10_000;

/**
 * The changes of one store and the watches on them. The last
 * {@link EVENT_HISTORY} changes are kept, so that a watch can resume from a
 * `resourceVersion`; an older one answers 410 Gone, as the API server's
 * watch cache does.
 */
export class WatchLog {
  private readonly subscriptions = new Set<Subscription>();
  private readonly history: LoggedEvent[] = [];

  /** Logs a change made at `resourceVersion` and sends it to the watches it matches. */
  record(resourceVersion: number, resource: string, event: WatchEvent) {
    // Stored objects are replaced, never changed in place, so history can share them.
    this.history.push({ resourceVersion, resource, event });
    if (this.history.length > EVENT_HISTORY) this.history.shift();
    for (const subscription of [...this.subscriptions]) {
      if (
        subscription.resource === resource &&
        objectMatches(event.object, subscription)
      ) {
        subscription.listener(clone(event));
      }
    }
  }

  /**
   * The logged changes of `resource` after version `from` that match, or
   * 410 Gone when the log no longer reaches back that far.
   */
  changesSince(
    from: string,
    resource: string,
    filter: ObjectFilter,
    currentVersion: number,
  ): WatchEvent[] {
    const since = Number(from);
    const oldest = this.history[0]?.resourceVersion ?? currentVersion + 1;
    if (!Number.isInteger(since) || since < oldest - 1) {
      throw gone(`too old resource version: ${from} (${oldest - 1})`);
    }
    const replay: WatchEvent[] = [];
    for (const logged of this.history) {
      if (
        logged.resourceVersion > since &&
        logged.resource === resource &&
        objectMatches(logged.event.object, filter)
      ) {
        replay.push(clone(logged.event));
      }
    }
    return replay;
  }

  /** Sends `replay`, then every matching change; returns the function that stops it. */
  subscribe(
    resource: string,
    filter: ObjectFilter,
    listener: WatchListener,
    replay: WatchEvent[],
  ): () => void {
    const subscription: Subscription = { ...filter, resource, listener };
    this.subscriptions.add(subscription);
    for (const event of replay) listener(event);
    return () => {
      this.subscriptions.delete(subscription);
    };
  }
}
