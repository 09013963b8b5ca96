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
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ONEPASSWORD_VAULTS_ANNOTATION,
  onePasswordCredentialsRequestPermission,
} from '@secret-sync/backstage-plugin-onepassword-common';

/** Vault names (lower case), or every vault the allow-list lets through. */
export type VaultScope = 'all' | ReadonlySet<string>;

/**
 * Which vaults a caller may request credentials in, as the scaffolder module
 * will check it: `onepassword.credentials.request` on the entity the
 * credentials are for. Allowed outright: every vault. Allowed for some
 * entities only (an owner-only policy): the vaults those entities name in
 * `1password.com/vaults`. Denied: 403.
 */
export class RequestableVaults {
  static create(options: {
    permissions: PermissionsService;
    catalog: CatalogService;
  }) {
    return new RequestableVaults(options.permissions, options.catalog);
  }

  private constructor(
    private readonly permissions: PermissionsService,
    private readonly catalog: CatalogService,
  ) {}

  async forCaller(credentials: BackstageCredentials): Promise<VaultScope> {
    const permission = onePasswordCredentialsRequestPermission;
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return 'all';
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }

    const { items } = await this.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${ONEPASSWORD_VAULTS_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.annotations',
        ],
      },
      { credentials },
    );
    if (items.length === 0) return new Set();
    const decisions = await this.permissions.authorize(
      items.map(entity => ({
        permission,
        resourceRef: stringifyEntityRef(entity),
      })),
      { credentials },
    );
    const names = new Set<string>();
    items.forEach((entity, index) => {
      if (decisions[index].result !== AuthorizeResult.ALLOW) return;
      const annotation =
        entity.metadata.annotations?.[ONEPASSWORD_VAULTS_ANNOTATION] ?? '';
      for (const name of annotation.split(',')) {
        if (name.trim()) names.add(name.trim().toLocaleLowerCase('en-US'));
      }
    });
    return names;
  }
}
