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

import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { onePasswordApiRef } from '../../api';
import {
  auditRecord,
  auditResponse,
  devEuCluster,
  legacyServer,
  mainServer,
  mockOnePasswordApi,
  NOW,
} from '../../__testUtils__/fixtures';
import { responseError } from '../../__testUtils__/render';
import { AuditContent } from './AuditContent';

const claimed = auditRecord();
const orphan = auditRecord({
  namespace: 'default',
  secretName: 'shared-smtp',
  entityRef: null,
  owner: null,
});
const denied = auditRecord({
  cluster: 'prod-us',
  secretName: 'ledger-db',
  status: 'access-denied',
  message: 'Connect answered 403 for vault finance-restricted',
  hint: 'Grant the Connect token access to the vault.',
  entityRef: 'component:default/ledger-service',
});

/** The row of the table whose Secret is `secretName`. */
function rowOf(table: HTMLElement, secretName: string): HTMLElement {
  return within(table)
    .getByRole('rowheader', { name: new RegExp(`^${secretName}`) })
    .closest('tr')!;
}

function renderAudit(api = mockOnePasswordApi(), path = '/onepassword') {
  return renderInTestApp(<AuditContent />, {
    initialRouteEntries: [path],
    apis: [
      [onePasswordApiRef, api],
      mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
    ],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

// The table and its pickers make for slow renders in jsdom on a busy machine.
jest.setTimeout(30_000);

describe('AuditContent', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW, advanceTimers: true });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('lists synced Secrets with their entity, or as orphans', async () => {
    const api = mockOnePasswordApi();
    api.getAudit.mockResolvedValue(auditResponse([claimed, orphan, denied]));
    await renderAudit(api);

    const table = await screen.findByRole('grid', {
      name: 'Synced Secrets in every cluster',
    });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual([
      'Status',
      'Service and owner',
      'Secret',
      'Cluster / namespace',
      'Last sync',
      'Item changed',
    ]);
    const orphanRow = rowOf(table, 'shared-smtp');
    expect(within(orphanRow).getByText('orphan')).toBeInTheDocument();
    const deniedRow = rowOf(table, 'ledger-db');
    expect(within(deniedRow).getByText('access-denied')).toBeInTheDocument();
    expect(
      within(deniedRow).getByRole('link', { name: /ledger-service/ }),
    ).toHaveAttribute('href', '/catalog/default/component/ledger-service');
    expect(api.getAudit).toHaveBeenCalledWith({
      limit: 50,
      cursor: undefined,
      sort: undefined,
    });
  });

  it('shows totals, a chart per cluster and the health of servers and clusters', async () => {
    const api = mockOnePasswordApi({
      getServers: jest
        .fn()
        .mockResolvedValue({ items: [mainServer, legacyServer] }),
    });
    api.getAudit.mockResolvedValue(
      auditResponse([claimed, denied], { total: 20000 }),
    );
    await renderAudit(api);

    expect(await screen.findByText('20,000')).toBeInTheDocument();
    expect(
      screen.getByRole('list', { name: 'Synced Secrets by status' }),
    ).toHaveTextContent('1 access-denied');
    expect(
      screen.getByRole('img', { name: 'dev-eu: 1 access-denied, 1 in-sync' }),
    ).toBeInTheDocument();

    const servers = await screen.findByRole('grid', {
      name: 'Connect servers',
    });
    const legacyRow = within(servers).getByText('legacy').closest('tr')!;
    expect(within(legacyRow).getByText('unreachable')).toBeInTheDocument();
    expect(
      within(legacyRow).getByText(legacyServer.error!),
    ).toBeInTheDocument();

    const clusters = screen.getByRole('grid', {
      name: 'Clusters and operators',
    });
    const devEu = within(clusters).getByText('dev-eu').closest('tr')!;
    expect(within(devEu).getByText('1 min')).toBeInTheDocument();
    expect(within(devEu).getByText('1.12.0')).toBeInTheDocument();
    expect(
      within(devEu).getByText('payments, storefront, identity, default'),
    ).toBeInTheDocument();
  });

  it("shows each operator's in-cluster Connect, token Secret and their problems with hints", async () => {
    const operator = {
      ...devEuCluster.operator!,
      connectHost: 'http://onepassword-connect:8080',
      inClusterConnect: {
        service: 'onepassword/onepassword-connect',
        deployment: 'onepassword/onepassword-connect',
        credentialsSecret: 'onepassword/op-credentials',
        available: false,
        podCount: 1,
        restarts: 6,
      },
      tokenSecret: 'onepassword/onepassword-token',
      connectProblems: [
        {
          kind: 'connect-crash-loop' as const,
          message:
            'Connect pod onepassword/onepassword-connect-abc is CrashLoopBackOff after 6 restarts.',
          hint: 'The 1password-credentials.json file must be base64-encoded twice in onepassword/op-credentials.',
        },
      ],
    };
    const api = mockOnePasswordApi({
      getClusters: jest.fn().mockResolvedValue({
        items: [{ ...devEuCluster, operator, operators: [operator] }],
      }),
    });
    api.getAudit.mockResolvedValue(auditResponse([claimed]));
    await renderAudit(api);
    const table = await screen.findByRole('grid', {
      name: 'Connect deployments and operator tokens',
    });
    const row = within(table)
      .getByText('onepassword/onepassword-connect-operator')
      .closest('tr')!;
    expect(row).toHaveTextContent('onepassword/op-credentials');
    expect(row).toHaveTextContent('onepassword/onepassword-token');
    expect(row).toHaveTextContent(
      'CrashLoopBackOff after 6 restarts. What to do: The 1password-credentials.json file must be base64-encoded twice',
    );
  });

  it('pages forward and back with the backend cursors', async () => {
    const api = mockOnePasswordApi();
    api.getAudit.mockImplementation(async query =>
      query.cursor === 'page-2'
        ? auditResponse([orphan], { total: 51, nextCursor: null })
        : auditResponse([claimed], { total: 51, nextCursor: 'page-2' }),
    );
    await renderAudit(api);

    await screen.findByRole('rowheader', { name: /^payments-db/ });
    expect(screen.getByText('1 - 50 of 51')).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Next table page' }),
    );
    expect(
      await screen.findByRole('rowheader', { name: /^shared-smtp/ }),
    ).toBeInTheDocument();
    expect(api.getAudit).toHaveBeenLastCalledWith(
      expect.objectContaining({ cursor: 'page-2', limit: 50 }),
    );
    expect(
      screen.getByRole('button', { name: 'Next table page' }),
    ).toBeDisabled();

    await userEvent.click(
      screen.getByRole('button', { name: 'Previous table page' }),
    );
    expect(
      await screen.findByRole('rowheader', { name: /^payments-db/ }),
    ).toBeInTheDocument();
  });

  it('filters by status on the server', async () => {
    const api = mockOnePasswordApi();
    api.getAudit.mockResolvedValue(auditResponse([claimed]));
    await renderAudit(api);
    await screen.findByRole('rowheader', { name: /^payments-db/ });

    await userEvent.click(screen.getByRole('textbox', { name: 'Status' }));
    await userEvent.click(await screen.findByRole('option', { name: 'stale' }));
    await waitFor(() =>
      expect(api.getAudit).toHaveBeenLastCalledWith(
        expect.objectContaining({ status: ['stale'], cursor: undefined }),
      ),
    );
  });

  it('offers every owner the backend knows, not only those on this page', async () => {
    const api = mockOnePasswordApi();
    api.getAudit.mockResolvedValue(
      auditResponse([claimed], {
        owners: ['group:default/team-identity', 'group:default/team-payments'],
      }),
    );
    await renderAudit(api);
    await screen.findByRole('rowheader', { name: /^payments-db/ });

    await userEvent.click(screen.getByRole('textbox', { name: 'Owner' }));
    await userEvent.click(
      await screen.findByRole('option', {
        name: 'group:default/team-identity',
      }),
    );
    await waitFor(() =>
      expect(api.getAudit).toHaveBeenLastCalledWith(
        expect.objectContaining({ owner: ['group:default/team-identity'] }),
      ),
    );
  });

  it('searches text once typing pauses', async () => {
    const api = mockOnePasswordApi();
    api.getAudit.mockResolvedValue(auditResponse([claimed]));
    await renderAudit(api);
    await screen.findByRole('rowheader', { name: /^payments-db/ });

    await userEvent.type(
      screen.getByRole('textbox', { name: 'Search' }),
      'ledger',
    );
    await waitFor(() =>
      expect(api.getAudit).toHaveBeenLastCalledWith(
        expect.objectContaining({ q: 'ledger' }),
      ),
    );
    expect(api.getAudit).not.toHaveBeenCalledWith(
      expect.objectContaining({ q: 'l' }),
    );
  });

  it('sorts on the server when a header is clicked', async () => {
    const api = mockOnePasswordApi();
    api.getAudit.mockResolvedValue(auditResponse([claimed]));
    await renderAudit(api);
    await screen.findByRole('rowheader', { name: /^payments-db/ });

    const header = screen.getByRole('columnheader', { name: 'Last sync' });
    await userEvent.click(header);
    await waitFor(() =>
      expect(api.getAudit).toHaveBeenLastCalledWith(
        expect.objectContaining({ sort: 'syncedAt' }),
      ),
    );
    expect(header).toHaveAttribute('aria-sort', 'ascending');
    await userEvent.click(header);
    await waitFor(() =>
      expect(api.getAudit).toHaveBeenLastCalledWith(
        expect.objectContaining({ sort: '-syncedAt' }),
      ),
    );
  });

  it('exports the filtered rows as a CSV file named for the audit', async () => {
    const api = mockOnePasswordApi();
    api.getAudit.mockResolvedValue(auditResponse([claimed]));
    const csv = new Blob(['status,secretName\r\nstale,payments-db\r\n'], {
      type: 'text/csv',
    });
    api.exportAuditCsv.mockResolvedValue(csv);
    const createObjectURL = jest.fn((_blob: Blob) => 'blob:csv');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    // What the browser would download: the anchor's target and file name.
    const downloads: Array<{ href: string; download: string }> = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        downloads.push({ href: this.href, download: this.download });
      });
    await renderAudit(api);
    await screen.findByRole('rowheader', { name: /^payments-db/ });

    // The export carries the filters on screen, not the whole audit.
    await userEvent.click(screen.getByRole('textbox', { name: 'Status' }));
    await userEvent.click(await screen.findByRole('option', { name: 'stale' }));
    await waitFor(() =>
      expect(api.getAudit).toHaveBeenLastCalledWith(
        expect.objectContaining({ status: ['stale'] }),
      ),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));

    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(api.exportAuditCsv).toHaveBeenCalledWith(
      expect.objectContaining({ status: ['stale'] }),
    );
    expect(createObjectURL).toHaveBeenCalledWith(csv);
    expect(downloads).toEqual([
      { href: 'blob:csv', download: 'onepassword-audit.csv' },
    ]);
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:csv');
    click.mockRestore();
  });

  it('sorts by "in this status since" on the server, from its optional column', async () => {
    const api = mockOnePasswordApi();
    api.getAudit.mockResolvedValue(auditResponse([claimed]));
    await renderAudit(api, '/onepassword?columns=status,secret,statusSince');
    await screen.findByRole('rowheader', { name: /^payments-db/ });

    const header = screen.getByRole('columnheader', {
      name: 'In this status since',
    });
    await userEvent.click(header);
    await waitFor(() =>
      expect(api.getAudit).toHaveBeenLastCalledWith(
        expect.objectContaining({ sort: 'statusSince' }),
      ),
    );
  });

  it('restores filters, sort and columns from the URL', async () => {
    const api = mockOnePasswordApi();
    api.getAudit.mockResolvedValue(auditResponse([denied]));
    await renderAudit(
      api,
      '/onepassword?status=stale&status=access-denied&cluster=prod-us&q=ledger&orphans=false&sort=-syncedAt&columns=status,secret,message',
    );
    const table = await screen.findByRole('grid', {
      name: 'Synced Secrets in every cluster',
    });
    expect(api.getAudit).toHaveBeenCalledWith({
      status: ['stale', 'access-denied'],
      cluster: ['prod-us'],
      q: 'ledger',
      orphans: false,
      sort: '-syncedAt',
      limit: 50,
      cursor: undefined,
    });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual(['Status', 'Secret', 'What is wrong']);
    expect(
      within(rowOf(table, 'ledger-db')).getByText(denied.message!),
    ).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Search' })).toHaveValue(
      'ledger',
    );
  });

  it('filters on rotation due from the URL and the filter bar', async () => {
    const api = mockOnePasswordApi();
    api.getAudit.mockResolvedValue(auditResponse([denied]));
    await renderAudit(api, '/onepassword?rotationDue=true');
    await screen.findByRole('grid', {
      name: 'Synced Secrets in every cluster',
    });
    expect(api.getAudit).toHaveBeenLastCalledWith(
      expect.objectContaining({ rotationDue: true }),
    );
    await userEvent.click(screen.getByRole('button', { name: /Rotation/ }));
    await userEvent.click(screen.getByRole('option', { name: 'Not due' }));
    await waitFor(() =>
      expect(api.getAudit).toHaveBeenLastCalledWith(
        expect.objectContaining({ rotationDue: false }),
      ),
    );
  });

  it('filters on restart needed on the server, from the URL, and shows which Deployments', async () => {
    const api = mockOnePasswordApi();
    const restart = auditRecord({
      secretName: 'payments-db',
      restartNeeded: true,
      consumers: [
        {
          namespace: 'payments',
          deployment: 'payments-api',
          kinds: ['env'],
          containers: ['api'],
          podCount: 2,
          podsBeforeWrite: 2,
          verdict: 'restart-needed',
        },
      ],
    });
    api.getAudit.mockResolvedValue(auditResponse([restart]));
    await renderAudit(
      api,
      '/onepassword?restartNeeded=true&columns=secret,restartNeeded',
    );
    const table = await screen.findByRole('grid', {
      name: 'Synced Secrets in every cluster',
    });
    expect(api.getAudit).toHaveBeenCalledWith({
      restartNeeded: true,
      limit: 50,
      cursor: undefined,
    });
    expect(
      within(rowOf(table, 'payments-db')).getByText(
        'restart needed: payments-api',
      ),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: /Pods/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'No restart needed' }),
    );
    await waitFor(() =>
      expect(api.getAudit).toHaveBeenLastCalledWith(
        expect.objectContaining({ restartNeeded: false }),
      ),
    );
  });

  it('lists naming rule violations with the name expected', async () => {
    const api = mockOnePasswordApi({
      getNamingViolations: jest.fn().mockResolvedValue({
        rules: { vault: '{system}' },
        items: [
          {
            rule: 'vault',
            name: 'finance-restricted',
            expected: 'payments',
            message: 'x',
            entityRef: 'component:default/ledger-service',
          },
        ],
      }),
    });
    api.getAudit.mockResolvedValue(auditResponse([denied]));
    await renderAudit(api);
    const table = await screen.findByRole('grid', {
      name: 'Naming rule violations',
    });
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map(row => row.textContent),
    ).toEqual([
      'Vaultfinance-restrictedpaymentscomponent:default/ledger-service',
    ]);
    expect(
      screen.getByText(/Rules: Vault names \{system\}/),
    ).toBeInTheDocument();
  });

  it('drops statuses and sort fields the server does not know', async () => {
    const api = mockOnePasswordApi();
    api.getAudit.mockResolvedValue(auditResponse([claimed]));
    await renderAudit(api, '/onepassword?status=bogus&sort=password');
    await screen.findByRole('rowheader', { name: /^payments-db/ });
    expect(api.getAudit).toHaveBeenCalledWith({
      limit: 50,
      cursor: undefined,
      sort: undefined,
    });
  });

  it('shows a column chosen from the column picker', async () => {
    const api = mockOnePasswordApi();
    api.getAudit.mockResolvedValue(auditResponse([denied]));
    await renderAudit(api);
    const table = await screen.findByRole('grid', {
      name: 'Synced Secrets in every cluster',
    });
    expect(
      within(table).queryByRole('columnheader', { name: 'What to do' }),
    ).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Columns' }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'What to do' }),
    );
    // The menu stays open for more choices (and hides the page from the
    // accessibility tree meanwhile); the table behind it has the column.
    const updated = screen.getByRole('grid', {
      name: 'Synced Secrets in every cluster',
      hidden: true,
    });
    expect(
      within(updated).getByRole('columnheader', {
        name: 'What to do',
        hidden: true,
      }),
    ).toBeInTheDocument();
    expect(updated).toHaveTextContent(denied.hint!);
  });

  it('explains a missing audit permission', async () => {
    const api = mockOnePasswordApi();
    api.getAudit.mockRejectedValue(await responseError(403, 'Forbidden'));
    await renderAudit(api);
    expect(await screen.findByText(/Permission denied/)).toBeInTheDocument();
    expect(screen.getByText(/onepassword\.audit\.read/)).toBeInTheDocument();
  });
});
