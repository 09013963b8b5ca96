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

import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { VaultUsageResponse } from '@secret-sync/backstage-plugin-onepassword-common';
import type { VaultUsage } from '../entities/vaultEntities';

/**
 * Which entities' Secrets come from which vault, read from the onepassword
 * backend's snapshot (`GET /vault-usage`), the same records the Secrets tabs
 * show: this module never reads a cluster itself.
 */
export class VaultUsageClient {
  static create(options: { discovery: DiscoveryService; auth: AuthService }) {
    return new VaultUsageClient(options.discovery, options.auth);
  }

  private constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  /** Throws when the backend cannot answer or has not refreshed yet. */
  async read(): Promise<VaultUsage> {
    const baseUrl = await this.discovery.getBaseUrl('onepassword');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: 'onepassword',
    });
    const response = await fetch(`${baseUrl}/vault-usage`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const body = (await response.json()) as VaultUsageResponse;
    if (body.asOf === null) {
      throw new Error('the onepassword backend has not refreshed yet');
    }
    return new Map(body.items.map(item => [item.vaultId, item.entityRefs]));
  }
}
