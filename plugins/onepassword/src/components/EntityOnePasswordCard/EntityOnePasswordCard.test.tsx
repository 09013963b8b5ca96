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
  NOW,
  plainEntity,
  secretRecord,
} from '../../__testUtils__/fixtures';
import { renderForEntity, responseError } from '../../__testUtils__/render';
import { EntityOnePasswordCard } from './EntityOnePasswordCard';

describe('EntityOnePasswordCard', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW, advanceTimers: true });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('counts Secrets by status and names the worst problem', async () => {
    const api = mockOnePasswordApi();
    api.getEntitySecrets.mockResolvedValue(
      entitySecretsResponse([
        secretRecord(),
        secretRecord({ secretName: 'orders-stripe-key', status: 'pending' }),
        secretRecord({
          secretName: 'ledger-db',
          namespace: 'ledger',
          status: 'access-denied',
          message: 'Connect answered 403 for vault finance-restricted',
        }),
      ]),
    );
    await renderForEntity(<EntityOnePasswordCard />, {
      entity: annotatedEntity,
      api,
    });

    const counts = await screen.findByRole('list', {
      name: 'Secrets by status',
    });
    expect(counts).toHaveTextContent('1 access-denied');
    expect(counts).toHaveTextContent('1 pending');
    expect(counts).toHaveTextContent('1 in-sync');
    expect(
      screen.getByText(/ledger-db in dev-eu\/ledger: Connect answered 403/),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /View secrets/ })).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/secrets',
    );
  });

  it('says when everything is in sync', async () => {
    const api = mockOnePasswordApi();
    api.getEntitySecrets.mockResolvedValue(
      entitySecretsResponse([
        secretRecord(),
        secretRecord({ cluster: 'prod-us' }),
      ]),
    );
    await renderForEntity(<EntityOnePasswordCard />, {
      entity: annotatedEntity,
      api,
    });
    expect(
      await screen.findByText('All 2 secrets are in sync.'),
    ).toBeInTheDocument();
  });

  it('counts the secrets due for rotation', async () => {
    const api = mockOnePasswordApi();
    api.getEntitySecrets.mockResolvedValue(
      entitySecretsResponse([
        secretRecord({ rotationDue: true }),
        secretRecord({ cluster: 'prod-us', rotationDue: true }),
        secretRecord({ cluster: 'edge', rotationDue: false }),
      ]),
    );
    await renderForEntity(<EntityOnePasswordCard />, {
      entity: annotatedEntity,
      api,
    });
    expect(
      await screen.findByText('2 secrets are due for rotation.'),
    ).toBeInTheDocument();
  });

  it('says when there are no synced secrets', async () => {
    const api = mockOnePasswordApi();
    api.getEntitySecrets.mockResolvedValue(entitySecretsResponse([]));
    await renderForEntity(<EntityOnePasswordCard />, {
      entity: annotatedEntity,
      api,
    });
    expect(
      await screen.findByText('This service has no 1Password-synced secrets.'),
    ).toBeInTheDocument();
  });

  it('explains a permission denial', async () => {
    const api = mockOnePasswordApi();
    api.getEntitySecrets.mockRejectedValue(
      await responseError(403, 'Forbidden'),
    );
    await renderForEntity(<EntityOnePasswordCard />, {
      entity: annotatedEntity,
      api,
    });
    expect(await screen.findByText(/Permission denied/)).toBeInTheDocument();
  });

  it('asks for the annotation on an unlinked entity', async () => {
    const api = mockOnePasswordApi();
    await renderForEntity(<EntityOnePasswordCard />, {
      entity: plainEntity,
      api,
    });
    expect(await screen.findByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(api.getEntitySecrets).not.toHaveBeenCalled();
  });
});
