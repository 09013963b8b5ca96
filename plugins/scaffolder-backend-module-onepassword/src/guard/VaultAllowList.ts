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
import {
  ALLOWED_VAULTS_CONFIG_KEY,
  AllowedVaultsEntry,
  isVaultAllowed,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { readAllowedVaults } from '@secret-sync/backstage-plugin-onepassword-node';

/** A vault as the allow-list sees it; `id` is absent before the vault exists. */
export interface VaultIdentity {
  id?: string;
  name: string;
}

/**
 * Which vaults the scaffolder may write to, per Connect server, with the
 * meaning the backend's `GET /vaults` uses too: anything not listed is
 * refused, so a missing config refuses everything.
 */
export class VaultAllowList {
  static fromConfig(config: Config): VaultAllowList {
    return new VaultAllowList(readAllowedVaults(config));
  }

  constructor(private readonly entries: AllowedVaultsEntry[]) {}

  isAllowed(server: string, vault: VaultIdentity): boolean {
    return isVaultAllowed(this.entries, server, vault);
  }

  /** Throws an InputError explaining how to allow the vault. */
  assertAllowed(server: string, vault: VaultIdentity): void {
    if (!this.isAllowed(server, vault)) {
      throw new InputError(
        `Vault '${vault.name}' on Connect server '${server}' is not allowed for self-service credentials; ` +
          `ask the platform team to add it to ${ALLOWED_VAULTS_CONFIG_KEY}`,
      );
    }
  }
}
