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

import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AuditQuery,
  AuditResponse,
  ClustersResponse,
  NamingViolationsResponse,
  EntitySecretsResponse,
  RefreshResponse,
  SecretHistoryQuery,
  SecretHistoryResponse,
  ServersResponse,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { OnePasswordApi } from './OnePasswordApi';

/**
 * Encodes an audit query the way `GET /audit` reads it: list filters as
 * repeated parameters (`status=stale&status=error`).
 */
export function toAuditSearchParams(query: AuditQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of [
    'status',
    'cluster',
    'owner',
    'server',
    'vault',
  ] as const) {
    for (const value of query[key] ?? []) {
      params.append(key, value);
    }
  }
  if (query.q) params.set('q', query.q);
  if (query.orphans !== undefined) params.set('orphans', String(query.orphans));
  if (query.rotationDue !== undefined) {
    params.set('rotationDue', String(query.rotationDue));
  }
  if (query.restartNeeded !== undefined) {
    params.set('restartNeeded', String(query.restartNeeded));
  }
  if (query.sort) params.set('sort', query.sort);
  if (query.cursor) params.set('cursor', query.cursor);
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  return params;
}

/** An entity's part of the backend's routes: `namespace/kind/name`. */
function entityPath(entityRef: CompoundEntityRef): string {
  return [entityRef.namespace, entityRef.kind, entityRef.name]
    .map(part => encodeURIComponent(part.toLocaleLowerCase('en-US')))
    .join('/');
}

/**
 * Default {@link OnePasswordApi}: calls the onepassword backend with the
 * signed-in user's credentials (`fetchApi`).
 * @public
 */
export class OnePasswordClient implements OnePasswordApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getEntitySecrets(
    entityRef: CompoundEntityRef,
  ): Promise<EntitySecretsResponse> {
    return this.getJson(`/entities/${entityPath(entityRef)}/secrets`);
  }

  async getSecretHistory(
    entityRef: CompoundEntityRef,
    query: SecretHistoryQuery = {},
  ): Promise<SecretHistoryResponse> {
    const params = new URLSearchParams();
    if (query.record) params.set('record', query.record);
    if (query.since) params.set('since', query.since);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.cursor) params.set('cursor', query.cursor);
    return this.getJson(
      `/entities/${entityPath(entityRef)}/secrets/history?${params}`,
    );
  }

  async getAudit(query: AuditQuery): Promise<AuditResponse> {
    return this.getJson(`/audit?${toAuditSearchParams(query)}`);
  }

  async exportAuditCsv(query: AuditQuery): Promise<Blob> {
    const { cursor: _cursor, limit: _limit, ...filters } = query;
    const params = toAuditSearchParams(filters);
    params.set('format', 'csv');
    const response = await this.request(`/audit?${params}`);
    return response.blob();
  }

  async getServers(): Promise<ServersResponse> {
    return this.getJson('/servers');
  }

  async getClusters(): Promise<ClustersResponse> {
    return this.getJson('/clusters');
  }

  async getNamingViolations(): Promise<NamingViolationsResponse> {
    return this.getJson('/naming');
  }

  async refresh(): Promise<RefreshResponse> {
    const response = await this.request('/refresh', { method: 'POST' });
    return response.json();
  }

  private async getJson<T>(path: string): Promise<T> {
    const response = await this.request(path);
    return response.json();
  }

  private async request(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('onepassword');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}
