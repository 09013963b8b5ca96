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

import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * Read the sync state of an entity's 1Password-synced Secrets. A resource
 * permission on catalog entities, so a policy can answer with catalog
 * conditions such as "owner only".
 * @public
 */
export const onepasswordSecretsReadPermission = createPermission({
  name: 'onepassword.secrets.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Read every synced Secret across the catalog and the clusters (audit page).
 * @public
 */
export const onepasswordAuditReadPermission = createPermission({
  name: 'onepassword.audit.read',
  attributes: { action: 'read' },
});

/**
 * Ask for a refresh of the sync snapshot now.
 * @public
 */
export const onepasswordRefreshPermission = createPermission({
  name: 'onepassword.refresh',
  attributes: { action: 'update' },
});

/**
 * Request new credentials (create items, vaults) through the scaffolder.
 * @public
 */
export const onepasswordCredentialsRequestPermission = createPermission({
  name: 'onepassword.credentials.request',
  attributes: { action: 'create' },
});

/** @public */
export const onepasswordPermissions = [
  onepasswordSecretsReadPermission,
  onepasswordAuditReadPermission,
  onepasswordRefreshPermission,
  onepasswordCredentialsRequestPermission,
];
