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
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import {
  isOnePasswordAvailable,
  ONEPASSWORD_ENTITY_ANNOTATIONS,
} from '../../conditions';
import { useEntitySecrets } from '../../hooks/useEntitySecrets';
import { findWorstRecord } from '../../lib/status';
import { SECRETS_TAB_PATH } from '../../routes';
import { SnapshotError } from '../SnapshotError';
import { StatusCountList, SyncStatusIndicator } from '../SyncStatus';

const TITLE = '1Password secrets';

function CardBody(props: { entity: Entity }) {
  const { entity } = props;
  const { value, loading, error } = useEntitySecrets(entity);
  if (!value) {
    if (loading) return <Progress />;
    if (error) {
      return (
        <SnapshotError
          error={error}
          deniedMessage="You are not allowed to see this entity's 1Password-synced secrets."
        />
      );
    }
  }
  if (!value || value.items.length === 0) {
    return (
      <Typography variant="body2">
        This service has no 1Password-synced secrets.
      </Typography>
    );
  }
  const worst = findWorstRecord(value.items);
  const rotationDue = value.items.filter(r => r.rotationDue).length;
  return (
    <>
      <StatusCountList
        counts={value.summary.byStatus}
        label="Secrets by status"
      />
      <Typography variant="body2" component="p" style={{ marginTop: 16 }}>
        {worst ? (
          <>
            Worst problem: <SyncStatusIndicator status={worst.status} />{' '}
            {worst.secretName} in {worst.cluster}/{worst.namespace}
            {worst.message ? `: ${worst.message}` : ''}
          </>
        ) : (
          `All ${value.summary.total} secrets are in sync.`
        )}
      </Typography>
      {rotationDue > 0 && (
        <Typography variant="body2" component="p" style={{ marginTop: 8 }}>
          {rotationDue === 1
            ? '1 secret is due for rotation.'
            : `${rotationDue} secrets are due for rotation.`}
        </Typography>
      )}
    </>
  );
}

/**
 * Overview card: the entity's Secrets counted by status and the worst
 * problem, linking to the Secrets tab.
 * @public
 */
export function EntityOnePasswordCard() {
  const { entity } = useEntity();
  const entityLink = useEntityRefLink();
  if (!isOnePasswordAvailable(entity)) {
    return (
      <InfoCard title={TITLE}>
        <MissingAnnotationEmptyState
          annotation={ONEPASSWORD_ENTITY_ANNOTATIONS}
        />
      </InfoCard>
    );
  }
  return (
    <InfoCard
      title={TITLE}
      deepLink={{
        title: 'View secrets',
        link: `${entityLink(entity)}/${SECRETS_TAB_PATH}`,
      }}
    >
      <CardBody entity={entity} />
    </InfoCard>
  );
}
