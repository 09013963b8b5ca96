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

import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { SecretSyncRecord } from '@secret-sync/backstage-plugin-onepassword-common';
import { useRouteRef } from '@backstage/core-plugin-api';
import { requestCredentialsRouteRef } from '../routes';

/** The template that requests credentials, and the form field naming the entity. */
const REQUEST_CREDENTIALS_TEMPLATE = {
  namespace: 'default',
  templateName: 'request-credentials',
  entityField: 'entity',
};

/** Used when the app binds no scaffolder route (legacy apps may not). */
const DEFAULT_SCAFFOLDER_TEMPLATE_PATH = '/create/templates';

/** The template that rotates a record's item (examples/templates/rotate-credentials). */
export const ROTATE_CREDENTIALS_TEMPLATE = {
  namespace: 'default',
  templateName: 'rotate-credentials',
};

/** A scaffolder template page with form data filled in. */
function useTemplateLink(): (
  template: { namespace: string; templateName: string },
  formData: Record<string, string>,
) => string {
  const templateRoute = useRouteRef(requestCredentialsRouteRef);
  return ({ namespace, templateName }, formData) => {
    const path = templateRoute
      ? templateRoute({ namespace, templateName })
      : `${DEFAULT_SCAFFOLDER_TEMPLATE_PATH}/${namespace}/${templateName}`;
    return `${path}?${new URLSearchParams({
      formData: JSON.stringify(formData),
    })}`;
  };
}

/**
 * Link to the request-credentials template with this entity filled in:
 * `/create/templates/default/request-credentials?formData={"entity":"component:default/x"}`.
 */
export function useRequestCredentialsLink(entity: Entity): string {
  const { entityField } = REQUEST_CREDENTIALS_TEMPLATE;
  return useTemplateLink()(REQUEST_CREDENTIALS_TEMPLATE, {
    [entityField]: stringifyEntityRef(entity),
  });
}

/**
 * Link to the rotate-credentials template with the record's entity, Connect
 * server, vault and item filled in; undefined when the record does not know
 * its item's ids (a path by title that Connect never resolved).
 */
export function useRotateCredentialsLink(
  entity: Entity,
): (record: SecretSyncRecord) => string | undefined {
  const link = useTemplateLink();
  return record =>
    record.connectServer && record.vaultId && record.itemId
      ? link(ROTATE_CREDENTIALS_TEMPLATE, {
          entity: stringifyEntityRef(entity),
          server: record.connectServer,
          vault: record.vaultId,
          item: record.itemId,
          secret: `${record.cluster}/${record.namespace}/${record.secretName}`,
        })
      : undefined;
}
