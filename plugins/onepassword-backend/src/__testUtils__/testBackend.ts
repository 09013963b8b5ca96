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
  createServiceFactory,
  LoggerService,
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  CATALOG_FILTER_EXISTS,
  type GetEntitiesRequest,
} from '@backstage/catalog-client';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import type { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import type { Server } from 'node:http';
import onePasswordPlugin from '../index';
import { REFRESH_TASK_ID } from '../refresh/ExclusiveRefresh';

/** A logger that keeps every line, to prove none carries a value. */
export class CapturingLogger implements LoggerService {
  constructor(readonly lines: string[], private readonly meta: object = {}) {}
  private push(level: string, message: string, meta?: Error | object) {
    this.lines.push(
      `${level} ${message} ${JSON.stringify({
        ...this.meta,
        ...(meta instanceof Error
          ? { error: String(meta), stack: meta.stack }
          : meta),
      })}`,
    );
  }
  error(m: string, meta?: Error | object) {
    this.push('error', m, meta);
  }
  warn(m: string, meta?: Error | object) {
    this.push('warn', m, meta);
  }
  info(m: string, meta?: Error | object) {
    this.push('info', m, meta);
  }
  debug(m: string, meta?: Error | object) {
    this.push('debug', m, meta);
  }
  child(meta: object) {
    return new CapturingLogger(this.lines, { ...this.meta, ...meta });
  }
}

/**
 * The Kubernetes plugin's proxy loads the ESM-only `@kubernetes/client-node`
 * with a dynamic `import()`, which Jest only runs with VM modules enabled.
 */
export function requireVmModules() {
  const flags = `${process.env.NODE_OPTIONS} ${process.execArgv.join(' ')}`;
  if (!flags.includes('--experimental-vm-modules')) {
    throw new Error(
      'Run this test with NODE_OPTIONS=--experimental-vm-modules',
    );
  }
}

/**
 * The annotations a filter asks to exist, one of them per alternative, when
 * that is all it asks (`{ 'metadata.annotations.<key>': CATALOG_FILTER_EXISTS }`
 * alternatives, as the plugin's claims query).
 */
function annotationsThatExist(
  filter: GetEntitiesRequest['filter'],
): string[] | undefined {
  const alternatives = [filter ?? []].flat();
  const keys: string[] = [];
  for (const alternative of alternatives) {
    const entries = Object.entries(alternative);
    if (entries.length !== 1) return undefined;
    const [key, value] = entries[0];
    if (
      value !== CATALOG_FILTER_EXISTS ||
      !key.startsWith('metadata.annotations.')
    ) {
      return undefined;
    }
    keys.push(key.slice('metadata.annotations.'.length));
  }
  return keys.length ? keys : undefined;
}

/** The fields of an entity, as the catalog's `fields` option picks them (plain dotted paths). */
function pickFields(entity: Entity, fields: string[]): Entity {
  const picked: Record<string, unknown> = {};
  for (const field of fields) {
    const path = field.split('.');
    let value: unknown = entity;
    for (const part of path) {
      value = (value as Record<string, unknown> | undefined)?.[part];
    }
    if (value === undefined) continue;
    let target = picked;
    for (const part of path.slice(0, -1)) {
      target[part] ??= {};
      target = target[part] as Record<string, unknown>;
    }
    target[path[path.length - 1]] = value;
  }
  return picked as unknown as Entity;
}

/**
 * The in-memory catalog, with lookups by ref from an index: the mock's own
 * rebuilds a map of every entity per call (4.8 ms at 5,000 entities), which
 * would make the benchmark measure the mock rather than the plugin. An
 * annotation-exists query is answered by looking at the annotations, as the
 * catalog's search index does, not by flattening every entity per call
 * (50-140 ms at 5,000 entities).
 */
function indexedCatalog(entities: Entity[]) {
  const catalog = catalogServiceMock({ entities });
  const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  catalog.getEntityByRef = async (ref: string | CompoundEntityRef) =>
    byRef.get(
      stringifyEntityRef(typeof ref === 'string' ? parseEntityRef(ref) : ref),
    );
  const getEntities = catalog.getEntities.bind(catalog);
  catalog.getEntities = async (request, options) => {
    const annotations = annotationsThatExist(request?.filter);
    const plain =
      request &&
      !request.order &&
      request.offset === undefined &&
      request.limit === undefined &&
      request.after === undefined;
    if (!annotations || !plain) return getEntities(request, options);
    const items = entities.filter(e =>
      annotations.some(a => e.metadata.annotations?.[a] !== undefined),
    );
    const fields = request.fields;
    return {
      items: fields?.length ? items.map(e => pickFields(e, fields)) : items,
    };
  };
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () => catalog,
  });
}

/**
 * Where a running sandbox listens: a `Sandbox`, or what another process
 * rebuilt from its info.
 */
export interface SandboxEndpoints {
  clusters: Array<{ name: string; url: string; caData: string }>;
  connectServer(name: string): { url: string };
}

/** How {@link startSandboxBackend} wires the plugin to a running sandbox. */
export interface SandboxBackendOptions {
  sandbox: SandboxEndpoints;
  /** Backstage's Connect token, by sandbox Connect server name. */
  connectTokens: Record<string, string>;
  /** The service account token the Kubernetes plugin uses on a cluster. */
  clusterToken(cluster: string): string;
  entities: Entity[];
  /** The plugin database; default the test backend's in-memory SQLite. */
  knex?: Knex;
  /** Receives every log line of every plugin. */
  logLines: string[];
  /**
   * Keep clusters current by watches and refresh soon after a change, as in
   * production; default false.
   */
  clusterWatch?: boolean;
  /** With clusterWatch: refresh soon after a watched change; default true. */
  refreshOnClusterChange?: boolean;
  /** The Kubernetes plugin's auth provider per cluster; default serviceAccount. */
  authProvider?(cluster: string): string;
  /** Where Backstage reaches a Connect server, if not at the sandbox's own URL (a fault proxy). */
  connectUrls?: Record<string, string>;
  /** More `onepassword` configuration, merged over the defaults. */
  onePasswordConfig?: Record<string, unknown>;
  /**
   * Run as a deployed backend does: Backstage's own scheduler (refreshes on
   * `onepassword.refresh`, one replica at a time through the database) and
   * database manager with this `backend.database` configuration, instead of
   * a manual scheduler and the test database. `refresh()` is then refused:
   * trigger through `POST /refresh`.
   */
  deployed?: { database: JsonObject };
  /** More features, such as a recording notifications service. */
  features?: ServiceFactory[];
}

/** A running test backend wired to a sandbox. */
export interface SandboxBackend {
  /** The backend's HTTP server, for supertest or `port()`. */
  server: Server & { port(): number };
  /** Runs the refresh task and resolves when it is done. */
  refresh(): Promise<void>;
  /** Runs another scheduled task of the plugin and resolves when it is done. */
  triggerTask(id: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the onepassword and kubernetes backend plugins in-process against a
 * running sandbox, with a mock catalog and a scheduler whose refresh task
 * runs only when `refresh()` is called (and resolves when it is done).
 * Runs outside Jest too (the benchmark uses it).
 */
export async function startSandboxBackend(
  options: SandboxBackendOptions,
): Promise<SandboxBackend> {
  const { sandbox, logLines } = options;
  // The mock scheduler instance also makes its own service factory.
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(options: { skipTaskRunOnStartup?: boolean }): ServiceFactory;
  };
  const { deployed } = options;
  const backend = await startTestBackend({
    features: [
      onePasswordPlugin,
      kubernetesPlugin,
      indexedCatalog(options.entities),
      ...(deployed
        ? [schedulerServiceFactory, databaseServiceFactory]
        : [scheduler.factory({ skipTaskRunOnStartup: true })]),
      ...(options.features ?? []),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      createServiceFactory({
        service: coreServices.logger,
        deps: { plugin: coreServices.pluginMetadata },
        factory: ({ plugin }) =>
          new CapturingLogger(logLines, { plugin: plugin.getId() }),
      }),
      mockServices.rootConfig.factory({
        data: {
          ...(deployed ? { backend: { database: deployed.database } } : {}),
          kubernetes: {
            serviceLocatorMethod: { type: 'multiTenant' },
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: sandbox.clusters.map(cluster => ({
                  name: cluster.name,
                  url: cluster.url,
                  authProvider:
                    options.authProvider?.(cluster.name) ?? 'serviceAccount',
                  serviceAccountToken: options.clusterToken(cluster.name),
                  caData: cluster.caData,
                  skipMetricsLookup: true,
                })),
              },
            ],
          },
          onepassword: {
            connect: {
              servers: Object.entries(options.connectTokens).map(
                ([name, token]) => ({
                  name,
                  url:
                    options.connectUrls?.[name] ??
                    sandbox.connectServer(name).url,
                  token,
                }),
              ),
            },
            refresh: {
              frequency: { trigger: 'manual' },
              timeout: { minutes: 10 },
            },
            // Each refresh reads what the sandbox holds at that moment, so a
            // test's reads follow its writes; the watches have tests of their own.
            clusterWatch: options.clusterWatch
              ? {
                  enabled: true,
                  refreshDelay:
                    options.refreshOnClusterChange === false
                      ? false
                      : { milliseconds: 100 },
                }
              : { enabled: false, refreshDelay: false },
            ...options.onePasswordConfig,
          },
        },
      }),
    ],
  });
  return {
    server: backend.server,
    refresh: deployed
      ? () => Promise.reject(new Error('Deployed: use POST /refresh'))
      : () => scheduler.triggerTask(REFRESH_TASK_ID),
    triggerTask: deployed
      ? () => Promise.reject(new Error('Deployed: tasks run on their schedule'))
      : id => scheduler.triggerTask(id),
    stop: () => backend.stop(),
  };
}
