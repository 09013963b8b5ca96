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
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogService,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  ONEPASSWORD_VAULT_ENTITY_TYPE,
  ONEPASSWORD_VAULTS_ANNOTATION,
} from '@secret-sync/backstage-plugin-onepassword-common';
import type {
  ConnectVaultReader,
  ListedVault,
} from '../connect/ConnectVaultReader';
import {
  buildVaultEntities,
  claimOf,
  previousState,
  VaultClaim,
  VaultUsage,
} from '../entities/vaultEntities';
import type { VaultUsageClient } from '../usage/VaultUsageClient';

const PROVIDER_NAME = 'onepassword-vaults';

/** What one refresh published, for logs and tests. */
export interface VaultRefreshOutcome {
  /** False: a read failed before anything could be published; the catalog kept what it had. */
  published: boolean;
  entities: number;
  /** Servers whose vaults could not be read: their last published vaults were kept. */
  failedServers: string[];
  /** True when the usage could not be read and the last published relations were kept. */
  usageFailed: boolean;
}

/**
 * Puts each vault the Connect servers serve into the catalog as a
 * `Resource` of type `1password-vault`, with full mutations.
 *
 * A server that cannot be read keeps the vaults the catalog already holds
 * from it (read back from the catalog, so this survives restarts and is the
 * same on every replica): Connect fails transiently (false 403s, restarts,
 * a lagging sync), and deleting its vaults would also delete every
 * `dependsOn` relation and ownership until the next good read. A vault
 * disappears only when its server answers without it, or is no longer
 * configured.
 */
export class OnePasswordVaultEntityProvider implements EntityProvider {
  static create(options: {
    readers: ConnectVaultReader[];
    usage: VaultUsageClient;
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
    scheduler: SchedulerService;
    schedule: SchedulerServiceTaskScheduleDefinition;
    defaultOwner: string;
  }): OnePasswordVaultEntityProvider {
    return new OnePasswordVaultEntityProvider(options);
  }

  private connection?: EntityProviderConnection;

  private constructor(
    private readonly options: Parameters<
      typeof OnePasswordVaultEntityProvider.create
    >[0],
  ) {}

  getProviderName(): string {
    return PROVIDER_NAME;
  }

  /** The scheduler task that refreshes the vaults. */
  getTaskId(): string {
    return `${PROVIDER_NAME}:refresh`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    const { scheduler, schedule, logger } = this.options;
    await scheduler.scheduleTask({
      ...schedule,
      id: this.getTaskId(),
      fn: async () => {
        try {
          await this.refresh();
        } catch (error) {
          logger.error(
            'Refreshing the 1Password vault entities failed',
            error as Error,
          );
        }
      },
    });
  }

  async refresh(): Promise<VaultRefreshOutcome> {
    const connection = this.connection;
    if (!connection) {
      throw new Error(`${PROVIDER_NAME} is not connected to the catalog yet`);
    }
    const { logger } = this.options;

    let published: Entity[];
    let vaultClaims: VaultClaim[];
    try {
      [published, vaultClaims] = await Promise.all([
        this.readPublished(),
        this.readClaims(),
      ]);
    } catch (error) {
      logger.warn(
        `Could not read the catalog, so the 1Password vault entities stay as they are until the next refresh: ${
          (error as Error).message
        }`,
      );
      return {
        published: false,
        entities: 0,
        failedServers: [],
        usageFailed: false,
      };
    }
    const previous = previousState(published);

    const failedServers: string[] = [];
    const vaultsByServer = new Map<string, ListedVault[]>();
    await Promise.all(
      this.options.readers.map(async reader => {
        const server = reader.serverName;
        try {
          vaultsByServer.set(server, await reader.listVaults());
        } catch (error) {
          failedServers.push(server);
          const kept = previous.vaultsByServer.get(server) ?? [];
          vaultsByServer.set(server, kept);
          logger.warn(
            `Could not list the vaults of 1Password Connect server '${server}' (${
              (error as Error).message
            }); keeping the ${kept.length} vault entities last read from it`,
          );
        }
      }),
    );

    let usage: VaultUsage;
    let usageFailed = false;
    try {
      usage = await this.options.usage.read();
    } catch (error) {
      usageFailed = true;
      usage = previous.usage;
      logger.warn(
        `Could not read which services' Secrets come from which vault (${
          (error as Error).message
        }); keeping the dependsOn relations last published`,
      );
    }

    const entities = buildVaultEntities({
      vaultsByServer,
      claims: vaultClaims,
      usage,
      defaultOwner: this.options.defaultOwner,
    });
    await connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: PROVIDER_NAME,
      })),
    });
    logger.info(
      `Published ${entities.length} 1Password vault entities${
        failedServers.length
          ? ` (kept the last read of ${failedServers.sort().join(', ')})`
          : ''
      }`,
    );
    return {
      published: true,
      entities: entities.length,
      failedServers: failedServers.sort(),
      usageFailed,
    };
  }

  private async credentials() {
    return { credentials: await this.options.auth.getOwnServiceCredentials() };
  }

  private async readPublished(): Promise<Entity[]> {
    const { items } = await this.options.catalog.getEntities(
      {
        filter: {
          kind: 'Resource',
          'spec.type': ONEPASSWORD_VAULT_ENTITY_TYPE,
        },
      },
      await this.credentials(),
    );
    return items;
  }

  private async readClaims(): Promise<VaultClaim[]> {
    const { items } = await this.options.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${ONEPASSWORD_VAULTS_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
          'spec.owner',
        ],
      },
      await this.credentials(),
    );
    return items.map(claimOf).filter((c): c is VaultClaim => c !== null);
  }
}
