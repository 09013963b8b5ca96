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
import { expect, test } from '@playwright/test';
import { keepScreenshot, signIn } from './helpers';
import { ConnectControl } from './sandbox';

// The demo's dev-eu operator reads Connect server main with this token.
const OPERATOR_TOKEN = 'operator-dev-eu';

function devRow(page: import('@playwright/test').Page) {
  return page
    .getByRole('grid', { name: 'Synced Secrets' })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: /^payments-db/ }) })
    .filter({ hasText: 'dev-eu / payments' });
}

test('an item gone stale shows in the open Secrets tab, in its timeline, and as a notification in the bell', async ({
  page,
}) => {
  test.setTimeout(240_000);
  // The guest is a member of team-payments, which owns payments-api.
  await signIn(page, '/catalog/default/component/payments-api/secrets');
  const row = devRow(page);
  await expect(row.getByText('in-sync', { exact: true })).toBeVisible();

  const connect = ConnectControl.forServer('main');
  // As in the demo's checkout-web: the operator's token stops working, so its
  // polls fail silently, and then someone changes the item in 1Password
  // (five minutes ago: past dev-eu's 60 s polling interval and its grace,
  // within the 600 s of the other clusters that sync the same item, so they
  // stay pending, not stale, until their operators poll).
  await connect.revokeToken(OPERATOR_TOKEN);
  try {
    await connect.editItem('payments', 'payments-db', {
      fields: { password: `pw-CANARY-${Date.now()}` },
      updatedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    });

    // No reload: the backend refreshes every 20 s and signals the change;
    // the tab's own reload runs only once a minute.
    await expect(row.getByText('stale', { exact: true })).toBeVisible({
      timeout: 45_000,
    });

    await row.getByRole('button', { name: 'Details' }).click();
    const totals = row.getByRole('list', { name: 'Time in each status' });
    await expect(totals.getByText('stale', { exact: true })).toBeVisible();
    await expect(totals.getByText('in-sync', { exact: true })).toBeVisible();
    await expect(
      row.getByRole('img', { name: /^Status over the last 30 days: / }),
    ).toBeVisible();
    await expect(row.getByText('In this status since')).toBeVisible();
    await keepScreenshot(page, 'secrets-tab-timeline');

    // The bell in the sidebar counts it; its page lists it.
    const bell = page.getByRole('link', { name: /Notifications/ });
    await expect(bell).toBeVisible();
    await bell.click();
    await expect(
      page.getByText('payments-api: Secret payments-db is stale').first(),
    ).toBeVisible({ timeout: 30_000 });
    await keepScreenshot(page, 'notifications-stale');

    // The token works again: the operator's next poll (within 60 s) syncs
    // the item, and the tab shows it without a reload. The tests after this
    // one find payments-db in sync, as the demo starts.
    await connect.restoreToken(OPERATOR_TOKEN);
    await page.goBack();
    await expect(
      devRow(page).getByText('in-sync', { exact: true }),
    ).toBeVisible({ timeout: 120_000 });
  } finally {
    await connect.restoreToken(OPERATOR_TOKEN);
  }
});
