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

import { createApiRef } from '@backstage/frontend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
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

/**
 * Client of the onepassword backend (`/api/onepassword`). Every call reads
 * the stored sync snapshot; none returns a secret value.
 * @public
 */
export interface OnePasswordApi {
  /** The synced Secrets of one catalog entity, with server and cluster health. */
  getEntitySecrets(
    entityRef: CompoundEntityRef,
  ): Promise<EntitySecretsResponse>;
  /** Status transitions of the entity's Secrets, newest first (cursor paging). */
  getSecretHistory(
    entityRef: CompoundEntityRef,
    query?: SecretHistoryQuery,
  ): Promise<SecretHistoryResponse>;
  /** One page of every synced Secret across the catalog (cursor paging). */
  getAudit(query: AuditQuery): Promise<AuditResponse>;
  /** The audit rows matching `query` (without cursor and limit) as CSV. */
  exportAuditCsv(query: AuditQuery): Promise<Blob>;
  getServers(): Promise<ServersResponse>;
  getClusters(): Promise<ClustersResponse>;
  /**
   * Names that break `onepassword.naming`, with the names expected. Optional
   * so that implementations written before it keep working: the audit page
   * then shows no naming section.
   */
  getNamingViolations?(): Promise<NamingViolationsResponse>;
  /** Asks the backend to refresh its snapshot now. */
  refresh(): Promise<RefreshResponse>;
}

/** @public */
export const onePasswordApiRef = createApiRef<OnePasswordApi>().with({
  id: 'plugin.onepassword.service',
  pluginId: 'onepassword',
});
