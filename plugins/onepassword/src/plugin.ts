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
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  createScaffolderFieldExtension,
  FieldExtensionComponent,
} from '@backstage/plugin-scaffolder-react';
import type { VaultOption } from '@secret-sync/backstage-plugin-onepassword-common';
import type { JSX } from 'react';
import { onePasswordApiRef, OnePasswordClient } from './api';
import { onePasswordVaultPickerFieldOptions } from './scaffolder';
import { auditRouteRef, requestCredentialsRouteRef } from './routes';

/**
 * The 1Password plugin for the legacy frontend system.
 * @public
 */
export const onePasswordPlugin = createPlugin({
  id: 'onepassword',
  apis: [
    createApiFactory({
      api: onePasswordApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new OnePasswordClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { audit: auditRouteRef },
  externalRoutes: { requestCredentials: requestCredentialsRouteRef },
});

/**
 * The entity Secrets tab: mount it at `/secrets` with
 * `if={isOnePasswordAvailable}`.
 * @public
 */
export const EntityOnePasswordContent: () => JSX.Element =
  onePasswordPlugin.provide(
    createComponentExtension({
      name: 'EntityOnePasswordContent',
      component: {
        lazy: () =>
          import('./components/EntityOnePasswordContent').then(
            m => m.EntityOnePasswordContent,
          ),
      },
    }),
  );

/**
 * The entity overview card: counts by status and the worst problem.
 * @public
 */
export const EntityOnePasswordCard: () => JSX.Element =
  onePasswordPlugin.provide(
    createComponentExtension({
      name: 'EntityOnePasswordCard',
      component: {
        lazy: () =>
          import('./components/EntityOnePasswordCard').then(
            m => m.EntityOnePasswordCard,
          ),
      },
    }),
  );

/**
 * The Secrets tab of a 1Password vault's entity: the Secrets synced from the
 * vault, in every cluster (the audit permission). Show it where
 * {@link isOnePasswordVault} holds.
 * @public
 */
export const EntityOnePasswordVaultContent: () => JSX.Element =
  onePasswordPlugin.provide(
    createComponentExtension({
      name: 'EntityOnePasswordVaultContent',
      component: {
        lazy: () =>
          import('./components/EntityOnePasswordVaultContent').then(
            m => m.EntityOnePasswordVaultContent,
          ),
      },
    }),
  );

/**
 * The audit page of every synced Secret, for platform owners.
 * @public
 */
export const OnePasswordAuditPage: () => JSX.Element =
  onePasswordPlugin.provide(
    createRoutableExtension({
      name: 'OnePasswordAuditPage',
      component: () =>
        import('./components/OnePasswordAuditPage').then(
          m => m.OnePasswordAuditPage,
        ),
      mountPoint: auditRouteRef,
    }),
  );

/**
 * The vault picker field for templates (`ui:field: OnePasswordVaultPicker`),
 * for `<ScaffolderFieldExtensions>` in legacy apps.
 * @public
 */
// Typed by name: an inferred object type prints its keys in whatever order
// the compiler met them, which makes the API report differ between builds.
export const OnePasswordVaultPickerFieldExtension: FieldExtensionComponent<
  VaultOption,
  { servers?: string[] }
> = onePasswordPlugin.provide(
  createScaffolderFieldExtension(onePasswordVaultPickerFieldOptions),
);
