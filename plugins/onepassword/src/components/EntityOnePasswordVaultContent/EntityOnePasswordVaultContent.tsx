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

import { Entity } from '@backstage/catalog-model';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { ONEPASSWORD_VAULT_ID_ANNOTATION } from '@secret-sync/backstage-plugin-onepassword-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { onePasswordApiRef } from '../../api';
import { isOnePasswordVault } from '../../conditions';
import { ENTITY_SECRETS_RELOAD_MS } from '../../hooks/useEntitySecrets';
import { useNow } from '../../hooks/useNow';
import { useTimeFormatter } from '../../hooks/useTimeFormatter';
import {
  AuditTable,
  DEFAULT_AUDIT_COLUMNS,
} from '../OnePasswordAuditPage/AuditTable';
import { SnapshotError } from '../SnapshotError';
import { StatusCountList } from '../SyncStatus';

/** The most rows one vault page shows; the audit page pages through more. */
export const VAULT_RECORDS_LIMIT = 500;

function VaultRecords(props: { entity: Entity }) {
  const vaultId =
    props.entity.metadata.annotations?.[ONEPASSWORD_VAULT_ID_ANNOTATION] ?? '';
  const api = useApi(onePasswordApiRef);
  const now = useNow();
  const format = useTimeFormatter();
  const [sort, setSort] = useState('status');
  const state = useAsyncRetry(
    () => api.getAudit({ vault: [vaultId], sort, limit: VAULT_RECORDS_LIMIT }),
    [api, vaultId, sort],
  );
  useInterval(state.retry, ENTITY_SECRETS_RELOAD_MS);
  const { value, loading, error } = state;

  if (!value) {
    if (loading) return <Progress />;
    if (error) {
      return (
        <SnapshotError
          error={error}
          deniedMessage="The Secrets synced from a vault belong to every team that uses it: seeing them takes the 1Password audit permission (onepassword.audit.read). Each service's own Secrets tab shows its Secrets to its owners."
        />
      );
    }
  }
  if (!value || value.total === 0) {
    return (
      <Typography variant="body2">
        No Kubernetes Secret in any cluster is synced from this vault.
      </Typography>
    );
  }
  return (
    <>
      <StatusCountList
        counts={value.byStatus}
        label="Secrets synced from this vault, by status"
      />
      {value.total > value.items.length && (
        <Typography variant="body2" component="p">
          Showing {value.items.length} of {value.total} Secrets; the audit page
          lists them all.
        </Typography>
      )}
      <AuditTable
        records={value.items}
        columns={DEFAULT_AUDIT_COLUMNS}
        now={now}
        format={format}
        sort={sort}
        onSortChange={setSort}
        pending={loading}
      />
    </>
  );
}

/**
 * The Secrets tab of a vault's `Resource` entity (type `1password-vault`,
 * from the catalog module): every synced Secret whose item lives in the
 * vault, in every cluster, with the service that uses it.
 * @public
 */
export function EntityOnePasswordVaultContent() {
  const { entity } = useEntity();
  if (!isOnePasswordVault(entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={ONEPASSWORD_VAULT_ID_ANNOTATION}
      />
    );
  }
  return (
    <InfoCard title="Secrets synced from this vault">
      <VaultRecords entity={entity} />
    </InfoCard>
  );
}
