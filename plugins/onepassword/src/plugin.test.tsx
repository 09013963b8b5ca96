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

import { screen } from '@testing-library/react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { getComponentData } from '@backstage/core-plugin-api';
import {
  EntityOnePasswordCard,
  EntityOnePasswordContent,
  OnePasswordAuditPage,
  onePasswordApiRef,
} from './index';
import { OnePasswordAuditPage as AuditPageComponent } from './components/OnePasswordAuditPage';
import {
  annotatedEntity,
  auditRecord,
  auditResponse,
  entitySecretsResponse,
  mockOnePasswordApi,
  secretRecord,
} from './__testUtils__/fixtures';
import { auditRouteRef } from './routes';

describe('onepassword plugin (legacy frontend system)', () => {
  const api = mockOnePasswordApi();
  api.getEntitySecrets.mockResolvedValue(
    entitySecretsResponse([
      secretRecord(),
      secretRecord({
        secretName: 'identity-signing-key',
        status: 'item-not-found',
      }),
    ]),
  );
  api.getAudit.mockResolvedValue(auditResponse([auditRecord()]));

  function wrap(children: JSX.Element) {
    return (
      <TestApiProvider
        apis={[
          [onePasswordApiRef, api],
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
          ],
        ]}
      >
        <EntityProvider entity={annotatedEntity}>{children}</EntityProvider>
      </TestApiProvider>
    );
  }

  const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

  it('renders the Secrets tab extension', async () => {
    await renderInTestApp(wrap(<EntityOnePasswordContent />), {
      mountedRoutes,
    });
    expect(await screen.findByText('item-not-found')).toBeInTheDocument();
    expect(
      screen.getByRole('rowheader', { name: /^identity-signing-key/ }),
    ).toBeInTheDocument();
  });

  it('renders the overview card extension', async () => {
    await renderInTestApp(wrap(<EntityOnePasswordCard />), { mountedRoutes });
    expect(await screen.findByText(/Worst problem/)).toBeInTheDocument();
  });

  it('mounts the audit page on its route ref', () => {
    expect(getComponentData(<OnePasswordAuditPage />, 'core.mountPoint')).toBe(
      auditRouteRef,
    );
  });

  it('renders the audit page with its own header', async () => {
    // A routable extension only renders inside an app's routes; this is the
    // component it lazily loads.
    await renderInTestApp(wrap(<AuditPageComponent />), { mountedRoutes });
    expect(
      await screen.findByRole('heading', { name: '1Password secrets audit' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('grid', {
        name: 'Synced Secrets in every cluster',
      }),
    ).toBeInTheDocument();
  });
});
