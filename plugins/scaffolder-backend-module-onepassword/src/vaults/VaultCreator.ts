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
 * A vault as the vault creator reports it: ids and names only.
 * @public
 */
export interface CreatedVault {
  id: string;
  title: string;
}

/**
 * Creates 1Password vaults. Connect cannot (it has no vault write endpoints),
 * so this sits behind an interface: the default implementation uses a
 * 1Password service account, tests and other setups provide their own.
 * @public
 */
export interface VaultCreator {
  /** Vaults the creator can see with this exact title (for idempotency). */
  findVaultsByTitle(title: string): Promise<CreatedVault[]>;
  createVault(options: {
    title: string;
    description?: string;
  }): Promise<CreatedVault>;
}
