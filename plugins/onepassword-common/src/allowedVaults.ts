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

/** The config key listing the vaults self-service credentials may use. @public */
export const ALLOWED_VAULTS_CONFIG_KEY = 'onepassword.scaffolder.allowedVaults';

/**
 * One entry of `onepassword.scaffolder.allowedVaults`: vault names or ids of
 * one Connect server; `*` matches any run of characters, `?` one character,
 * case-insensitively.
 * @public
 */
export interface AllowedVaultsEntry {
  server: string;
  vaults: string[];
}

/**
 * Whether `onepassword.scaffolder.allowedVaults` lets self-service use a
 * vault. The one meaning shared by the backend (which vaults `GET /vaults`
 * offers) and the scaffolder module (which vaults a request may write to):
 * a vault must be listed; an absent or empty list allows none.
 * @public
 */
export function isVaultAllowed(
  entries: AllowedVaultsEntry[],
  server: string,
  vault: { id?: string; name: string },
): boolean {
  return entries
    .filter(entry => entry.server === server)
    .some(entry => entry.vaults.some(glob => vaultMatches(glob, vault)));
}

/**
 * Whether a vault pattern (`*` any run of characters, `?` one character,
 * case-insensitive) matches the vault's name or id.
 * @public
 */
export function vaultMatches(
  glob: string,
  vault: { id?: string | null; name?: string | null },
): boolean {
  const pattern = vaultGlob(glob);
  return (
    (vault.name ? pattern.test(vault.name) : false) ||
    (vault.id ? pattern.test(vault.id) : false)
  );
}

/** The start-up warning when the allow-list is absent, naming its key. @public */
export const ALLOWED_VAULTS_ABSENT_WARNING =
  `${ALLOWED_VAULTS_CONFIG_KEY} is not set: no vault is offered to templates ` +
  `and every self-service credentials request is refused. List the vaults ` +
  `templates may write to, per Connect server, under that key.`;

function vaultGlob(glob: string): RegExp {
  const source = glob
    .split('')
    .map(char => {
      if (char === '*') return '.*';
      if (char === '?') return '.';
      return char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`, 'i');
}
