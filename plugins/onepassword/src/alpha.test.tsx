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
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import onePasswordPlugin, {
  onePasswordEntityCard,
  onePasswordEntityContent,
} from './alpha';
import { onePasswordApiRef } from './api';
import {
  annotatedEntity,
  auditResponse,
  entitySecretsResponse,
  mockOnePasswordApi,
  plainEntity,
  secretRecord,
} from './__testUtils__/fixtures';

// A whole app renders before the lazily loaded audit page.
jest.setTimeout(60_000);

describe('onepassword plugin (new frontend system)', () => {
  it('adds a Secrets tab for linked entities only', async () => {
    const tester = createExtensionTester(onePasswordEntityContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Secrets');
    expect(tester.get(coreExtensionData.routePath)).toBe('/secrets');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(annotatedEntity)).toBe(true);
    expect(filter?.(plainEntity)).toBe(false);

    const api = mockOnePasswordApi();
    api.getEntitySecrets.mockResolvedValue(
      entitySecretsResponse([secretRecord({ status: 'stale' })]),
    );
    await renderInTestApp(
      <EntityProvider entity={annotatedEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [
          [onePasswordApiRef, api],
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
      },
    );
    expect(await screen.findByText('stale')).toBeInTheDocument();
  });

  it('adds an overview card for linked entities only', () => {
    const tester = createExtensionTester(onePasswordEntityCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter?.(annotatedEntity)).toBe(true);
    expect(filter?.(plainEntity)).toBe(false);
  });

  it('serves the audit page under its title', async () => {
    const api = mockOnePasswordApi();
    api.getAudit.mockResolvedValue(auditResponse([secretRecord() as any]));
    renderTestApp({
      features: [onePasswordPlugin],
      initialRouteEntries: ['/onepassword'],
      apis: [
        [onePasswordApiRef, api],
        mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
      ],
    });
    expect(
      await screen.findByRole(
        'grid',
        { name: 'Synced Secrets in every cluster' },
        { timeout: 25_000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: '1Password secrets audit' }),
    ).toBeInTheDocument();
  });
});
