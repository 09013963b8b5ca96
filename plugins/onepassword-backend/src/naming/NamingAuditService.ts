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

import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterHealth,
  entityNamingContext,
  NamingRule,
  NamingRules,
  NamingViolation,
  NamingViolationsResponse,
  SecretSyncRecord,
} from '@secret-sync/backstage-plugin-onepassword-common';
import type { OnePasswordConfig } from '../config';
import type { SecretSyncStore } from '../database/SecretSyncStore';

type Entity = Parameters<typeof entityNamingContext>[0];
type LinkedRecord = SecretSyncRecord & { entityRef: string | null };

/**
 * Vault titles against the entities whose Secrets come from them. An entity
 * that is not in the catalog (any more) has nothing to check against. Pure.
 */
export function vaultViolations(
  rule: NamingRule,
  records: LinkedRecord[],
  entities: Map<string, Entity>,
): NamingViolation[] {
  const seen = new Set<string>();
  const violations: NamingViolation[] = [];
  for (const record of records) {
    if (!record.entityRef || !record.vaultName) continue;
    const key = JSON.stringify([record.entityRef, record.vaultName]);
    const entity = entities.get(record.entityRef);
    if (seen.has(key) || !entity) continue;
    seen.add(key);
    const result = rule.check(record.vaultName, entityNamingContext(entity));
    if (result.ok === false) {
      violations.push({
        rule: 'vault',
        name: record.vaultName,
        expected: result.expected,
        message: result.message,
        entityRef: record.entityRef,
        server: record.connectServer,
      });
    }
  }
  return violations;
}

/**
 * Connect server names against the clusters they serve: a name is right if
 * the rule accepts it for one of them (a server may serve several). Pure.
 */
export function connectServerViolations(
  rule: NamingRule,
  served: Map<string, Set<string>>,
): NamingViolation[] {
  const violations: NamingViolation[] = [];
  for (const [server, clusterSet] of served) {
    const clusters = [...clusterSet].sort();
    const results = clusters.map(cluster => rule.check(server, { cluster }));
    if (results.some(r => r.ok === true)) continue;
    const first = results.find(r => r.ok === false);
    if (!first || first.ok !== false) continue;
    violations.push({
      rule: 'connectServer',
      name: server,
      expected: first.expected,
      message: first.message,
      server,
      cluster: clusters.join(', '),
    });
  }
  return violations;
}

/** OnePasswordItem (and so Secret) names against the titles of the items they sync. Pure. */
export function onePasswordItemViolations(
  rule: NamingRule,
  records: SecretSyncRecord[],
): NamingViolation[] {
  return records.flatMap(record => {
    if (record.source !== 'OnePasswordItem' || !record.itemTitle) return [];
    const result = rule.check(record.secretName, { title: record.itemTitle });
    return result.ok === false
      ? [
          {
            rule: 'onePasswordItem' as const,
            name: record.secretName,
            expected: result.expected,
            message: result.message,
            cluster: record.cluster,
            namespace: record.namespace,
            server: record.connectServer,
          },
        ]
      : [];
  });
}

/** Which clusters each Connect server serves, from config, operators and records. */
export function clustersByServer(
  config: Pick<OnePasswordConfig, 'clusterServers'>,
  clusters: ClusterHealth[],
  records: SecretSyncRecord[],
): Map<string, Set<string>> {
  const served = new Map<string, Set<string>>();
  const add = (server: string | null | undefined, cluster: string) => {
    if (!server) return;
    served.set(server, (served.get(server) ?? new Set()).add(cluster));
  };
  config.clusterServers.forEach((server, cluster) => add(server, cluster));
  for (const cluster of clusters) {
    for (const operator of cluster.operators ?? []) {
      add(operator.connectServer, cluster.name);
    }
  }
  records.forEach(r => add(r.connectServer, r.cluster));
  return served;
}

/**
 * Checks every name the snapshot knows against `onepassword.naming`, from
 * the stored records and the catalog: never calls Connect or a cluster.
 * @public
 */
export class NamingAuditService {
  static create(options: {
    store: SecretSyncStore;
    catalog: CatalogService;
    config: Pick<OnePasswordConfig, 'naming' | 'clusterServers'>;
  }) {
    return new NamingAuditService(
      options.store,
      options.catalog,
      options.config,
    );
  }

  private constructor(
    private readonly store: SecretSyncStore,
    private readonly catalog: CatalogService,
    private readonly config: Pick<
      OnePasswordConfig,
      'naming' | 'clusterServers'
    >,
  ) {}

  async listViolations(
    credentials: BackstageCredentials,
  ): Promise<NamingViolationsResponse> {
    const rules: NamingRules = this.config.naming;
    const described = Object.fromEntries(
      Object.entries(rules).map(([kind, rule]) => [kind, rule!.description]),
    );
    if (Object.keys(rules).length === 0) return { rules: {}, items: [] };
    const [records, clusters] = await Promise.all([
      this.store.listRecords(),
      this.store.listClusters(),
    ]);
    const items: NamingViolation[] = [];
    if (rules.vault) {
      const refs = [
        ...new Set(records.map(r => r.entityRef).filter(Boolean)),
      ] as string[];
      const { items: found } = refs.length
        ? await this.catalog.getEntitiesByRefs(
            { entityRefs: refs, fields: ['kind', 'metadata', 'spec'] },
            { credentials },
          )
        : { items: [] };
      const entities = new Map<string, Entity>();
      refs.forEach((ref, index) => {
        if (found[index]) entities.set(ref, found[index]!);
      });
      items.push(...vaultViolations(rules.vault, records, entities));
    }
    if (rules.connectServer) {
      items.push(
        ...connectServerViolations(
          rules.connectServer,
          clustersByServer(this.config, clusters, records),
        ),
      );
    }
    if (rules.onePasswordItem) {
      items.push(...onePasswordItemViolations(rules.onePasswordItem, records));
    }
    return { rules: described, items };
  }
}
