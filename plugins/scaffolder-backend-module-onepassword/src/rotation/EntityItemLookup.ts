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
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { EntitySecretsResponse } from '@secret-sync/backstage-plugin-onepassword-common';

/** A 1Password item one of the entity's Secrets is synced from. */
export interface SyncedItemRef {
  vaultId: string;
  itemId: string;
}

/**
 * Which items an entity's Secrets are synced from: a rotation may only touch
 * an item the entity actually uses, whatever vault the initiator named.
 */
export interface EntityItemLookup {
  syncedItems(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<SyncedItemRef[]>;
}

/**
 * Asks the onepassword backend (`GET /entities/.../secrets`) on behalf of the
 * initiator, so its permission on the entity's Secrets applies as well. The
 * answer holds sync records only, never a value.
 */
export class OnePasswordBackendItemLookup implements EntityItemLookup {
  static create(options: { discovery: DiscoveryService; auth: AuthService }) {
    return new OnePasswordBackendItemLookup(options.discovery, options.auth);
  }

  private constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  async syncedItems(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<SyncedItemRef[]> {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    const baseUrl = await this.discovery.getBaseUrl('onepassword');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'onepassword',
    });
    const url = `${baseUrl}/entities/${[namespace, kind, name]
      .map(encodeURIComponent)
      .join('/')}/secrets`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization: `Bearer ${token}` },
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        `Could not ask the onepassword backend which items ${entityRef} uses: ${
          (error as Error).message
        }`,
      );
    }
    if (response.status === 403) {
      throw new NotAllowedError(
        `Not allowed to read the 1Password-synced Secrets of ${entityRef} (permission 'onepassword.secrets.read')`,
      );
    }
    if (response.status === 404) {
      throw new NotFoundError(`No entity '${entityRef}' in the catalog`);
    }
    if (!response.ok) {
      throw new ServiceUnavailableError(
        `The onepassword backend answered ${response.status} for the Secrets of ${entityRef}`,
      );
    }
    const body = (await response.json()) as EntitySecretsResponse;
    return body.items.flatMap(record =>
      record.vaultId && record.itemId
        ? [{ vaultId: record.vaultId, itemId: record.itemId }]
        : [],
    );
  }
}
