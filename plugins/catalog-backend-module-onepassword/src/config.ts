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
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** The config key of this module's settings. */
export const PROVIDER_CONFIG_KEY = 'catalog.providers.onepassword';

/** A Connect server of `onepassword.connect.servers`, as this module reads it. */
export interface ConnectServerSettings {
  name: string;
  url: string;
  token: string;
}

/** The validated configuration of the vault entity provider. */
export interface VaultProviderConfig {
  servers: ConnectServerSettings[];
  /** A full entity ref, `group:default/platform`. */
  defaultOwner: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 2 },
};

function invalid(key: string, problem: string): never {
  throw new InputError(`Invalid configuration at '${key}': ${problem}`);
}

/**
 * Reads the Connect servers and the provider settings; a bad value throws
 * an error naming its key, so the backend does not start half-configured.
 *
 * The servers are read as the onepassword backend reads them (name, url,
 * token); the backend validates the rest of that section. When the shared
 * Connect configuration reader is published in a node library, this is the
 * one function to switch over.
 */
export function readVaultProviderConfig(config: Config): VaultProviderConfig {
  const servers = (
    config.getOptionalConfigArray('onepassword.connect.servers') ?? []
  ).map((server, index) => {
    const key = `onepassword.connect.servers[${index}]`;
    const url = server.getString('url');
    if (!URL.canParse(url)) invalid(`${key}.url`, `'${url}' is not a URL`);
    const token = server.getString('token');
    if (!token.trim()) invalid(`${key}.token`, 'must not be empty');
    return {
      name: server.getString('name'),
      url: url.replace(/\/+$/, ''),
      token,
    };
  });
  if (servers.length === 0) {
    invalid(
      'onepassword.connect.servers',
      'configure at least one Connect server whose vaults go into the catalog',
    );
  }

  const settings = config.getOptionalConfig(PROVIDER_CONFIG_KEY);
  const ownerKey = `${PROVIDER_CONFIG_KEY}.defaultOwner`;
  const owner = settings?.getOptionalString('defaultOwner');
  if (!owner) {
    invalid(
      ownerKey,
      'missing; name the platform group that owns vaults no single team claims, such as group:default/platform',
    );
  }
  let defaultOwner: string;
  try {
    defaultOwner = stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch (e) {
    return invalid(
      ownerKey,
      `'${owner}' is not an entity reference: ${(e as Error).message}`,
    );
  }

  const schedule = settings?.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        settings.getConfig('schedule'),
      )
    : DEFAULT_SCHEDULE;
  return { servers, defaultOwner, schedule };
}
