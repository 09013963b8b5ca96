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
export const onePasswordSecretsReadPermission = createPermission({
  name: 'onepassword.secrets.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Read every synced Secret across the catalog and the clusters (audit page).
 * @public
 */
export const onePasswordAuditReadPermission = createPermission({
  name: 'onepassword.audit.read',
  attributes: { action: 'read' },
});

/**
 * Ask for a refresh of the sync snapshot now.
 * @public
 */
export const onePasswordRefreshPermission = createPermission({
  name: 'onepassword.refresh',
  attributes: { action: 'update' },
});

/**
 * Read the health of the Connect servers and clusters (`GET /servers`,
 * `GET /clusters`): their URLs, vault ids and operator settings are
 * infrastructure detail, not for every signed-in user.
 * @public
 */
export const onePasswordHealthReadPermission = createPermission({
  name: 'onepassword.health.read',
  attributes: { action: 'read' },
});

/**
 * Request new credentials (create items, vaults) for a catalog entity
 * through the scaffolder. A resource permission on the target entity,
 * checked with the task initiator's credentials, so an owner-only policy
 * keeps anyone from creating items tagged for a service they do not own.
 * @public
 */
export const onePasswordCredentialsRequestPermission = createPermission({
  name: 'onepassword.credentials.request',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** @public */
export const onePasswordPermissions = [
  onePasswordSecretsReadPermission,
  onePasswordAuditReadPermission,
  onePasswordRefreshPermission,
  onePasswordHealthReadPermission,
  onePasswordCredentialsRequestPermission,
];
