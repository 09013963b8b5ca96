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
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { readVaultProviderConfig } from './config';
import { ConnectVaultReader } from './connect/ConnectVaultReader';
import { OnePasswordVaultEntityProvider } from './provider/OnePasswordVaultEntityProvider';
import { VaultUsageClient } from './usage/VaultUsageClient';

/**
 * Puts the vaults of the configured 1Password Connect servers into the
 * catalog as `Resource` entities of type `1password-vault`.
 * @public
 */
export const catalogModuleOnePasswordVaults = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'onepassword-vaults',
  register({ registerInit }) {
    registerInit({
      deps: {
        catalogProcessing: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({
        catalogProcessing,
        config,
        logger,
        scheduler,
        discovery,
        auth,
        catalog,
      }) {
        const settings = readVaultProviderConfig(config);
        catalogProcessing.addEntityProvider(
          OnePasswordVaultEntityProvider.create({
            readers: settings.servers.map(server =>
              ConnectVaultReader.create({ server }),
            ),
            usage: VaultUsageClient.create({ discovery, auth }),
            catalog,
            auth,
            logger,
            scheduler,
            schedule: settings.schedule,
            defaultOwner: settings.defaultOwner,
          }),
        );
      },
    });
  },
});
