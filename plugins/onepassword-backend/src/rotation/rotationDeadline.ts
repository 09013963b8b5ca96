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
  SecretSyncRecord,
  vaultMatches,
} from '@secret-sync/backstage-plugin-onepassword-common';
import type { RotationRule } from '../config';

/** The first rule of `onepassword.rotation.maxAge` that applies to the record's item. */
export function rotationRuleFor(
  record: Pick<SecretSyncRecord, 'vaultId' | 'vaultName' | 'itemCategory'>,
  rules: RotationRule[],
): RotationRule | undefined {
  return rules.find(rule => {
    const vault = { id: record.vaultId, name: record.vaultName };
    if (rule.vaults && !rule.vaults.some(glob => vaultMatches(glob, vault))) {
      return false;
    }
    if (rule.categories) {
      const category = record.itemCategory?.toUpperCase();
      if (!category || !rule.categories.includes(category)) return false;
    }
    return true;
  });
}

/**
 * When the record's item is due for rotation: its last change in 1Password
 * plus the rule's maximum age. Stored with the record, so that whether it is
 * due is decided when read (`recordAtReadTime`), not when refreshed. Pure.
 */
export function rotationDeadline(
  record: Pick<
    SecretSyncRecord,
    'vaultId' | 'vaultName' | 'itemCategory' | 'itemUpdatedAt'
  >,
  rules: RotationRule[],
): string | null {
  if (!record.itemUpdatedAt) return null;
  const rule = rotationRuleFor(record, rules);
  if (!rule) return null;
  const changedAt = Date.parse(record.itemUpdatedAt);
  if (!Number.isFinite(changedAt)) return null;
  return new Date(changedAt + rule.maxAgeMs).toISOString();
}
