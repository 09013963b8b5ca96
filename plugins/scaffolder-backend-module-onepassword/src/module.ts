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
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  ALLOWED_VAULTS_ABSENT_WARNING,
  ALLOWED_VAULTS_CONFIG_KEY,
  onePasswordCredentialsRequestPermission,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { createOnePasswordItemCreateAction } from './actions/createItem';
import { createOnePasswordKubernetesItemAction } from './actions/kubernetesItem';
import { createOnePasswordVaultCreateAction } from './actions/createVault';
import { createOnePasswordItemRotateAction } from './actions/rotateItem';
import { ConnectCredentialsClient } from './connect/ConnectCredentialsClient';
import { CredentialsRequestGuard } from './guard/CredentialsRequestGuard';
import { loadOnePasswordItemSchema } from './kubernetes/structuralSchema';
import { OnePasswordBackendItemLookup } from './rotation/EntityItemLookup';
import { NamingConventions } from './naming/NamingConventions';
import { ServiceAccountVaultCreator } from './vaults/ServiceAccountVaultCreator';

/**
 * Scaffolder actions to request 1Password credentials:
 * `onepassword:item:create`, `onepassword:kubernetes:item:write`,
 * `onepassword:vault:create` and `onepassword:item:rotate`.
 * @public
 */
export const scaffolderModuleOnePassword = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'onepassword',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        logger: coreServices.logger,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({
        scaffolderActions,
        config,
        permissions,
        permissionsRegistry,
        auditor,
        logger,
        discovery,
        auth,
        catalog,
      }) {
        // Listed with the scaffolder's permissions, so policy authors and
        // RBAC tools see it.
        permissionsRegistry.addPermissions([
          onePasswordCredentialsRequestPermission,
        ]);
        if (!config.has(ALLOWED_VAULTS_CONFIG_KEY)) {
          logger.warn(ALLOWED_VAULTS_ABSENT_WARNING);
        }
        const connect = ConnectCredentialsClient.fromConfig(config);
        const naming = NamingConventions.fromConfig(config, { catalog });
        const guard = CredentialsRequestGuard.fromConfig(config, {
          permissions,
          auditor,
        });
        scaffolderActions.addActions(
          createOnePasswordItemCreateAction({ connect, guard }),
          createOnePasswordKubernetesItemAction({
            schema: loadOnePasswordItemSchema(),
            naming,
          }),
          createOnePasswordVaultCreateAction({
            connect,
            guard,
            vaultCreator: ServiceAccountVaultCreator.fromConfig(config),
            naming,
          }),
          createOnePasswordItemRotateAction({
            connect,
            guard,
            items: OnePasswordBackendItemLookup.create({ discovery, auth }),
          }),
        );
      },
    });
  },
});
