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

import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  annotatedEntity,
  entitySecretsResponse,
  minutesAgo,
  mockOnePasswordApi,
  NOW,
  plainEntity,
  secretRecord,
} from '../../__testUtils__/fixtures';
import { renderForEntity, responseError } from '../../__testUtils__/render';
import { EntityOnePasswordContent } from './EntityOnePasswordContent';

const stale = secretRecord({
  cluster: 'dev-eu',
  namespace: 'storefront',
  secretName: 'checkout-session-key',
  itemPath: 'vaults/storefront/items/checkout-session-key',
  vaultName: 'storefront',
  itemTitle: 'checkout-session-key',
  status: 'stale',
  itemVersion: 4,
  secretVersion: 2,
  itemUpdatedAt: minutesAgo(120),
  syncedAt: minutesAgo(3 * 24 * 60),
  pollingIntervalSeconds: 60,
  nextPollBy: minutesAgo(119),
  message:
    'Item version 4 changed 2 h ago; the Secret still carries version 2.',
  hint: 'The operator cannot read the vault: check the token it uses.',
});

const pending = secretRecord({
  cluster: 'prod-us',
  secretName: 'orders-stripe-key',
  status: 'pending',
  itemVersion: 3,
  secretVersion: 2,
  nextPollBy: '2026-11-28T14:30:00Z',
});

const overdue = secretRecord({
  cluster: 'prod-us',
  secretName: 'overdue-key',
  status: 'pending',
  itemVersion: 3,
  secretVersion: 2,
  nextPollBy: minutesAgo(10),
});

const unknown = secretRecord({
  cluster: 'legacy-dc',
  namespace: 'billing',
  secretName: 'billing-db',
  status: 'unknown',
  statusSince: minutesAgo(180),
});

/** The row of the table whose Secret is `secretName`. */
function rowOf(table: HTMLElement, secretName: string): HTMLElement {
  return within(table)
    .getByRole('rowheader', { name: new RegExp(`^${secretName}`) })
    .closest('tr')!;
}

function renderContent(
  options: Partial<Parameters<typeof renderForEntity>[1]> = {},
) {
  return renderForEntity(<EntityOnePasswordContent />, {
    entity: annotatedEntity,
    api: mockOnePasswordApi(),
    ...options,
  });
}

describe('EntityOnePasswordContent', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW, advanceTimers: true });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('explains which annotation is missing on an unlinked entity', async () => {
    const api = mockOnePasswordApi();
    await renderContent({ entity: plainEntity, api });
    expect(await screen.findByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(
      screen.getAllByText(/backstage\.io\/kubernetes-id/).length,
    ).toBeGreaterThan(0);
    expect(api.getEntitySecrets).not.toHaveBeenCalled();
  });

  it('shows progress while loading', async () => {
    const api = mockOnePasswordApi();
    api.getEntitySecrets.mockReturnValue(new Promise(() => {}));
    await renderContent({ api });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('explains how to add a secret when there is none', async () => {
    const api = mockOnePasswordApi();
    api.getEntitySecrets.mockResolvedValue(entitySecretsResponse([]));
    await renderContent({ api });
    expect(
      await screen.findByText('This service has no 1Password-synced secrets'),
    ).toBeInTheDocument();
    expect(document.body).toHaveTextContent('kind: OnePasswordItem');
    const link = screen.getByRole('link', { name: /Request new credentials/ });
    expect(link).toHaveAttribute(
      'href',
      `/create/templates/default/request-credentials?formData=${encodeURIComponent(
        '{"entity":"component:default/payments-api"}',
      )}`,
    );
  });

  it('says so when the permission policy denies access', async () => {
    const api = mockOnePasswordApi();
    api.getEntitySecrets.mockRejectedValue(
      await responseError(403, 'Forbidden'),
    );
    await renderContent({ api });
    expect(await screen.findByText(/Permission denied/)).toBeInTheDocument();
    expect(screen.getByText(/onepassword\.secrets\.read/)).toBeInTheDocument();
  });

  it('shows other errors with their message', async () => {
    const api = mockOnePasswordApi();
    api.getEntitySecrets.mockRejectedValue(
      await responseError(500, 'Database down'),
    );
    await renderContent({ api });
    expect(
      await screen.findByText(/Could not load the 1Password sync state/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/Database down/).length).toBeGreaterThan(0);
  });

  it('lists every synced Secret with its status, sync age and polling', async () => {
    const api = mockOnePasswordApi();
    api.getEntitySecrets.mockResolvedValue(
      entitySecretsResponse([secretRecord(), stale, pending, overdue, unknown]),
    );
    await renderContent({ api });

    const table = await screen.findByRole('grid', { name: 'Synced Secrets' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual(['Status', 'Secret', 'Last sync']);
    const staleRow = rowOf(table, 'checkout-session-key');
    expect(within(staleRow).getByText('stale')).toBeInTheDocument();
    expect(
      within(staleRow).getByText('dev-eu / storefront'),
    ).toBeInTheDocument();
    expect(within(staleRow).getByText('synced 3 days ago')).toBeInTheDocument();
    expect(
      within(staleRow).getByText('behind since 12:22 PM (2 hours ago)'),
    ).toBeInTheDocument();
    expect(
      within(staleRow).getByText(
        'operator polls every 1 min · next check overdue since 12:23 PM (1 hour ago)',
      ),
    ).toBeInTheDocument();

    expect(
      within(rowOf(table, 'orders-stripe-key')).getByText(
        'catches up by 2:30 PM (in 8 minutes)',
      ),
    ).toBeInTheDocument();
    expect(
      within(rowOf(table, 'overdue-key')).getByText(
        'catch-up overdue since 2:12 PM (10 minutes ago)',
      ),
    ).toBeInTheDocument();
    expect(
      within(rowOf(table, 'billing-db')).getByText(
        'last known state from 3 hours ago',
      ),
    ).toBeInTheDocument();
    expect(
      within(rowOf(table, 'payments-db')).getByText(
        'operator polls every 10 min · next check by 2:32 PM (in 10 minutes)',
      ),
    ).toBeInTheDocument();
  });

  it('sums up statuses, health and the snapshot time', async () => {
    const api = mockOnePasswordApi();
    api.getEntitySecrets.mockResolvedValue(
      entitySecretsResponse([secretRecord(), stale]),
    );
    await renderContent({ api });
    const summary = await screen.findByRole('list', {
      name: 'Secrets by status',
    });
    expect(
      within(summary)
        .getAllByRole('listitem')
        .map(i => i.textContent),
    ).toEqual(['1 stale', '1 in-sync']);
    expect(
      within(screen.getByRole('list', { name: 'Connect servers' })).getByText(
        'main: healthy',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('list', { name: 'Clusters' })).getByText(
        'dev-eu: healthy',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/^as of/)).toBeInTheDocument();
  });

  it('shows what is wrong and what to do without a click, details on demand', async () => {
    const api = mockOnePasswordApi();
    api.getEntitySecrets.mockResolvedValue(
      entitySecretsResponse([secretRecord(), stale]),
    );
    await renderContent({ api });
    const table = await screen.findByRole('grid', { name: 'Synced Secrets' });
    const staleRow = rowOf(table, 'checkout-session-key');
    expect(staleRow).toHaveTextContent(`What is wrong: ${stale.message}`);
    expect(staleRow).toHaveTextContent(`What to do: ${stale.hint}`);
    // A healthy row has nothing to explain.
    expect(rowOf(table, 'payments-db')).not.toHaveTextContent('What is wrong');

    const details = within(staleRow).getByRole('button', { name: 'Details' });
    expect(details).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(details);
    expect(details).toHaveAttribute('aria-expanded', 'true');
    expect(
      within(staleRow).getByText('Secret has version 2; 1Password has 4'),
    ).toBeVisible();
    expect(
      within(staleRow).getByText('storefront / checkout-session-key'),
    ).toBeVisible();
    expect(within(staleRow).getByText('off (operator default)')).toBeVisible();
  });

  it('says a restart is needed beside an in-sync status, and which Deployment, on demand', async () => {
    const api = mockOnePasswordApi();
    const inSyncButOld = secretRecord({
      restartNeeded: true,
      restartHint:
        'Roll the Deployment: kubectl rollout restart deployment/payments-api',
      consumers: [
        {
          namespace: 'payments',
          deployment: 'payments-api',
          kinds: ['envFrom'],
          containers: ['api'],
          podCount: 2,
          podsBeforeWrite: 2,
          verdict: 'restart-needed',
        },
      ],
    });
    api.getEntitySecrets.mockResolvedValue(
      entitySecretsResponse([inSyncButOld]),
    );
    await renderContent({ api });
    const table = await screen.findByRole('grid', { name: 'Synced Secrets' });
    const row = rowOf(table, 'payments-db');
    expect(row).toHaveTextContent(
      'Restart needed: Roll the Deployment: kubectl rollout restart deployment/payments-api',
    );
    expect(row).not.toHaveTextContent('What is wrong');
    await userEvent.click(within(row).getByRole('button', { name: 'Details' }));
    expect(
      within(row).getByText(
        /Deployment payments-api \(envFrom\): restart needed, 2 of 2 pods started before the last change/,
      ),
    ).toBeVisible();
  });

  it("shows each item's age and rotation due, and offers rotating it with the record filled in", async () => {
    const api = mockOnePasswordApi();
    api.getEntitySecrets.mockResolvedValue(
      entitySecretsResponse([
        secretRecord({
          vaultId: 'v'.repeat(26),
          itemId: 'i'.repeat(26),
          connectServer: 'main',
          itemUpdatedAt: minutesAgo(30 * 24 * 60),
          rotateBy: minutesAgo(10 * 24 * 60),
          rotationDue: true,
        }),
      ]),
    );
    await renderContent({ api });
    const table = await screen.findByRole('grid', { name: 'Synced Secrets' });
    const row = rowOf(table, 'payments-db');
    expect(row).toHaveTextContent(/item changed .*30 days ago/);
    expect(row).toHaveTextContent(/rotation due since .*10 days ago/);
    const link = within(row).getByRole('link', {
      name: 'Rotate credentials of payments-db in dev-eu/payments',
    });
    const url = new URL(link.getAttribute('href')!, 'http://localhost');
    expect(url.pathname).toBe('/create/templates/default/rotate-credentials');
    expect(JSON.parse(url.searchParams.get('formData')!)).toEqual({
      entity: 'component:default/payments-api',
      server: 'main',
      vault: 'v'.repeat(26),
      item: 'i'.repeat(26),
      secret: 'dev-eu/payments/payments-db',
    });
  });

  it("links each consuming Deployment to the entity's Kubernetes tab and says what is wrong with Connect", async () => {
    const api = mockOnePasswordApi();
    const record = secretRecord({
      connectHint:
        "The operator's token Secret onepassword/onepassword-token was written after the operator pod started. Restart the operator.",
      consumers: [
        {
          namespace: 'payments',
          deployment: 'payments-api',
          kinds: ['env'],
          containers: ['api'],
          podCount: 1,
          podsBeforeWrite: 0,
          verdict: 'current',
        },
      ],
      restartNeeded: false,
    });
    api.getEntitySecrets.mockResolvedValue(entitySecretsResponse([record]));
    await renderContent({
      api,
      path: '/catalog/default/component/payments-api/secrets',
    });
    const table = await screen.findByRole('grid', { name: 'Synced Secrets' });
    const row = rowOf(table, 'payments-db');
    expect(row).toHaveTextContent(
      "Connect and operator token: The operator's token Secret onepassword/onepassword-token was written after the operator pod started.",
    );
    await userEvent.click(within(row).getByRole('button', { name: 'Details' }));
    expect(
      within(row).getByRole('link', { name: 'payments-api' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/kubernetes',
    );
  });

  it('offers "Refresh now" when allowed and reloads after it', async () => {
    const api = mockOnePasswordApi();
    api.getEntitySecrets.mockResolvedValue(
      entitySecretsResponse([secretRecord()]),
    );
    await renderContent({ api, allowRefresh: true });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Refresh now' }),
    );
    expect(api.refresh).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(api.getEntitySecrets).toHaveBeenCalledTimes(2), {
      timeout: 5000,
    });
  });

  describe('with a running clock', () => {
    it('keeps the sync age current', async () => {
      const api = mockOnePasswordApi();
      api.getEntitySecrets.mockResolvedValue(
        entitySecretsResponse([secretRecord({ syncedAt: minutesAgo(4) })]),
      );
      await renderContent({ api });
      expect(
        await screen.findByText('synced 4 minutes ago'),
      ).toBeInTheDocument();

      act(() => {
        jest.advanceTimersByTime(60_000);
      });
      expect(
        await screen.findByText('synced 5 minutes ago'),
      ).toBeInTheDocument();
      expect(
        screen.queryByText('synced 4 minutes ago'),
      ).not.toBeInTheDocument();
    });
  });
});
