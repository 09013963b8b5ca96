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
import { screen, within } from '@testing-library/react';
import {
  auditRecord,
  auditResponse,
  mockOnePasswordApi,
  NOW,
  plainEntity,
} from '../../__testUtils__/fixtures';
import { renderForEntity, responseError } from '../../__testUtils__/render';
import { EntityOnePasswordVaultContent } from './EntityOnePasswordVaultContent';

const vaultEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: '1password-vault-ytrfte14kw1uex5txwspmwtwqi',
    title: 'payments',
    annotations: {
      '1password.com/vault-id': 'ytrfte14kw1uex5txwspmwtwqi',
      '1password.com/connect-servers': 'main',
    },
  },
  spec: { type: '1password-vault', owner: 'group:default/team-payments' },
};

describe('EntityOnePasswordVaultContent', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW, advanceTimers: true });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it("lists the vault's synced Secrets with the services that use them", async () => {
    const api = mockOnePasswordApi();
    api.getAudit.mockResolvedValue(
      auditResponse([
        auditRecord(),
        auditRecord({
          secretName: 'orders-stripe-key',
          status: 'pending',
          cluster: 'prod-us',
          entityRef: 'component:default/orders-worker',
        }),
      ]),
    );
    await renderForEntity(<EntityOnePasswordVaultContent />, {
      entity: vaultEntity,
      api,
    });

    const table = await screen.findByRole('grid', {
      name: 'Synced Secrets in every cluster',
    });
    expect(api.getAudit).toHaveBeenCalledWith({
      vault: ['ytrfte14kw1uex5txwspmwtwqi'],
      sort: 'status',
      limit: 500,
    });
    expect(
      within(table).getByRole('link', { name: 'orders-worker' }),
    ).toHaveAttribute('href', '/catalog/default/component/orders-worker');
    expect(within(table).getByText('orders-stripe-key')).toBeInTheDocument();
    expect(within(table).getByText('prod-us / payments')).toBeInTheDocument();
    const counts = screen.getByRole('list', {
      name: 'Secrets synced from this vault, by status',
    });
    expect(counts).toHaveTextContent('1 pending');
    expect(counts).toHaveTextContent('1 in-sync');
  });

  it('says when no Secret comes from the vault', async () => {
    const api = mockOnePasswordApi();
    api.getAudit.mockResolvedValue(auditResponse([]));
    await renderForEntity(<EntityOnePasswordVaultContent />, {
      entity: vaultEntity,
      api,
    });
    expect(
      await screen.findByText(
        'No Kubernetes Secret in any cluster is synced from this vault.',
      ),
    ).toBeInTheDocument();
  });

  it('explains that the audit permission is needed', async () => {
    const api = mockOnePasswordApi();
    api.getAudit.mockRejectedValue(await responseError(403, 'Forbidden'));
    await renderForEntity(<EntityOnePasswordVaultContent />, {
      entity: vaultEntity,
      api,
    });
    expect(
      await screen.findByText(/onepassword\.audit\.read/),
    ).toBeInTheDocument();
  });

  it('asks for the vault id on another entity, without a request', async () => {
    const api = mockOnePasswordApi();
    await renderForEntity(<EntityOnePasswordVaultContent />, {
      entity: plainEntity,
      api,
    });
    expect(await screen.findByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(api.getAudit).not.toHaveBeenCalled();
  });
});
