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
  SecretStatusTransition,
  SyncStatus,
} from '@secret-sync/backstage-plugin-onepassword-common';

/** How far back the Secrets tab's timeline looks. */
export const TIMELINE_WINDOW_DAYS = 30;

/** A stretch of time a record spent in one status. */
export interface TimelineSegment {
  status: SyncStatus;
  from: Date;
  to: Date;
}

/** Time in one status over the window. */
export interface TimelineTotal {
  status: SyncStatus;
  seconds: number;
  /** Of the time the history covers, 0-1. */
  share: number;
}

export interface StatusTimeline {
  start: Date;
  end: Date;
  segments: TimelineSegment[];
  /** Most time first. */
  totals: TimelineTotal[];
}

/**
 * A record's statuses over the window ending at `now`, from its transitions
 * (newest recorded first, as the history route serves them, at least those
 * in the window) and its current status. Transitions are taken in the order
 * they were recorded: a record back from unknown keeps the time it first
 * entered its status, so a time earlier than the one before counts as the
 * one before. Time before the record's first known status is left out.
 */
export function statusTimeline(options: {
  transitions: SecretStatusTransition[];
  current: { status: SyncStatus; statusSince: string | null };
  now: Date;
  windowDays?: number;
}): StatusTimeline {
  const { now, current } = options;
  const end = now.getTime();
  const start =
    end - (options.windowDays ?? TIMELINE_WINDOW_DAYS) * 24 * 3600 * 1000;
  const oldestFirst = [...options.transitions].reverse();
  const changes: Array<{ at: number; status: SyncStatus | null }> = [];
  const push = (at: number, status: SyncStatus | null) => {
    const previous = changes[changes.length - 1];
    const time = Math.min(end, Math.max(at, previous?.at ?? start, start));
    if (previous && previous.status === status) return;
    if (previous && previous.at === time) changes.pop();
    changes.push({ at: time, status });
  };
  if (oldestFirst.length > 0) {
    push(start, oldestFirst[0].fromStatus);
    for (const t of oldestFirst) push(Date.parse(t.at), t.toStatus);
    // Read at a later time than the last transition: a pending record past
    // its deadline reads stale before a refresh records it.
    push(
      current.statusSince ? Date.parse(current.statusSince) : end,
      current.status,
    );
  } else {
    const since = current.statusSince ? Date.parse(current.statusSince) : start;
    push(since, current.status);
  }

  const segments: TimelineSegment[] = [];
  changes.forEach((change, index) => {
    const to = changes[index + 1]?.at ?? end;
    if (change.status !== null && to > change.at) {
      segments.push({
        status: change.status,
        from: new Date(change.at),
        to: new Date(to),
      });
    }
  });
  const seconds = new Map<SyncStatus, number>();
  for (const s of segments) {
    seconds.set(
      s.status,
      (seconds.get(s.status) ?? 0) + (s.to.getTime() - s.from.getTime()) / 1000,
    );
  }
  const covered = [...seconds.values()].reduce((a, b) => a + b, 0);
  const totals = [...seconds.entries()]
    .map(([status, total]) => ({
      status,
      seconds: total,
      share: covered > 0 ? total / covered : 0,
    }))
    .sort((a, b) => b.seconds - a.seconds);
  return { start: new Date(start), end: now, segments, totals };
}
