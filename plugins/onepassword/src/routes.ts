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
/**
 * Path of the Kubernetes plugin's entity tab (`@backstage/plugin-kubernetes`
 * mounts its entity content at `/kubernetes`), where it shows the pods of
 * the entity's Deployments. The plugin offers no route to one Deployment.
 */
export const KUBERNETES_TAB_PATH = 'kubernetes';

/**
 * The entity's Kubernetes tab beside the Secrets tab at `pathname`, for an
 * entity the Kubernetes plugin shows (it needs one of its annotations);
 * undefined where the Secrets tab is not mounted at its usual path.
 */
export function kubernetesTabBeside(
  pathname: string,
  annotations: Record<string, string> | undefined,
): string | undefined {
  const shown =
    annotations?.['backstage.io/kubernetes-id'] !== undefined ||
    annotations?.['backstage.io/kubernetes-label-selector'] !== undefined;
  const tab = new RegExp(`/${SECRETS_TAB_PATH}/?$`);
  if (!shown || !tab.test(pathname)) return undefined;
  return pathname.replace(tab, `/${KUBERNETES_TAB_PATH}`);
}
