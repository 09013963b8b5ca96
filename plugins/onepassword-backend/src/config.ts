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
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { CronTime } from 'cron';
import {
  AllowedVaultsEntry,
  NamingRules,
  readNamingRules,
} from '@secret-sync/backstage-plugin-onepassword-common';
import {
  ConnectServerConfig,
  invalidConfigError,
  readAllowedVaults,
  readConnectServers,
} from '@secret-sync/backstage-plugin-onepassword-node';

/** The validated `onepassword` configuration. @public */
/**
 * A watched collection's cap. The largest the plugin keeps are a cluster's
 * Secrets (a name for each Secret the operator did not write, about 0.2 KB)
 * and its Deployments (a few KB each, literal env values dropped): 50,000
 * Deployments are some 150 MB, the most one cluster may hold.
 */
const DEFAULT_MAX_OBJECTS_PER_COLLECTION = 50_000;

export interface OnePasswordConfig {
  servers: ConnectServerConfig[];
  refresh: SchedulerServiceTaskScheduleDefinition;
  clusterWatch: {
    /** False: every refresh lists each collection (paged) instead of reading watched caches. */
    enabled: boolean;
    /** How long after a watched change a refresh runs; null: only on the schedule. */
    refreshDelayMs: number | null;
    /** The most objects one collection of one cluster is watched and kept with. */
    maxObjectsPerCollection: number;
  };
  pollingIntervalSeconds: number;
  clusterServers: Map<string, string>;
  /** Null: every vault may be offered. */
  /** Absent in config: empty, so no vault is offered (see config.d.ts). */
  allowedVaults: AllowedVaultsEntry[];
  /** Seconds the operator's poll spends per Secret; how long one poll takes. */
  pollSecondsPerSecret: number;
  /**
   * Namespaces to read one by one where a cluster-wide list is forbidden,
   * per cluster; absent: the operators' WATCH_NAMESPACE.
   */
  clusterNamespaces: Map<string, string[]>;
  /** `onepassword.rotation.maxAge`, in order: the first that matches a record applies. */
  rotation: RotationRule[];
  /** `onepassword.naming`: the rules names are audited against. */
  naming: NamingRules;
}

/**
 * How old an item may get before it is due for rotation, for the items of
 * some vaults (patterns as in allowedVaults) and/or categories; a rule with
 * neither applies to every item.
 * @public
 */
export interface RotationRule {
  vaults: string[] | null;
  categories: string[] | null;
  maxAgeMs: number;
}

const DEFAULT_REFRESH: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 60 },
  timeout: { minutes: 5 },
};

function invalid(key: string, problem: string): never {
  throw invalidConfigError(key, problem);
}

/**
 * Reads and validates the `onepassword` configuration. Throws an error
 * naming the offending key, so a bad configuration fails start-up.
 * @public
 */
export function readOnePasswordConfig(config: Config): OnePasswordConfig {
  const root = config.getOptionalConfig('onepassword');
  if (!root)
    invalid('onepassword', 'missing; at least connect.servers is required');

  const servers = readConnectServers(config);
  if (servers.length === 0) {
    invalid(
      'onepassword.connect.servers',
      'configure at least one Connect server',
    );
  }
  const names = new Set(servers.map(server => server.name));

  const refresh = root.has('refresh')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        root.getConfig('refresh'),
      )
    : DEFAULT_REFRESH;
  // The refresh keeps its own schedule (ExclusiveRefresh), so a cron that
  // Backstage's scheduler would have refused at start-up is checked here.
  if ('cron' in refresh.frequency) {
    try {
      new CronTime(refresh.frequency.cron).getTimeout();
    } catch (error) {
      invalid(
        'onepassword.refresh.frequency.cron',
        `not a valid cron expression (${(error as Error).message})`,
      );
    }
  }

  const pollingIntervalSeconds =
    root.getOptionalNumber('pollingIntervalSeconds') ?? 600;
  if (
    !Number.isInteger(pollingIntervalSeconds) ||
    pollingIntervalSeconds <= 0
  ) {
    invalid(
      'onepassword.pollingIntervalSeconds',
      'must be a positive whole number of seconds',
    );
  }

  const pollSecondsPerSecret =
    root.getOptionalNumber('operatorPoll.secondsPerSecret') ?? 0.2;
  if (!Number.isFinite(pollSecondsPerSecret) || pollSecondsPerSecret < 0) {
    invalid(
      'onepassword.operatorPoll.secondsPerSecret',
      'must be a number of seconds, 0 or more',
    );
  }

  const clusterServers = new Map<string, string>();
  const clusterNamespaces = new Map<string, string[]>();
  const clusters = root.getOptionalConfig('clusters');
  for (const cluster of clusters?.keys() ?? []) {
    const namespaces = clusters!.getOptionalStringArray(
      `${cluster}.namespaces`,
    );
    if (namespaces) clusterNamespaces.set(cluster, namespaces);
    const server = clusters!.getOptionalString(`${cluster}.connectServer`);
    if (server === undefined) continue;
    if (!names.has(server)) {
      invalid(
        `onepassword.clusters.${cluster}.connectServer`,
        `'${server}' is not a configured server (${[...names].join(', ')})`,
      );
    }
    clusterServers.set(cluster, server);
  }

  const allowedVaults = readAllowedVaults(config, { servers });

  const clusterWatch = {
    enabled: root.getOptionalBoolean('clusterWatch.enabled') ?? true,
    refreshDelayMs: 2_000 as number | null,
    maxObjectsPerCollection:
      root.getOptionalNumber('clusterWatch.maxObjectsPerCollection') ??
      DEFAULT_MAX_OBJECTS_PER_COLLECTION,
  };
  if (
    !Number.isInteger(clusterWatch.maxObjectsPerCollection) ||
    clusterWatch.maxObjectsPerCollection < 1
  ) {
    invalid(
      'onepassword.clusterWatch.maxObjectsPerCollection',
      'must be a positive whole number',
    );
  }
  if (root.getOptional('clusterWatch.refreshDelay') === false) {
    clusterWatch.refreshDelayMs = null;
  } else if (root.has('clusterWatch.refreshDelay')) {
    try {
      clusterWatch.refreshDelayMs = durationToMilliseconds(
        readDurationFromConfig(root, { key: 'clusterWatch.refreshDelay' }),
      );
    } catch (e) {
      invalid(
        'onepassword.clusterWatch.refreshDelay',
        `must be false or a duration such as { seconds: 2 }: ${
          (e as Error).message
        }`,
      );
    }
  }

  const rotation = (root.getOptionalConfigArray('rotation.maxAge') ?? []).map(
    (rule, index) => {
      const key = `onepassword.rotation.maxAge[${index}]`;
      let maxAgeMs: number;
      try {
        maxAgeMs = durationToMilliseconds(
          readDurationFromConfig(rule, { key: 'maxAge' }),
        );
      } catch (e) {
        return invalid(
          `${key}.maxAge`,
          `must be a duration such as { days: 90 } or 'P90D': ${
            (e as Error).message
          }`,
        );
      }
      if (!(maxAgeMs > 0)) invalid(`${key}.maxAge`, 'must be longer than 0');
      return {
        vaults: rule.getOptionalStringArray('vaults') ?? null,
        categories:
          rule
            .getOptionalStringArray('categories')
            ?.map(c => c.toUpperCase()) ?? null,
        maxAgeMs,
      };
    },
  );

  let naming: NamingRules;
  try {
    naming = readNamingRules(config);
  } catch (e) {
    return invalid('onepassword.naming', (e as Error).message);
  }

  return {
    servers,
    refresh,
    rotation,
    naming,
    pollingIntervalSeconds,
    clusterWatch,
    clusterServers,
    allowedVaults,
    pollSecondsPerSecret,
    clusterNamespaces,
  };
}

/** The URL origin, with localhost and 127.0.0.1 treated as one host. */
export function normalizedOrigin(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    const host =
      parsed.hostname === '127.0.0.1' || parsed.hostname === '[::1]'
        ? 'localhost'
        : parsed.hostname;
    const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
    return `${parsed.protocol}//${host}:${port}`;
  } catch {
    return undefined;
  }
}
