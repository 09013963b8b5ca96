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

import { test, expect, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import {
  expectNoSeriousA11yViolations,
  keepScreenshot,
  signIn,
} from './helpers';
import { ConnectApi, setOperatorPollingInterval } from './sandbox';

function secretsTab(page: Page, service: string) {
  return page.goto(`/catalog/default/component/${service}/secrets`);
}

/** The row of `cluster/namespace/secret` in the entity's Secrets table. */
function secretRow(page: Page, key: string) {
  const [cluster, namespace, secret] = key.split('/');
  return page
    .getByRole('table', { name: 'Synced Secrets' })
    .getByRole('row')
    .filter({
      has: page.getByRole('cell', {
        name: `${cluster} / ${namespace}`,
        exact: true,
      }),
    })
    .filter({
      has: page.getByRole('cell', { name: new RegExp(`^${secret}\\s*from `) }),
    });
}

test.beforeEach(async ({ page }) => {
  await signIn(page);
});

test('a stale secret shows its status and, on click, its hint', async ({
  page,
}) => {
  await secretsTab(page, 'checkout-web');
  const key = 'dev-eu/storefront/checkout-session-key';
  const row = secretRow(page, key);
  await expect(row.getByText('stale', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: `Details of ${key}` }).click();
  await expect(
    page.getByText(/The operator polls but fails silently/),
  ).toBeVisible();
  await expect(
    page.getByRole('button', { name: `Details of ${key}` }),
  ).toHaveAttribute('aria-expanded', 'true');

  await keepScreenshot(page, 'secrets-tab-stale');
  await expectNoSeriousA11yViolations(page);
});

test('an in-sync secret shows its sync age and the operator polling interval', async ({
  page,
}) => {
  await secretsTab(page, 'payments-api');
  const devRow = secretRow(page, 'dev-eu/payments/payments-db');
  await expect(devRow.getByText('in-sync', { exact: true })).toBeVisible();
  await expect(devRow.getByText(/^synced .+ ago$/)).toBeVisible();
  await expect(devRow.getByText(/operator polls every 1 min/)).toBeVisible();
  const prodRow = secretRow(page, 'prod-us/payments/payments-db');
  await expect(prodRow.getByText(/operator polls every 10 min/)).toBeVisible();
  await keepScreenshot(page, 'secrets-tab-in-sync');
});

test('an item changed in 1Password goes pending, then in-sync after the operator polls', async ({
  page,
}) => {
  test.setTimeout(240_000);
  // As a platform team would through Helm: a shorter POLLING_INTERVAL. The
  // operator restarts with it, so its next poll is one interval from now,
  // which leaves the test time to see `pending` first.
  const restoreInterval = await setOperatorPollingInterval('dev-eu', 45);
  try {
    await secretsTab(page, 'payments-api');
    const devRow = secretRow(page, 'dev-eu/payments/payments-db');
    await expect(devRow.getByText('in-sync', { exact: true })).toBeVisible();

    const connect = ConnectApi.forServer('main');
    const vaultId = await connect.vaultId('payments');
    const item = await connect.findItem(vaultId, 'payments-db');
    const full = await connect.call(
      'GET',
      `/v1/vaults/${vaultId}/items/${item.id}`,
    );
    // An edit as a person would make it in 1Password: a new field value.
    await connect.call('PUT', `/v1/vaults/${vaultId}/items/${item.id}`, {
      ...full,
      fields: [
        ...full.fields.filter((f: any) => f.label !== 'rotated-at'),
        { label: 'rotated-at', type: 'STRING', value: `CANARY-${Date.now()}` },
      ],
    });
    const newVersion = item.version + 1;

    await page.getByRole('button', { name: 'Refresh now' }).click();
    await expect(async () => {
      await page.reload();
      await expect(devRow.getByText('pending', { exact: true })).toBeVisible({
        timeout: 2_000,
      });
    }).toPass({ timeout: 30_000, intervals: [2_000] });
    await expect(devRow.getByText(`item v${newVersion}`)).toBeVisible();
    await expect(devRow.getByText(/operator polls every 45 s/)).toBeVisible();
    await keepScreenshot(page, 'secrets-tab-pending');

    // The backend refreshes every 20 s in the demo.
    await expect(async () => {
      await page.reload();
      await expect(devRow.getByText('in-sync', { exact: true })).toBeVisible({
        timeout: 2_000,
      });
    }).toPass({ timeout: 120_000, intervals: [5_000] });
    await expect(devRow.getByText(`Secret v${newVersion}`)).toBeVisible();
  } finally {
    await restoreInterval();
  }
});

test('the audit page filters to stale secrets and exports them as CSV', async ({
  page,
}) => {
  await page.goto('/onepassword');
  await expect(
    page.getByRole('heading', { name: '1Password secrets audit' }).first(),
  ).toBeVisible();
  const table = page.getByRole('table', {
    name: 'Synced Secrets in every cluster',
  });
  await expect(table.getByText('orphan')).toBeVisible();

  await page.getByRole('textbox', { name: 'Status' }).click();
  await page.getByRole('option', { name: 'stale', exact: true }).click();
  await page.keyboard.press('Escape');
  await expect(
    table.getByRole('cell', { name: /^checkout-session-key/ }),
  ).toBeVisible();
  await expect(table.getByRole('cell', { name: /^payments-db/ })).toHaveCount(
    0,
  );
  await keepScreenshot(page, 'audit-page-stale');
  await expectNoSeriousA11yViolations(page);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toContain('status');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('checkout-session-key');
  expect(csv).not.toContain('CANARY');
});
