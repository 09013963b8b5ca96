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

import { SecretSyncRecord } from '@secret-sync/backstage-plugin-onepassword-common';
import { staleDeadline } from '../database/recordAtReadTime';
import { EntitySelector } from './entityLinking';

/** An entity's Secrets tab, serialized once for every caller allowed to read it. */
export interface SerializedEntitySecrets {
  /** The JSON of the `EntitySecretsResponse`. */
  body: Buffer;
  /** How many Secrets it lists, for the audit event. */
  total: number;
}

interface Entry extends SerializedEntitySecrets {
  /** When a time-driven field of one of its records changes (ms), or when it is too old. */
  validUntil: number;
}

/**
 * Past this age an entry is rebuilt even if no refresh moved the refresh
 * time: a refresh that failed between writing records and recording its
 * time (or any other write that does not move it) is then visible within
 * seconds, not only after the next successful refresh. Rebuilding each
 * entity's answer at most once per 10 s costs nothing measurable.
 */
const MAX_AGE_MS = 10_000;

/**
 * A few thousand entities' answers (a few KiB each, the design scale's
 * 5,000 entities hold 4 Secrets each): bounded whatever the catalog's size.
 */
const DEFAULT_MAX_ENTRIES = 2_000;

/**
 * When the first record among `items` changes with time alone: a pending
 * record turns stale at its deadline, an item's rotation falls due at its
 * `rotateBy`. Infinity when none will. Pure.
 */
export function nextTimeDrivenChange(items: SecretSyncRecord[]): number {
  let next = Infinity;
  for (const record of items) {
    const staleAt = staleDeadline(record);
    if (staleAt !== null) next = Math.min(next, Date.parse(staleAt));
    if (record.rotateBy && !record.rotationDue) {
      next = Math.min(next, Date.parse(record.rotateBy));
    }
  }
  return next;
}

/** What an entity's answer depends on besides the snapshot: its ref and how it selects. */
function keyOf(selector: EntitySelector): string {
  return JSON.stringify([
    selector.entityRef,
    selector.kubernetesId,
    selector.namespace,
    selector.kubernetesId === null ? selector.requirements : null,
  ]);
}

/**
 * Entity answers of one refresh generation, the time of the latest refresh
 * as stored (`getLastRefreshAt`): every refresh, on any replica, writes its
 * records, server and cluster health before it moves that time, so an answer
 * built after reading generation G shows at least G's snapshot, and a reader
 * that sees another generation drops every answer. Within a generation an
 * answer also expires when one of its records changes with time alone (see
 * {@link nextTimeDrivenChange}) and after {@link MAX_AGE_MS}.
 *
 * The answer depends on the entity and the snapshot, never on the caller:
 * permission and catalog visibility are decided per request before it is
 * looked up.
 */
export class EntitySecretsCache {
  static create(options: { maxEntries?: number } = {}) {
    return new EntitySecretsCache(
      options.maxEntries ?? DEFAULT_MAX_ENTRIES,
      () => Date.now(),
    );
  }

  /** Least recently used first (a Map keeps insertion order). */
  private readonly entries = new Map<string, Entry>();
  private generation: string | null | undefined;

  private constructor(
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {}

  /** The answer for `selector` in `generation`, if one is still valid. */
  get(
    selector: EntitySelector,
    generation: string | null,
  ): SerializedEntitySecrets | undefined {
    if (generation !== this.generation) {
      this.entries.clear();
      this.generation = generation;
      return undefined;
    }
    const key = keyOf(selector);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (this.now() >= entry.validUntil) return undefined;
    this.entries.set(key, entry);
    return entry;
  }

  /**
   * Keeps the answer built after reading `generation`, unless a newer
   * generation was seen meanwhile (its answer would replace a newer one).
   */
  set(
    selector: EntitySelector,
    generation: string | null,
    answer: SerializedEntitySecrets & { items: SecretSyncRecord[] },
  ): void {
    if (generation !== this.generation) return;
    const key = keyOf(selector);
    this.entries.delete(key);
    this.entries.set(key, {
      body: answer.body,
      total: answer.total,
      validUntil: Math.min(
        nextTimeDrivenChange(answer.items),
        this.now() + MAX_AGE_MS,
      ),
    });
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value!);
    }
  }
}
