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

import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** One entry of `onepassword.scaffolder.allowedVaults`. */
export interface AllowedVaultsEntry {
  server: string;
  /** Vault names or ids; `*` matches any run of characters, `?` one character. */
  vaults: string[];
}

/** A vault as the allow-list sees it; `id` is absent before the vault exists. */
export interface VaultIdentity {
  id?: string;
  name: string;
}

/**
 * Which vaults the scaffolder may write to, per Connect server. Anything not
 * listed is refused, so a missing config refuses everything.
 */
export class VaultAllowList {
  static fromConfig(config: Config): VaultAllowList {
    const entries =
      config
        .getOptionalConfigArray('onepassword.scaffolder.allowedVaults')
        ?.map(entry => ({
          server: entry.getString('server'),
          vaults: entry.getStringArray('vaults'),
        })) ?? [];
    return new VaultAllowList(entries);
  }

  private readonly patterns: Map<string, RegExp[]>;

  constructor(entries: AllowedVaultsEntry[]) {
    this.patterns = new Map();
    for (const entry of entries) {
      const list = this.patterns.get(entry.server) ?? [];
      list.push(...entry.vaults.map(globToRegExp));
      this.patterns.set(entry.server, list);
    }
  }

  isAllowed(server: string, vault: VaultIdentity): boolean {
    const patterns = this.patterns.get(server) ?? [];
    return patterns.some(
      pattern =>
        pattern.test(vault.name) || (vault.id ? pattern.test(vault.id) : false),
    );
  }

  /** Throws an InputError explaining how to allow the vault. */
  assertAllowed(server: string, vault: VaultIdentity): void {
    if (!this.isAllowed(server, vault)) {
      throw new InputError(
        `Vault '${vault.name}' on Connect server '${server}' is not allowed for self-service credentials; ` +
          `ask the platform team to add it to onepassword.scaffolder.allowedVaults`,
      );
    }
  }
}

/** Vault names are matched case-insensitively, as the operator looks them up. */
export function globToRegExp(glob: string): RegExp {
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
