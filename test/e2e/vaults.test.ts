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

import { test, expect } from '@playwright/test';
import {
  expectNoSeriousA11yViolations,
  keepScreenshot,
  signIn,
} from './helpers';

// The catalog module publishes the demo's vaults every 30 s, after the
// onepassword backend's first refresh; the first start takes a while.
test.describe.configure({ timeout: 300_000 });

test('the platform owner audits a vault from the catalog', async ({ page }) => {
  await signIn(page);

  // The catalog table, filtered to the vaults.
  await expect(async () => {
    await page.goto('/?filters[kind]=resource&filters[type]=1password-vault');
    await expect(
      page.getByRole('link', { name: 'payments', exact: true }),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 180_000 });
  await expect(
    page.getByRole('link', { name: 'team-sandbox', exact: true }),
  ).toBeVisible();
  await keepScreenshot(page, 'vaults-catalog-table');

  await page.getByRole('link', { name: 'payments', exact: true }).click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/resource\/1password-vault-/,
  );
  await expect(
    page.getByRole('link', { name: /team-payments/ }).first(),
  ).toBeVisible();
  // The catalog graph: the services that depend on the vault, and its owner.
  await expect(async () => {
    await page.reload();
    await expect(page.getByText('dependsOn').first()).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 120_000 });
  await expect(page.getByText('payments-api').first()).toBeVisible();
  await expect(page.getByText('orders-worker').first()).toBeVisible();
  await keepScreenshot(page, 'vault-overview');

  // The vault's own page shows the Secrets synced from it.
  await page.getByRole('link', { name: 'Secrets', exact: true }).click();
  await expect(page).toHaveURL(/\/vault-secrets$/);
  const table = page.getByRole('grid', {
    name: 'Synced Secrets in every cluster',
  });
  await expect(async () => {
    await page.reload();
    await expect(table.getByText('orders-stripe-key')).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 120_000 });
  await expect(table.getByText('payments-db').first()).toBeVisible();
  await expect(
    table.getByRole('link', { name: 'payments-api' }).first(),
  ).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await keepScreenshot(page, 'vault-secrets');

  // The service depends on the vault (the relation the catalog made from
  // the vault's spec.dependencyOf).
  await table.getByRole('link', { name: 'payments-api' }).first().click();
  await expect(page).toHaveURL(/\/catalog\/default\/component\/payments-api/);
  await expect(async () => {
    await page.reload();
    await expect(page.getByText('Depends on resources')).toBeVisible({
      timeout: 5_000,
    });
    // The vault's link, not the service's system of the same name.
    await expect(
      page
        .getByRole('link', { name: 'payments', exact: true })
        .and(
          page.locator('[href*="/catalog/default/resource/1password-vault-"]'),
        ),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 120_000 });
  await keepScreenshot(page, 'service-depends-on-vault');
});
