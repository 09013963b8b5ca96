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

import {
  createExternalRouteRef,
  createRouteRef,
} from '@backstage/core-plugin-api';

/** The audit page. */
export const auditRouteRef = createRouteRef({ id: 'onepassword:audit' });

/**
 * Where "Request new credentials" leads: a scaffolder template page. Bound to
 * the scaffolder's template page by default.
 */
export const requestCredentialsRouteRef = createExternalRouteRef({
  id: 'onepassword:request-credentials',
  optional: true,
  params: ['namespace', 'templateName'],
  defaultTarget: 'scaffolder.selectedTemplate',
});

/**
 * Path of the Secrets tab below the entity page: where the new frontend
 * system mounts it, and where legacy apps are asked to (README).
 */
export const SECRETS_TAB_PATH = 'secrets';

/** Path of a vault entity's Secrets tab (a vault is not a service: its own tab). */
export const VAULT_SECRETS_TAB_PATH = 'vault-secrets';
