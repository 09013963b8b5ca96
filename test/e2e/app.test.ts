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
import { signIn, keepScreenshot } from './helpers';

test('the catalog lists the demo services and opens one', async ({ page }) => {
  await signIn(page, '/?filters%5Bkind%5D=component&filters%5Buser%5D=all');

  await expect(page.getByRole('link', { name: 'payments-api' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'checkout-web' })).toBeVisible();

  await page.getByRole('link', { name: 'payments-api' }).click();
  await expect(
    page.getByRole('heading', { name: 'payments-api' }).first(),
  ).toBeVisible();
  await expect(page.getByText('Charges cards').first()).toBeVisible();
  await keepScreenshot(page, 'catalog-service-page');
});
