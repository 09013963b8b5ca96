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
  annotatedEntity,
  entitySecretsResponse,
  mockOnePasswordApi,
  secretRecord,
} from '../../__testUtils__/fixtures';
import { renderForEntity } from '../../__testUtils__/render';
import { EntityOnePasswordContent } from './EntityOnePasswordContent';

// A file of its own: usePermission caches decisions per module registry, so
// an "allowed" answer of another test would leak in.
describe('EntityOnePasswordContent without the refresh permission', () => {
  it('hides "Refresh now" when the permission is denied', async () => {
    const api = mockOnePasswordApi();
    api.getEntitySecrets.mockResolvedValue(
      entitySecretsResponse([secretRecord()]),
    );
    await renderForEntity(<EntityOnePasswordContent />, {
      entity: annotatedEntity,
      api,
      allowRefresh: false,
    });
    expect(await screen.findByRole('grid')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Request new credentials/ }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Refresh now' }),
    ).not.toBeInTheDocument();
  });
});
