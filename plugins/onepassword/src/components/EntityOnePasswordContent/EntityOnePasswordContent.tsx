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
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import { useLocation } from 'react-router-dom';
import { kubernetesTabBeside } from '../../routes';
import {
  isOnePasswordAvailable,
  ONEPASSWORD_ENTITY_ANNOTATIONS,
} from '../../conditions';
import { useEntitySecrets } from '../../hooks/useEntitySecrets';
import { useNow } from '../../hooks/useNow';
import { useRefreshSnapshot } from '../../hooks/useRefreshSnapshot';
import { useTimeFormatter } from '../../hooks/useTimeFormatter';
import { SnapshotError } from '../SnapshotError';
import { NoSecretsEmptyState } from './NoSecretsEmptyState';
import { RequestCredentialsButton } from './RequestCredentialsButton';
import { SecretsSummary } from './SecretsSummary';
import { RefreshButton } from '../RefreshButton';
import { SecretsTable } from './SecretsTable';

const DENIED_MESSAGE =
  "You are not allowed to see this entity's 1Password-synced secrets (permission onepassword.secrets.read). Ask its owners or your Backstage admins.";

function EntitySecrets(props: { entity: Entity }) {
  const { entity } = props;
  const { value, loading, error, retry } = useEntitySecrets(entity);
  const refresh = useRefreshSnapshot(retry);
  const now = useNow();
  const format = useTimeFormatter();
  const location = useLocation();

  if (!value) {
    if (loading) {
      return <Progress />;
    }
    if (error) {
      return <SnapshotError error={error} deniedMessage={DENIED_MESSAGE} />;
    }
  }
  if (!value || value.items.length === 0) {
    return <NoSecretsEmptyState entity={entity} />;
  }

  return (
    <InfoCard
      title="Secrets synced from 1Password"
      action={
        <Box display="flex" gridGap={8} mt={1} mr={1}>
          <RefreshButton
            allowed={refresh.allowed}
            loading={refresh.loading}
            onClick={refresh.refresh}
          />
          <RequestCredentialsButton entity={entity} />
        </Box>
      }
    >
      {error && <SnapshotError error={error} deniedMessage={DENIED_MESSAGE} />}
      <SecretsSummary response={value} now={now} format={format} />
      <SecretsTable
        records={value.items}
        now={now}
        format={format}
        entity={entity}
        kubernetesLink={kubernetesTabBeside(
          location.pathname,
          entity.metadata.annotations,
        )}
      />
    </InfoCard>
  );
}

/**
 * The entity's Secrets tab: every Secret the 1Password operator syncs for it,
 * with its status, versions, sync age and operator settings.
 * @public
 */
export function EntityOnePasswordContent() {
  const { entity } = useEntity();
  if (!isOnePasswordAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={ONEPASSWORD_ENTITY_ANNOTATIONS}
      />
    );
  }
  return <EntitySecrets entity={entity} />;
}
