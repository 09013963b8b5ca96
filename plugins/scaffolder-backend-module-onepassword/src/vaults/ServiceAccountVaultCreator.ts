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

import type { Client } from '@1password/sdk';
import { Config } from '@backstage/config';
import { CreatedVault, VaultCreator } from './VaultCreator';

const INTEGRATION_NAME = 'Backstage scaffolder';
const INTEGRATION_VERSION = '0.1.0';

/**
 * Creates vaults with a 1Password service account (`@1password/sdk`). The
 * service account must have been created with `--can-create-vaults`.
 *
 * Not exercised against 1Password here: nothing can reach it from the test
 * environment. Errors are re-thrown with the token redacted.
 * @public
 */
export class ServiceAccountVaultCreator implements VaultCreator {
  /**
   * Reads `onepassword.serviceAccount.token`, then `OP_SERVICE_ACCOUNT_TOKEN`;
   * undefined when neither is set.
   */
  static fromConfig(
    config: Config,
    env: NodeJS.ProcessEnv = process.env,
  ): ServiceAccountVaultCreator | undefined {
    const token =
      config.getOptionalString('onepassword.serviceAccount.token') ??
      env.OP_SERVICE_ACCOUNT_TOKEN;
    return token ? new ServiceAccountVaultCreator(token) : undefined;
  }

  private client?: Promise<Client>;

  private constructor(private readonly token: string) {}

  async findVaultsByTitle(title: string): Promise<CreatedVault[]> {
    return this.withClient(async client => {
      const vaults = await client.vaults.list();
      return vaults
        .filter(vault => vault.title === title)
        .map(vault => ({ id: vault.id, title: vault.title }));
    });
  }

  async createVault(options: {
    title: string;
    description?: string;
  }): Promise<CreatedVault> {
    return this.withClient(async client => {
      const vault = await client.vaults.create({
        title: options.title,
        description: options.description,
      });
      return { id: vault.id, title: vault.title };
    });
  }

  private async withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    try {
      // Loaded on first use: the SDK instantiates a 14 MB WebAssembly core
      // at require time, which a backend without a service account never needs.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const sdk: typeof import('@1password/sdk') = require('@1password/sdk');
      this.client ??= sdk.createClient({
        auth: this.token,
        integrationName: INTEGRATION_NAME,
        integrationVersion: INTEGRATION_VERSION,
      });
      return await fn(await this.client);
    } catch (error) {
      this.client = undefined;
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(
        `1Password service account call failed: ${message
          .split(this.token)
          .join('[REDACTED]')}`,
      );
    }
  }
}
