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
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuditResponse,
  ClustersResponse,
  emptyStatusCounts,
  EntitySecretsResponse,
  isVaultAllowed,
  KUBERNETES_ID_ANNOTATION,
  SecretHistoryResponse,
  SecretSyncRecord,
  ServersResponse,
  recordKey,
  VaultsResponse,
  VaultUsageResponse,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { OnePasswordConfig } from '../config';
import {
  AuditFilter,
  AuditPageRequest,
  AuditSort,
  SecretSyncStore,
  StoredSecretRecord,
} from '../database/SecretSyncStore';
import { VaultScope } from '../permissions/RequestableVaults';
import {
  EntitySecretsCache,
  SerializedEntitySecrets,
} from '../entities/EntitySecretsCache';
import { batchedPerTick } from '../entities/batchedPerTick';
import {
  EntitySelector,
  entitySelector,
  selects,
} from '../entities/entityLinking';
import { auditCsvChunks } from './auditCsv';
import { encodeAuditCursor } from './request/auditCursor';
import {
  encodeHistoryCursor,
  HistoryRequest,
} from './request/parseHistoryQuery';

/** Entities whose records one query reads, at most (its bindings stay few). */
const MAX_ENTITIES_PER_READ = 100;

/** What of a selector the database filters on; `selects` decides the rest. */
function recordFilter(selector: EntitySelector) {
  return {
    ...(selector.kubernetesId !== null
      ? { kubernetesId: selector.kubernetesId }
      : {}),
    ...(selector.namespace ? { namespace: selector.namespace } : {}),
  };
}

/** A record as the entity endpoint shows it: without the audit's links. */
function withoutLinks({
  labels: _l,
  entityRef: _e,
  owner: _o,
  ...record
}: StoredSecretRecord): SecretSyncRecord {
  return record;
}

/**
 * Answers every read of the HTTP API from the stored snapshot: never calls
 * Connect or a cluster, so it is fast and answers when they are down.
 * @public
 */
export class SecretSyncQueryService {
  static create(options: {
    store: SecretSyncStore;
    catalog: CatalogService;
    config: OnePasswordConfig;
  }) {
    return new SecretSyncQueryService(
      options.store,
      options.catalog,
      options.config,
      EntitySecretsCache.create(),
    );
  }

  private constructor(
    private readonly store: SecretSyncStore,
    private readonly catalog: CatalogService,
    private readonly config: OnePasswordConfig,
    private readonly entityCache: EntitySecretsCache,
  ) {}

  /**
   * How the entity selects its Secrets, read from the catalog with the
   * caller's credentials on every request: an entity the caller may not see
   * is a 404 whatever is cached.
   */
  private async entitySelectorFor(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntitySelector> {
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) throw new NotFoundError(`No entity '${entityRef}'`);
    return entitySelector(entity);
  }

  /** The records an entity's Secrets tab shows, as the catalog links them. */
  private async selectedRecords(selector: EntitySelector) {
    const candidates = await this.store.listRecords(recordFilter(selector));
    return candidates.filter(r => selects(selector, r)).map(withoutLinks);
  }

  private async entityRecords(
    entityRef: string,
    credentials: BackstageCredentials,
  ) {
    const selector = await this.entitySelectorFor(entityRef, credentials);
    return { selector, items: await this.selectedRecords(selector) };
  }

  /**
   * Several entities' answers from one read of the snapshot: the records of
   * every `backstage.io/kubernetes-id` among them, health and refresh time.
   */
  private async entitySecretsOf(
    selectors: EntitySelector[],
  ): Promise<EntitySecretsResponse[]> {
    const ids = new Set(selectors.map(s => s.kubernetesId));
    const filter =
      selectors.length === 1
        ? recordFilter(selectors[0])
        : { kubernetesId: [...ids].filter((id): id is string => id !== null) };
    // Started together, the reads share one read of the refresh time.
    const [candidates, servers, clusters, asOf] = await Promise.all([
      this.store.listRecords(filter),
      this.store.listServers(),
      this.store.listClusters(),
      this.store.getLastRefreshAt(),
    ]);
    const byKubernetesId = new Map<string, StoredSecretRecord[]>();
    for (const record of candidates) {
      const id = record.labels[KUBERNETES_ID_ANNOTATION];
      if (id === undefined) continue;
      const list = byKubernetesId.get(id) ?? [];
      list.push(record);
      byKubernetesId.set(id, list);
    }
    return selectors.map(selector => {
      const items = (
        selector.kubernetesId !== null
          ? byKubernetesId.get(selector.kubernetesId) ?? []
          : candidates
      )
        .filter(r => selects(selector, r))
        .map(withoutLinks);
      const byStatus = emptyStatusCounts();
      items.forEach(r => byStatus[r.status]++);
      const serverNames = new Set(items.map(r => r.connectServer));
      const clusterNames = new Set(items.map(r => r.cluster));
      return {
        entityRef: selector.entityRef,
        asOf,
        summary: { total: items.length, byStatus },
        items,
        servers: servers.filter(s => serverNames.has(s.name)),
        clusters: clusters.filter(c => clusterNames.has(c.name)),
      };
    });
  }

  /**
   * An entity's answer; those selecting by `backstage.io/kubernetes-id` (the
   * default) are read together with the others asked in the same turn.
   */
  private readonly batchedEntitySecrets = batchedPerTick(
    (selectors: EntitySelector[]) => this.entitySecretsOf(selectors),
    MAX_ENTITIES_PER_READ,
  );

  private async entitySecrets(
    selector: EntitySelector,
  ): Promise<EntitySecretsResponse> {
    return selector.kubernetesId !== null
      ? this.batchedEntitySecrets(selector)
      : (await this.entitySecretsOf([selector]))[0];
  }

  async getEntitySecrets(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntitySecretsResponse> {
    return this.entitySecrets(
      await this.entitySelectorFor(entityRef, credentials),
    );
  }

  /**
   * {@link getEntitySecrets} as JSON, serialized once per entity and
   * refresh (see {@link EntitySecretsCache}); the caller's catalog access is
   * still checked on every call.
   */
  async getEntitySecretsJson(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<SerializedEntitySecrets> {
    const selector = await this.entitySelectorFor(entityRef, credentials);
    // Read before the snapshot, so an answer shows at least this generation.
    const generation = await this.store.getLastRefreshAt();
    const cached = this.entityCache.get(selector, generation);
    if (cached) return cached;
    const response = await this.entitySecrets(selector);
    const answer = {
      body: Buffer.from(JSON.stringify(response)),
      total: response.summary.total,
    };
    this.entityCache.set(selector, generation, {
      ...answer,
      items: response.items,
    });
    return answer;
  }

  /**
   * The status transitions of an entity's records (or of one of them),
   * newest recorded first, one keyset page.
   */
  async getEntitySecretHistory(
    entityRef: string,
    credentials: BackstageCredentials,
    request: HistoryRequest,
  ): Promise<SecretHistoryResponse> {
    const { selector, items } = await this.entityRecords(
      entityRef,
      credentials,
    );
    const records = new Map(items.map(r => [recordKey(r), r]));
    if (request.record !== undefined && !records.has(request.record)) {
      throw new NotFoundError(
        `No Secret '${request.record}' among the Secrets of '${selector.entityRef}'`,
      );
    }
    const transitions = await this.store.queryTransitions({
      keys:
        request.record !== undefined ? [request.record] : [...records.keys()],
      since: request.since,
      before: request.before,
      limit: request.limit + 1,
    });
    const page = transitions.slice(0, request.limit);
    const last = page[page.length - 1];
    return {
      entityRef: selector.entityRef,
      items: page.map(({ id: _id, ...t }) => {
        const record = records.get(t.recordKey)!;
        return {
          ...t,
          cluster: record.cluster,
          namespace: record.namespace,
          secretName: record.secretName,
        };
      }),
      nextCursor:
        transitions.length > request.limit && last
          ? encodeHistoryCursor({ id: last.id })
          : null,
    };
  }

  async getAudit(request: AuditPageRequest): Promise<AuditResponse> {
    const { next, ...page } = await this.store.queryAudit(request);
    return {
      ...page,
      nextCursor: next ? encodeAuditCursor(request.sort, next) : null,
    };
  }

  /**
   * Every row the filter selects (ignoring paging) as CSV text chunks, read
   * by one ordered query: memory stays flat however many rows there are.
   * Resolves once the first chunk is read, so that a failing query is still
   * an error response rather than a cut-off download.
   */
  async getAuditCsv(
    request: AuditFilter & { sort: AuditSort },
  ): Promise<AsyncIterable<string>> {
    const chunks = auditCsvChunks(this.store.streamAudit(request));
    const first = await chunks.next();
    return (async function* rest() {
      if (first.done) return;
      yield first.value;
      yield* chunks;
    })();
  }

  async getVaultUsage(): Promise<VaultUsageResponse> {
    const [asOf, items] = await Promise.all([
      this.store.getLastRefreshAt(),
      this.store.listVaultUsage(),
    ]);
    return { asOf, items };
  }

  async getServers(): Promise<ServersResponse> {
    return { items: await this.store.listServers() };
  }

  async getClusters(): Promise<ClustersResponse> {
    return { items: await this.store.listClusters() };
  }

  /**
   * Vaults a template may offer: the listed vaults that
   * `onepassword.scaffolder.allowedVaults` lets through, narrowed to `scope`
   * (the vaults the caller may request credentials in).
   */
  async getVaults(scope: VaultScope): Promise<VaultsResponse> {
    const items = [];
    for (const server of this.config.servers) {
      for (const vault of await this.store.listVaults(server.name)) {
        if (vault.access !== 'listed' || !vault.name) continue;
        const identity = { id: vault.vaultId, name: vault.name };
        if (!isVaultAllowed(this.config.allowedVaults, server.name, identity))
          continue;
        if (
          scope !== 'all' &&
          !scope.has(vault.name.toLocaleLowerCase('en-US'))
        )
          continue;
        items.push({
          server: server.name,
          id: vault.vaultId,
          name: vault.name,
        });
      }
    }
    return {
      items: items.sort(
        (a, b) =>
          a.server.localeCompare(b.server) || a.name.localeCompare(b.name),
      ),
    };
  }
}
