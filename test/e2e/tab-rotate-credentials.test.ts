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
import { keepScreenshot, secretRow, signIn } from './helpers';
import { ConnectApi, setOperatorPollingInterval } from './sandbox';

// Named to sort after secrets.test.ts: Playwright runs files in name order,
// and a rotation leaves payments-db pending in prod-us (a 600 s poll) and
// restarts the dev-eu operator, which the tests before it must not see.
// The operator polls, restarts and syncs on its own clock: no timing is
// asserted, the waits only bound how long each step may take.

test('"Rotate credentials" on a record has Connect generate a new value, which syncs and then needs a restart', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const connect = ConnectApi.forServer('main');
  const vaultId = await connect.vaultId('payments');
  const before = await connect.findItem(vaultId, 'payments-db');
  const passwordOf = async () =>
    (
      await connect.call('GET', `/v1/vaults/${vaultId}/items/${before.id}`)
    ).fields.find((f: any) => f.id === 'password').value as string;
  const oldPassword = await passwordOf();

  let restoreInterval: (() => Promise<void>) | undefined;
  try {
    await signIn(page);
    await page.goto('/catalog/default/component/payments-api/secrets');
    const devRow = secretRow(page, 'dev-eu/payments/payments-db');
    await expect(devRow.getByText(/item changed/)).toBeVisible();
    await devRow
      .getByRole('link', {
        name: 'Rotate credentials of payments-db in dev-eu/payments',
      })
      .click();
    await expect(page).toHaveURL(/rotate-credentials/);
    // The record is filled in: the service, and the item by its ids.
    await expect(page.getByRole('textbox', { name: 'Item' })).toHaveValue(
      before.id,
    );
    await expect(
      page.getByRole('textbox', { name: 'Kubernetes Secret' }),
    ).toHaveValue('dev-eu/payments/payments-db');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('spinbutton', { name: 'Password length' }).fill('24');
    await page.getByRole('button', { name: 'Review' }).click();
    // As a platform team would through Helm: a POLLING_INTERVAL of 90 s. The
    // operator restarts with it (and reconciles at start), so its next poll
    // comes 90 s after the rotation: time to see `pending` first.
    restoreInterval = await setOperatorPollingInterval('dev-eu', 90);
    await page.waitForTimeout(3_000);
    await page.getByRole('button', { name: 'Create' }).click();
    await expect(page.getByText(/is now at\s+version/)).toBeVisible({
      timeout: 60_000,
    });
    await keepScreenshot(page, 'rotate-credentials-done');

    // Connect generated it by the recipe; Backstage never had it.
    const after = await connect.findItem(vaultId, 'payments-db');
    expect(after.version).toBe(before.version + 1);
    const newPassword = await passwordOf();
    expect(newPassword).not.toBe(oldPassword);
    expect(newPassword).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(await page.content()).not.toContain(newPassword);

    await page.goto('/catalog/default/component/payments-api/secrets');
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await expect(async () => {
      await page.reload();
      await expect(devRow.getByText('pending', { exact: true })).toBeVisible({
        timeout: 2_000,
      });
    }).toPass({ timeout: 30_000, intervals: [2_000] });
    await keepScreenshot(page, 'rotate-credentials-pending');

    // The backend refreshes every 20 s in the demo; the operator polls every 90 s.
    await expect(async () => {
      await page.reload();
      await expect(devRow.getByText('in-sync', { exact: true })).toBeVisible({
        timeout: 2_000,
      });
    }).toPass({ timeout: 150_000, intervals: [5_000] });
    // payments-api reads it through envFrom and dev-eu does not auto-restart.
    await expect(devRow.getByText('Restart needed:')).toBeVisible();
    await expect(devRow.getByText(/rotation due/)).toHaveCount(0);
    expect(await page.content()).not.toContain(newPassword);
    await keepScreenshot(page, 'rotate-credentials-restart-needed');
  } finally {
    await restoreInterval?.();
  }
});
