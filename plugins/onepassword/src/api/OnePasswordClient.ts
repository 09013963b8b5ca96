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
  EntitySecretsResponse,
  RefreshResponse,
  ServersResponse,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { OnePasswordApi } from './OnePasswordApi';

/**
 * Encodes an audit query the way `GET /audit` reads it: list filters as
 * repeated parameters (`status=stale&status=error`).
 */
export function toAuditSearchParams(query: AuditQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['status', 'cluster', 'owner', 'server'] as const) {
    for (const value of query[key] ?? []) {
      params.append(key, value);
    }
  }
  if (query.q) params.set('q', query.q);
  if (query.orphans !== undefined) params.set('orphans', String(query.orphans));
  if (query.restartNeeded !== undefined) {
    params.set('restartNeeded', String(query.restartNeeded));
  }
  if (query.sort) params.set('sort', query.sort);
  if (query.cursor) params.set('cursor', query.cursor);
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  return params;
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
    const path = [entityRef.namespace, entityRef.kind, entityRef.name]
      .map(part => encodeURIComponent(part.toLocaleLowerCase('en-US')))
      .join('/');
    return this.getJson(`/entities/${path}/secrets`);
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
