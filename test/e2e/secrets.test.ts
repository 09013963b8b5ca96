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

import { test, expect, Locator, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import {
  expectNoSeriousA11yViolations,
  keepScreenshot,
  signIn,
  ThemeMode,
  useTheme,
  secretRow,
} from './helpers';
import { ConnectApi, setOperatorPollingInterval } from './sandbox';

function secretsTab(page: Page, service: string) {
  return page.goto(`/catalog/default/component/${service}/secrets`);
}

function auditTable(page: Page) {
  return page.getByRole('grid', { name: 'Synced Secrets in every cluster' });
}

/** The Secret names of the audit table's rows, top to bottom. */
async function auditSecretNames(page: Page): Promise<string[]> {
  return auditTable(page)
    .getByRole('rowheader')
    .evaluateAll(cells =>
      cells.map(cell => cell.querySelector('span')?.textContent ?? ''),
    );
}

/**
 * Header cells whose label does not fit: a word broken over two lines, or
 * text cut off. Measured on the rendered page, one Range per word.
 */
function brokenHeaders(table: Locator) {
  return table.getByRole('columnheader').evaluateAll(headers =>
    headers.flatMap(header => {
      const problems: string[] = [];
      const walker = document.createTreeWalker(header, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (const match of text.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index!);
          range.setEnd(node, match.index! + match[0].length);
          if (range.getClientRects().length > 1) {
            problems.push(`"${header.textContent}": "${match[0]}" wraps`);
          }
        }
      }
      for (const element of [header, ...header.querySelectorAll('*')]) {
        if (element.scrollWidth > element.clientWidth + 1) {
          problems.push(`"${header.textContent}" is cut off`);
          break;
        }
      }
      return problems;
    }),
  );
}

test.beforeEach(async ({ page }) => {
  await signIn(page);
});

test('a stale secret says what is wrong and what to do without a click', async ({
  page,
}) => {
  await secretsTab(page, 'checkout-web');
  const row = secretRow(page, 'dev-eu/storefront/checkout-session-key');
  await expect(row.getByText('stale', { exact: true })).toBeVisible();
  await expect(row.getByText(/^What is wrong:/)).toBeVisible();
  await expect(row.getByText(/^What to do:/)).toBeVisible();
  await expect(
    row.getByText(/The operator polls but fails silently/),
  ).toBeVisible();
  await expect(
    // The demo's item changed 2 h before the sandbox started.
    row.getByText(/^behind since .+ \(\d+ hours ago\)$/),
  ).toBeVisible();
  await keepScreenshot(page, 'secrets-tab', { fullPage: false });

  const details = row.getByRole('button', { name: 'Details' });
  await expect(details).toHaveAttribute('aria-expanded', 'false');
  await details.click();
  await expect(details).toHaveAttribute('aria-expanded', 'true');
  await expect(
    row.getByText('Secret has version 2; 1Password has 4'),
  ).toBeVisible();
  await expect(
    row.getByText('vaults/storefront/items/checkout-session-key'),
  ).toBeVisible();
  await keepScreenshot(page, 'secrets-tab-details');
});

test('an in-sync secret shows its sync age and the operator polling interval', async ({
  page,
}) => {
  await secretsTab(page, 'payments-api');
  const devRow = secretRow(page, 'dev-eu/payments/payments-db');
  await expect(devRow.getByText('in-sync', { exact: true })).toBeVisible();
  await expect(devRow.getByText(/^synced .+ ago$/)).toBeVisible();
  await expect(devRow.getByText(/operator polls every 1 min\b/)).toBeVisible();
  await expect(devRow).not.toContainText('What is wrong');
  const prodRow = secretRow(page, 'prod-us/payments/payments-db');
  await expect(
    prodRow.getByText(/operator polls every 10 min\b/),
  ).toBeVisible();
  await keepScreenshot(page, 'secrets-tab-in-sync');
});

test('the audit page reads at 1280 px: compact columns, headers on one line', async ({
  page,
}) => {
  expect(page.viewportSize()?.width).toBe(1280);
  await page.goto('/onepassword');
  await expect(
    page.getByRole('heading', { name: '1Password secrets audit' }).first(),
  ).toBeVisible();
  const table = auditTable(page);
  await expect(table.getByText('orphan').first()).toBeVisible();
  await expect(table.getByRole('columnheader')).toHaveText([
    'Status',
    'Service and owner',
    'Secret',
    'Cluster / namespace',
    'Last sync',
    'Item changed',
  ]);
  expect(await brokenHeaders(table)).toEqual([]);
  // The table fits the page: nothing to scroll sideways.
  const scroller = table.locator('xpath=..');
  expect(
    await scroller.evaluate(el => el.scrollWidth <= el.clientWidth + 1),
  ).toBe(true);
  await keepScreenshot(page, 'audit-page');

  // More columns through the picker; headers still do not break.
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('option', { name: 'What is wrong' }).click();
  await page.getByRole('option', { name: 'Versions' }).click();
  await page.keyboard.press('Escape');
  await expect(
    table.getByRole('columnheader', { name: 'What is wrong' }),
  ).toBeVisible();
  expect(await brokenHeaders(table)).toEqual([]);
  await expect(page).toHaveURL(/columns=/);
});

test('a filtered audit view survives a reload through its URL, and exports as CSV', async ({
  page,
}) => {
  await page.goto('/onepassword');
  const table = auditTable(page);
  await expect(table.getByText('orphan').first()).toBeVisible();

  await page.getByRole('textbox', { name: 'Status' }).click();
  await page.getByRole('option', { name: 'stale', exact: true }).click();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/[?&]status=stale\b/);
  // Which records are stale depends on what earlier tests changed; that the
  // filter keeps stale ones only does not.
  const onlyStale = async () => {
    await expect(
      table.getByRole('rowheader', { name: /^checkout-session-key/ }),
    ).toBeVisible();
    for (const other of ['in-sync', 'pending', 'missing', 'error']) {
      await expect(table.getByText(other, { exact: true })).toHaveCount(0);
    }
    return table.getByRole('rowheader').count();
  };
  await onlyStale();

  await page.reload();
  const staleRows = await onlyStale();
  await expect(
    page.getByRole('button', { name: 'stale', exact: true }),
  ).toBeVisible();
  await keepScreenshot(page, 'audit-page-stale');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toContain('status');
  expect(lines).toHaveLength(1 + staleRows);
  expect(lines.slice(1).every(line => line.includes('stale'))).toBe(true);
  expect(csv).toContain('checkout-session-key');
  expect(csv).not.toContain('CANARY');
});

test('sorting by a header shows the order the server returns', async ({
  page,
}) => {
  await page.goto('/onepassword');
  const table = auditTable(page);
  await expect(table.getByText('orphan').first()).toBeVisible();
  const before = await auditSecretNames(page);

  const orders: Record<string, string[]> = {};
  for (const [direction, sort] of [
    ['ascending', 'secretName'],
    ['descending', '-secretName'],
  ] as const) {
    const response = page.waitForResponse(
      r =>
        r.url().includes('/api/onepassword/audit?') &&
        new URL(r.url()).searchParams.get('sort') === sort,
    );
    await table.getByRole('columnheader', { name: 'Secret' }).click();
    const body = await (await response).json();
    orders[direction] = body.items.map((item: any) => item.secretName);
    await expect(
      table.getByRole('columnheader', { name: 'Secret' }),
    ).toHaveAttribute('aria-sort', direction);
    await expect(page).toHaveURL(new RegExp(`[?&]sort=${sort}(&|$)`));
    // Shown as the server ordered it, not re-sorted in the browser.
    await expect.poll(() => auditSecretNames(page)).toEqual(orders[direction]);
  }
  expect(orders.ascending).toHaveLength(before.length);
  expect(orders.ascending).not.toEqual(before);
  expect(orders.descending).not.toEqual(orders.ascending);
  expect(orders.descending[0]).toBe(orders.ascending.at(-1));
});

for (const theme of ['light', 'dark'] as ThemeMode[]) {
  test(`axe finds nothing serious on the Secrets tab and the audit page in the ${theme} theme`, async ({
    page,
  }) => {
    await useTheme(page, theme);
    await secretsTab(page, 'checkout-web');
    await expect(page.locator('body')).toHaveAttribute(
      'data-theme-mode',
      theme,
    );
    const row = secretRow(page, 'dev-eu/storefront/checkout-session-key');
    await expect(row.getByText(/^What to do:/)).toBeVisible();
    await row.getByRole('button', { name: 'Details' }).click();
    await expectNoSeriousA11yViolations(page);
    await keepScreenshot(page, `secrets-tab-${theme}`);

    await page.goto('/onepassword');
    await expect(auditTable(page).getByText('orphan').first()).toBeVisible();
    await expect(
      page.getByRole('grid', { name: 'Connect servers' }),
    ).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await keepScreenshot(page, `audit-page-${theme}`);
  });
}

// Last: it restarts an operator (a Helm upgrade of POLLING_INTERVAL), and a
// restarted operator reconciles every OnePasswordItem, as the real one does,
// which turns the demo's silently stale Secret into an error for the tests after it.
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
    await expect(devRow.getByText(/^catches up by /)).toBeVisible();
    await expect(devRow.getByText(/operator polls every 45 sec/)).toBeVisible();
    await devRow.getByRole('button', { name: 'Details' }).click();
    await expect(
      devRow.getByText(
        `Secret has version ${item.version}; 1Password has ${newVersion}`,
      ),
    ).toBeVisible();
    await keepScreenshot(page, 'secrets-tab-pending');

    // The backend refreshes every 20 s in the demo.
    await expect(async () => {
      await page.reload();
      await expect(devRow.getByText('in-sync', { exact: true })).toBeVisible({
        timeout: 2_000,
      });
    }).toPass({ timeout: 120_000, intervals: [5_000] });
    await devRow.getByRole('button', { name: 'Details' }).click();
    await expect(
      devRow.getByText(`version ${newVersion}, current`),
    ).toBeVisible();
  } finally {
    await restoreInterval();
  }
});
