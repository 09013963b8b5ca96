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
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceRef,
  metricsServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  ALLOWED_VAULTS_ABSENT_WARNING,
  ALLOWED_VAULTS_CONFIG_KEY,
  onePasswordAuditReadPermission,
  onePasswordHealthReadPermission,
  onePasswordRefreshPermission,
  onePasswordSecretsReadPermission,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { registerSecretSyncActions } from './actions/registerSecretSyncActions';
import { readOnePasswordConfig } from './config';
import { ConnectGateway, SdkConnectGateway } from './connect/ConnectGateway';
import { DatabaseRefreshLease } from './database/DatabaseRefreshLease';
import { DatabaseRefreshLimiter } from './database/DatabaseRefreshLimiter';
import { DatabaseSecretSyncStore } from './database/DatabaseSecretSyncStore';
import { KubernetesProxyClient } from './kubernetes/KubernetesProxyClient';
import { ClusterChangeRefresh } from './kubernetes/watch/ClusterChangeRefresh';
import { ClusterCollectionCache } from './kubernetes/watch/ClusterCollectionCache';
import { ExclusiveRefresh } from './refresh/ExclusiveRefresh';
import { RefreshService } from './refresh/RefreshService';
import { SyncMetrics } from './refresh/SyncMetrics';
import { RefreshTrigger } from './service/RefreshTrigger';
import { createRouter } from './service/router';
import { SecretSyncQueryService } from './service/SecretSyncQueryService';
import { readHistoryConfig } from './history/historyConfig';
import {
  HISTORY_PRUNE_TASK_ID,
  HistoryRetention,
} from './history/HistoryRetention';
import { readNotificationsConfig } from './notifications/notificationsConfig';
import { SyncNotifier } from './notifications/SyncNotifier';
import { EntitySecretsSignals } from './signals/EntitySecretsSignals';
import { NamingAuditService } from './naming/NamingAuditService';

/**
 * The `onepassword` backend plugin: the 1Password operator sync state of
 * every synced Secret in every cluster, linked to catalog entities.
 * @public
 */
export const onePasswordPlugin = createBackendPlugin({
  pluginId: 'onepassword',
  register(env) {
    env.registerInit({
      deps: {
        rootConfig: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        metrics: metricsServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        notifications: notificationService,
        signals: signalsServiceRef,
      },
      async init(deps) {
        const config = readOnePasswordConfig(deps.rootConfig);
        const notificationsConfig = readNotificationsConfig(deps.rootConfig);
        const historyConfig = readHistoryConfig(deps.rootConfig);
        deps.permissionsRegistry.addPermissions([
          onePasswordSecretsReadPermission,
          onePasswordAuditReadPermission,
          onePasswordRefreshPermission,
          onePasswordHealthReadPermission,
        ]);
        if (!deps.rootConfig.has(ALLOWED_VAULTS_CONFIG_KEY)) {
          deps.logger.warn(ALLOWED_VAULTS_ABSENT_WARNING);
        }

        const store = await DatabaseSecretSyncStore.create({
          database: deps.database,
        });
        const metrics = SyncMetrics.create({ metrics: deps.metrics });
        const gateways = new Map<string, ConnectGateway>(
          config.servers.map(server => [
            server.name,
            SdkConnectGateway.create({
              server,
              observe: event => metrics.connectRequest(event),
            }),
          ]),
        );
        const exclusiveRefresh = ExclusiveRefresh.create({
          lease: await DatabaseRefreshLease.create({ database: deps.database }),
          scheduler: deps.scheduler,
          schedule: config.refresh,
          logger: deps.logger,
        });
        const startRefresh = () => exclusiveRefresh.start();
        const kubernetes = KubernetesProxyClient.create({
          discovery: deps.discovery,
          auth: deps.auth,
          observe: event => metrics.clusterRequest(event),
        });
        const collections = ClusterCollectionCache.create({
          client: kubernetes,
          logger: deps.logger,
          watch: config.clusterWatch.enabled,
          maxObjectsPerCollection: config.clusterWatch.maxObjectsPerCollection,
          onChange: ClusterChangeRefresh.create({
            start: startRefresh,
            delayMs: config.clusterWatch.refreshDelayMs,
            logger: deps.logger,
          }).onChange,
        });
        deps.lifecycle.addShutdownHook(() => collections.stop());
        const notifier = SyncNotifier.create({
          notifications: deps.notifications,
          store,
          config: notificationsConfig,
          logger: deps.logger,
        });
        const signals = EntitySecretsSignals.create({
          signals: deps.signals,
          logger: deps.logger,
        });
        const refreshService = RefreshService.create({
          config,
          store,
          gateways,
          kubernetes,
          collections,
          catalog: deps.catalog,
          auth: deps.auth,
          logger: deps.logger,
          metrics,
          onRefreshed: async outcome => {
            await notifier.onRefreshed(outcome);
            await signals.onRefreshed(outcome);
          },
        });

        await exclusiveRefresh.register(() => refreshService.refresh());
        const retention = HistoryRetention.create({
          store,
          config: historyConfig,
          logger: deps.logger,
        });
        await deps.scheduler.scheduleTask({
          id: HISTORY_PRUNE_TASK_ID,
          frequency: { hours: 1 },
          timeout: { minutes: 5 },
          scope: 'global',
          fn: async () => {
            await retention.prune();
          },
        });

        const query = SecretSyncQueryService.create({
          store,
          catalog: deps.catalog,
          config,
        });
        registerSecretSyncActions({
          actionsRegistry: deps.actionsRegistry,
          permissions: deps.permissions,
          query,
        });
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            logger: deps.logger,
            catalog: deps.catalog,
            query,
            naming: NamingAuditService.create({
              store,
              catalog: deps.catalog,
              config,
            }),
            refresh: RefreshTrigger.create({
              start: startRefresh,
              store,
              limiter: await DatabaseRefreshLimiter.create({
                database: deps.database,
              }),
            }),
          }),
        );
      },
    });
  },
});
