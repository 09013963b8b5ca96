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

/**
 * Link to the request-credentials template with this entity filled in:
 * `/create/templates/default/request-credentials?formData={"entity":"component:default/x"}`.
 */
export function useRequestCredentialsLink(entity: Entity): string {
  const templateRoute = useRouteRef(requestCredentialsRouteRef);
  const { namespace, templateName, entityField } = REQUEST_CREDENTIALS_TEMPLATE;
  const path = templateRoute
    ? templateRoute({ namespace, templateName })
    : `${DEFAULT_SCAFFOLDER_TEMPLATE_PATH}/${namespace}/${templateName}`;
  const formData = JSON.stringify({
    [entityField]: stringifyEntityRef(entity),
  });
  return `${path}?${new URLSearchParams({ formData })}`;
}
