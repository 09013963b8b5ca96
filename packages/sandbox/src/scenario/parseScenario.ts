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

import { deterministicId } from '../connect/ids';
import { FIELD_PURPOSES, FIELD_TYPES, ITEM_CATEGORIES } from '../connect/types';
import { resolveScenarioTime } from './relativeTime';
import { Scenario } from './types';
import {
  arrayOf,
  boolean,
  Check,
  either,
  fail,
  integer,
  object,
  oneOf,
  optional,
  recordOf,
  string,
  stringRecord,
} from './validation';

const CONNECT_ID = /^[\da-z]{26}$/;
const ITEM_PATH = /^vaults\/[^/]+\/items\/[^/]+$/;
/** RFC 1123 label, as Kubernetes names namespaces and most objects. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function scenarioSchema(now: Date) {
  const time: Check<string> = (value, path) => {
    const text = value instanceof Date ? value.toISOString() : value;
    if (typeof text !== 'string') {
      return fail(
        path,
        'expected a time such as -2h, -90s, now or 2026-01-31T12:00:00Z',
      );
    }
    return (
      resolveScenarioTime(text, now) ??
      fail(
        path,
        `expected a time such as -2h, -90s, now or 2026-01-31T12:00:00Z, got "${text}"`,
      )
    );
  };
  const connectId = string({
    pattern: CONNECT_ID,
    expected: '26 lowercase letters and digits',
  });
  const port = integer(0, 65535);
  const k8sName = string({
    pattern: DNS_SUBDOMAIN,
    expected: 'a lowercase Kubernetes name',
  });

  const faults = object({
    error500: optional(boolean()),
    delayMs: optional(integer(0)),
    refuse: optional(boolean()),
    vaultErrors: optional(recordOf(integer(400, 599))),
    transientErrors: optional(integer(0)),
    omitItemVersions: optional(boolean()),
    syncLagging: optional(boolean()),
  });

  const item = object({
    id: optional(connectId),
    title: string(),
    category: optional(oneOf(ITEM_CATEGORIES)),
    tags: optional(arrayOf(string())),
    version: optional(integer(1)),
    createdAt: optional(time),
    updatedAt: optional(time),
    reEditAfterPollsOf: optional(string()),
    fields: optional(
      arrayOf(
        object({
          id: optional(string()),
          label: string(),
          type: optional(oneOf(FIELD_TYPES)),
          purpose: optional(
            oneOf(
              FIELD_PURPOSES.filter(purpose => purpose !== '') as Array<
                'USERNAME' | 'PASSWORD' | 'NOTES'
              >,
            ),
          ),
          value: optional(string({ nonEmpty: false })),
        }),
      ),
    ),
    urls: optional(
      arrayOf(
        object({
          label: optional(string()),
          primary: optional(boolean()),
          href: string(),
        }),
      ),
    ),
    files: optional(
      arrayOf(
        object({
          id: optional(connectId),
          name: string(),
          content: string({ nonEmpty: false }),
        }),
      ),
    ),
  });

  const connectServer = object({
    name: string({
      pattern: DNS_LABEL,
      expected: 'a lowercase name such as main',
    }),
    port,
    tokens: arrayOf(
      object({
        name: string(),
        token: string(),
        vaults: either(
          oneOf(['*'] as const),
          arrayOf(string()),
          "'*' or a list of vault names or ids",
        ),
        write: optional(boolean()),
        revoked: optional(boolean()),
      }),
    ),
    vaults: arrayOf(
      object({
        id: optional(connectId),
        name: string(),
        description: optional(string({ nonEmpty: false })),
        createdAt: optional(time),
        items: optional(arrayOf(item)),
      }),
    ),
    faults: optional(faults),
    adminToken: optional(string()),
  });

  const deployment = object({
    name: k8sName,
    labels: optional(stringRecord()),
    annotations: optional(stringRecord()),
    secretRefs: optional(arrayOf(k8sName)),
    consumes: optional(
      arrayOf(
        object({
          secret: k8sName,
          as: oneOf([
            'env',
            'envFrom',
            'volume',
            'projected',
            'subPath',
          ] as const),
          key: optional(string()),
        }),
      ),
    ),
    literalEnv: optional(stringRecord()),
    podsStartedAt: optional(time),
    replicas: optional(integer(0)),
    events: optional(
      arrayOf(
        object({
          reason: oneOf(['ReconcileError', 'RateLimited'] as const),
          message: string(),
          at: optional(time),
        }),
      ),
    ),
  });

  const onePasswordItem = object({
    name: k8sName,
    itemPath: string({
      pattern: ITEM_PATH,
      expected: 'vaults/<vault>/items/<item>',
    }),
    labels: optional(stringRecord()),
    annotations: optional(stringRecord()),
    type: optional(string()),
    syncedSecret: optional(object({ version: integer(1), syncedAt: time })),
  });

  const cluster = object({
    name: string({
      pattern: DNS_LABEL,
      expected: 'a lowercase name such as dev-eu',
    }),
    port,
    tokens: arrayOf(string()),
    operator: object({
      namespace: optional(k8sName),
      deploymentName: optional(k8sName),
      version: optional(string()),
      connectServer: string(),
      connectToken: string(),
      pollingIntervalSeconds: optional(integer(1)),
      autoRestart: optional(boolean()),
      watchNamespaces: optional(arrayOf(k8sName)),
      running: optional(boolean()),
      resyncPeriodSeconds: optional(integer(1)),
      startedAt: optional(time),
      rotatedToken: optional(object({ token: string(), at: time })),
      inClusterConnect: optional(
        object({
          credentialsEncoding: optional(oneOf(['twice', 'once'] as const)),
          startedAt: optional(time),
          recreatedAt: optional(time),
        }),
      ),
    }),
    namespaces: arrayOf(
      object({
        name: string({
          pattern: DNS_LABEL,
          expected: 'a Kubernetes namespace name',
        }),
        labels: optional(stringRecord()),
        annotations: optional(stringRecord()),
        onePasswordItems: optional(arrayOf(onePasswordItem)),
        deployments: optional(arrayOf(deployment)),
      }),
    ),
    down: optional(boolean()),
    eventTtlSeconds: optional(integer(1)),
    rbac: optional(
      recordOf(
        object({
          namespaces: optional(arrayOf(k8sName)),
          deny: optional(arrayOf(string())),
        }),
      ),
    ),
    crdInstalled: optional(boolean()),
  });

  return object({
    name: string(),
    connect: arrayOf(connectServer),
    clusters: optional(arrayOf(cluster)),
  });
}

function requireUnique<T>(
  values: T[],
  key: (value: T) => string,
  path: (index: number) => string,
  what: string,
) {
  const seen = new Map<string, number>();
  values.forEach((value, index) => {
    const name = key(value);
    if (seen.has(name)) {
      fail(
        path(index),
        `duplicate ${what} "${name}" (also at index ${seen.get(name)})`,
      );
    }
    seen.set(name, index);
  });
}

/**
 * Checks a scenario (parsed YAML or an object built in code) and resolves it:
 * relative times become absolute ISO times (relative to `now`), missing vault
 * and item ids become ids derived from the titles, and references between
 * entries (token scopes, operator server and token) are checked. Throws an
 * `InputError` naming the bad key.
 */
export function parseScenario(
  data: unknown,
  options: { now?: Date } = {},
): Scenario {
  const now = options.now ?? new Date();
  const checked = scenarioSchema(now)(data, '');
  const scenario: Scenario = {
    ...checked,
    clusters: checked.clusters ?? [],
  } as Scenario;

  requireUnique(
    scenario.connect,
    server => server.name,
    i => `connect[${i}].name`,
    'Connect server name',
  );
  requireUnique(
    scenario.clusters,
    cluster => cluster.name,
    i => `clusters[${i}].name`,
    'cluster name',
  );
  const ports = [
    ...scenario.connect.map((server, i) => ({
      port: server.port,
      path: `connect[${i}].port`,
    })),
    ...scenario.clusters.map((cluster, i) => ({
      port: cluster.port,
      path: `clusters[${i}].port`,
    })),
  ].filter(entry => entry.port !== 0);
  requireUnique(
    ports,
    entry => String(entry.port),
    i => ports[i].path,
    'port',
  );

  scenario.connect.forEach((server, s) => {
    const at = `connect[${s}]`;
    requireUnique(
      server.tokens,
      token => token.name,
      i => `${at}.tokens[${i}].name`,
      'token name',
    );
    requireUnique(
      server.tokens,
      token => token.token,
      i => `${at}.tokens[${i}].token`,
      'token value',
    );
    requireUnique(
      server.vaults,
      vault => vault.name,
      i => `${at}.vaults[${i}].name`,
      'vault name',
    );
    for (const vault of server.vaults) {
      vault.id ??= deterministicId(`vault:${server.name}/${vault.name}`);
      vault.items ??= [];
      const titles = new Map<string, number>();
      for (const item of vault.items) {
        const seen = titles.get(item.title) ?? 0;
        titles.set(item.title, seen + 1);
        item.id ??= deterministicId(
          `item:${vault.id}/${item.title}${seen ? `#${seen + 1}` : ''}`,
        );
      }
    }
    server.vaults.forEach((vault, v) => {
      requireUnique(
        vault.items,
        item => item.id!,
        i => `${at}.vaults[${v}].items[${i}].id`,
        'item id',
      );
      vault.items.forEach((item, i) => {
        if (
          item.createdAt &&
          item.updatedAt &&
          item.updatedAt < item.createdAt
        ) {
          fail(
            `${at}.vaults[${v}].items[${i}].updatedAt`,
            'is before createdAt',
          );
        }
      });
    });
    requireUnique(
      server.vaults,
      vault => vault.id!,
      i => `${at}.vaults[${i}].id`,
      'vault id',
    );
    server.tokens.forEach((token, t) => {
      if (token.vaults === '*') return;
      token.vaults.forEach((ref, r) => {
        if (
          !server.vaults.some(vault => vault.name === ref || vault.id === ref)
        ) {
          fail(
            `${at}.tokens[${t}].vaults[${r}]`,
            `no vault "${ref}" on Connect server "${server.name}"`,
          );
        }
      });
    });
  });

  scenario.clusters.forEach((cluster, c) => {
    const at = `clusters[${c}]`;
    if (cluster.tokens.length === 0) {
      fail(
        `${at}.tokens`,
        'needs at least one token (the first is the admin token)',
      );
    }
    const server = scenario.connect.find(
      candidate => candidate.name === cluster.operator.connectServer,
    );
    if (!server) {
      fail(
        `${at}.operator.connectServer`,
        `no Connect server "${
          cluster.operator.connectServer
        }" (known: ${scenario.connect.map(s => s.name).join(', ')})`,
      );
    }
    if (
      !server.tokens.some(token => token.name === cluster.operator.connectToken)
    ) {
      fail(
        `${at}.operator.connectToken`,
        `no token named "${cluster.operator.connectToken}" on Connect server "${server.name}"`,
      );
    }
    const rotated = cluster.operator.rotatedToken;
    if (rotated && !server.tokens.some(token => token.name === rotated.token)) {
      fail(
        `${at}.operator.rotatedToken.token`,
        `no token named "${rotated.token}" on Connect server "${server.name}"`,
      );
    }
    requireUnique(
      cluster.namespaces,
      ns => ns.name,
      i => `${at}.namespaces[${i}].name`,
      'namespace',
    );
    cluster.namespaces.forEach((namespace, n) => {
      const nsAt = `${at}.namespaces[${n}]`;
      requireUnique(
        namespace.onePasswordItems ?? [],
        opi => opi.name,
        i => `${nsAt}.onePasswordItems[${i}].name`,
        'OnePasswordItem name',
      );
      requireUnique(
        namespace.deployments ?? [],
        d => d.name,
        i => `${nsAt}.deployments[${i}].name`,
        'Deployment name',
      );
    });
  });

  return scenario;
}
