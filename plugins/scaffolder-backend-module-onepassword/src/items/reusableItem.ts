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

import { ConflictError } from '@backstage/errors';
import { entityTag } from './rules';

/** What `ifExists` decides about: an existing item's category and tags. */
interface ExistingItem {
  category: string;
  tags: string[];
}

/**
 * Decides what to do with the items that already carry the requested title:
 * none → create (undefined); otherwise reuse the one item if `ifExists` is
 * `reuse`, it has the requested category and it was requested for the same
 * entity. Reusing an item of another entity would hand its secret to a new
 * OnePasswordItem, so that is refused.
 */
export function selectReusableItem<T extends ExistingItem>(
  existing: T[],
  request: {
    title: string;
    category: string;
    vaultName: string;
    entityRef?: string;
    ifExists: 'fail' | 'reuse';
  },
): T | undefined {
  const { title, category, vaultName, entityRef, ifExists } = request;
  if (existing.length === 0) return undefined;
  if (ifExists === 'fail') {
    throw new ConflictError(
      `An item titled '${title}' already exists in vault '${vaultName}'; choose another title or set ifExists: reuse`,
    );
  }
  if (existing.length > 1) {
    throw new ConflictError(
      `Several items are titled '${title}' in vault '${vaultName}'; choose another title`,
    );
  }
  const [item] = existing;
  if (item.category !== category) {
    throw new ConflictError(
      `Item '${title}' in vault '${vaultName}' is a ${item.category}, not a ${category}`,
    );
  }
  if (entityRef && !item.tags.includes(entityTag(entityRef))) {
    throw new ConflictError(
      `Item '${title}' in vault '${vaultName}' was not requested for ${entityRef} (no tag ${entityTag(
        entityRef,
      )}), so it cannot be reused`,
    );
  }
  return item;
}
