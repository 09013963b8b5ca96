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
 * The vault and item an operator item path names, as ids or titles.
 * @public
 */
export interface ParsedItemPath {
  vault: string;
  item: string;
}

/**
 * Parses `vaults/<vault id or title>/items/<item id or title>` with the
 * operator's exact rules (`ParseVaultAndItemFromPath`): split on `/`, exactly
 * four parts, `vaults` and `items` in place. Titles containing `/` therefore
 * cannot be used, and empty parts pass as the operator lets them pass.
 * Returns undefined for a path the operator rejects.
 * @public
 */
export function parseItemPath(path: string): ParsedItemPath | undefined {
  const parts = path.split('/');
  if (parts.length !== 4 || parts[0] !== 'vaults' || parts[2] !== 'items') {
    return undefined;
  }
  return { vault: parts[1], item: parts[3] };
}

/**
 * The error message the operator writes to the `Ready` condition for a path
 * it rejects.
 * @public
 */
export function invalidItemPathMessage(path: string): string {
  return `"${path}" is not an acceptable path for One Password item. Must be of the format: \`vaults/{vault_id}/items/{item_id}\``;
}

/**
 * Whether a vault or item reference is shaped like a 1Password id (26
 * lowercase alphanumerics), which is how the operator and the SDKs decide to
 * look it up by id rather than by title.
 * @public
 */
export function isOnePasswordId(value: string): boolean {
  return /^[a-z0-9]{26}$/.test(value);
}
