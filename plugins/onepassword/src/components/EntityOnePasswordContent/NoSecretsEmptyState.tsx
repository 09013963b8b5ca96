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
import { CodeSnippet, EmptyState } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { KUBERNETES_ID_ANNOTATION } from '@secret-sync/backstage-plugin-onepassword-common';
import { RequestCredentialsButton } from './RequestCredentialsButton';

function exampleManifest(entity: Entity): string {
  const serviceId =
    entity.metadata.annotations?.[KUBERNETES_ID_ANNOTATION] ??
    entity.metadata.name;
  return `apiVersion: onepassword.com/v1
kind: OnePasswordItem
metadata:
  name: ${serviceId}-credentials
  labels:
    ${KUBERNETES_ID_ANNOTATION}: ${serviceId}
spec:
  itemPath: vaults/<vault>/items/<item>`;
}

/** The entity is linked, but no cluster has a Secret synced for it. */
export function NoSecretsEmptyState(props: { entity: Entity }) {
  const { entity } = props;
  return (
    <EmptyState
      missing="content"
      title="This service has no 1Password-synced secrets"
      description="Request new credentials, or sync an existing 1Password item: apply a OnePasswordItem carrying this service's label in its namespace, and the 1Password operator creates the Secret."
      action={
        <>
          <RequestCredentialsButton entity={entity} variant="contained" />
          <Typography variant="body2" style={{ margin: '16px 0 8px' }}>
            Or add this manifest to the service's deployment:
          </Typography>
          <CodeSnippet language="yaml" text={exampleManifest(entity)} />
        </>
      }
    />
  );
}
