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

import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  ALLOWED_VAULTS_CONFIG_KEY,
  AllowedVaultsEntry,
} from '@secret-sync/backstage-plugin-onepassword-common';

/** A configured Connect server, validated. @public */
export interface ConnectServerConfig {
  name: string;
  /** Without a trailing slash. */
  url: string;
  token: string;
  /** Retries of transient failures within one refresh. */
  retry: { retries: number; backoffMs: number };
}

/**
 * The error for a bad configuration value, naming its key, so that start-up
 * fails with a message that says what to fix.
 * @public
 */
export function invalidConfigError(key: string, problem: string): InputError {
  return new InputError(`Invalid configuration at '${key}': ${problem}`);
}

function invalid(key: string, problem: string): never {
  throw invalidConfigError(key, problem);
}

/**
 * Reads and validates `onepassword.connect.servers` (and
 * `onepassword.connect.retry`), the one list of Connect servers every
 * 1Password backend package uses. Absent: an empty list, so a caller decides
 * whether none is an error. Throws naming the offending key.
 * @public
 */
export function readConnectServers(config: Config): ConnectServerConfig[] {
  const serverConfigs =
    config.getOptionalConfigArray('onepassword.connect.servers') ?? [];
  if (serverConfigs.length === 0) return [];
  const retries =
    config.getOptionalNumber('onepassword.connect.retry.retries') ?? 2;
  const backoffMs =
    config.getOptionalNumber('onepassword.connect.retry.backoffMs') ?? 250;
  if (!Number.isInteger(retries) || retries < 0 || retries > 10) {
    invalid('onepassword.connect.retry.retries', 'must be a whole number 0-10');
  }
  if (!Number.isFinite(backoffMs) || backoffMs < 0 || backoffMs > 60_000) {
    invalid('onepassword.connect.retry.backoffMs', 'must be 0-60000 ms');
  }
  const retry = { retries, backoffMs };
  const servers = serverConfigs.map((server, index) => {
    const key = `onepassword.connect.servers[${index}]`;
    const name = server.getString('name');
    const url = server.getString('url');
    const token = server.getString('token');
    if (!/^[a-zA-Z0-9][\w.-]*$/.test(name)) {
      invalid(
        `${key}.name`,
        `'${name}' must be letters, digits, '.', '_' or '-'`,
      );
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return invalid(`${key}.url`, `'${url}' is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      invalid(`${key}.url`, `'${url}' must be http or https`);
    }
    if (!token.trim()) invalid(`${key}.token`, 'must not be empty');
    return { name, url: url.replace(/\/+$/, ''), token, retry };
  });
  const names = new Set<string>();
  servers.forEach((s, index) => {
    if (names.has(s.name)) {
      invalid(
        `onepassword.connect.servers[${index}].name`,
        `duplicate server name '${s.name}'`,
      );
    }
    names.add(s.name);
  });
  return servers;
}

/**
 * Reads `onepassword.scaffolder.allowedVaults`. Absent: empty, so no vault is
 * allowed. Given the configured `servers`, every entry must name one of them
 * (the backend, which owns that list, fails start-up otherwise; a module that
 * only reads the list leaves that check to it).
 * @public
 */
export function readAllowedVaults(
  config: Config,
  options: { servers?: ConnectServerConfig[] } = {},
): AllowedVaultsEntry[] {
  const names = options.servers
    ? new Set(options.servers.map(server => server.name))
    : undefined;
  const allowed = config.getOptionalConfigArray(ALLOWED_VAULTS_CONFIG_KEY);
  return (
    allowed?.map((entry, index) => {
      const server = entry.getString('server');
      if (names && !names.has(server)) {
        invalid(
          `${ALLOWED_VAULTS_CONFIG_KEY}[${index}].server`,
          `'${server}' is not a configured server`,
        );
      }
      return { server, vaults: entry.getStringArray('vaults') };
    }) ?? []
  );
}
