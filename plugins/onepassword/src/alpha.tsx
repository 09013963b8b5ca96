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
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { Container } from '@backstage/ui';
import VpnKeyOutlined from '@material-ui/icons/VpnKeyOutlined';
import { onePasswordApiRef, OnePasswordClient } from './api';
import { AUDIT_PAGE_TITLE } from './components/OnePasswordAuditPage/OnePasswordAuditPage';
import { isOnePasswordAvailable, isOnePasswordVault } from './conditions';
import {
  auditRouteRef,
  requestCredentialsRouteRef,
  SECRETS_TAB_PATH,
  VAULT_SECRETS_TAB_PATH,
} from './routes';

import { onePasswordVaultPickerFormField } from './scaffolder/alpha';

export { onePasswordVaultPickerFormField };

/** @alpha */
export const onePasswordApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: onePasswordApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new OnePasswordClient({ discoveryApi, fetchApi }),
    }),
});

/** The entity's Secrets tab, on entities linked to Kubernetes or vaults. @alpha */
export const onePasswordEntityContent = EntityContentBlueprint.make({
  name: 'secrets',
  params: {
    path: `/${SECRETS_TAB_PATH}`,
    title: 'Secrets',
    filter: isOnePasswordAvailable,
    loader: () =>
      import('./components/EntityOnePasswordContent').then(m => (
        <m.EntityOnePasswordContent />
      )),
  },
});

/** The Secrets tab of a vault's entity (type `1password-vault`). @alpha */
export const onePasswordVaultEntityContent = EntityContentBlueprint.make({
  name: 'vault-secrets',
  params: {
    path: `/${VAULT_SECRETS_TAB_PATH}`,
    title: 'Secrets',
    filter: isOnePasswordVault,
    loader: () =>
      import('./components/EntityOnePasswordVaultContent').then(m => (
        <m.EntityOnePasswordVaultContent />
      )),
  },
});

/** The overview card. @alpha */
export const onePasswordEntityCard = EntityCardBlueprint.make({
  name: 'secrets',
  params: {
    type: 'info',
    filter: isOnePasswordAvailable,
    loader: () =>
      import('./components/EntityOnePasswordCard').then(m => (
        <m.EntityOnePasswordCard />
      )),
  },
});

/** The audit page, with its nav item. @alpha */
export const onePasswordAuditPage = PageBlueprint.make({
  params: {
    path: '/onepassword',
    title: AUDIT_PAGE_TITLE,
    icon: <VpnKeyOutlined fontSize="inherit" />,
    routeRef: auditRouteRef,
    // The page layout gives a header but no padding around the content.
    loader: () =>
      import('./components/OnePasswordAuditPage').then(m => (
        <Container py="4">
          <m.AuditContent />
        </Container>
      )),
  },
});

/**
 * The 1Password plugin for the new frontend system: the Secrets tab and card
 * on entities, the Secrets tab of vault entities, the audit page, and the vault picker field of the scaffolder's
 * forms. Apps with feature discovery
 * (`app.packages: all`) pick it up without code.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'onepassword',
  title: '1Password',
  icon: <VpnKeyOutlined fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes: { audit: auditRouteRef },
  externalRoutes: { requestCredentials: requestCredentialsRouteRef },
  extensions: [
    onePasswordApi,
    onePasswordEntityContent,
    onePasswordVaultEntityContent,
    onePasswordEntityCard,
    onePasswordAuditPage,
    // Attaches to the scaffolder's form fields, so feature discovery brings it.
    onePasswordVaultPickerFormField,
  ],
});
