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
import { keepScreenshot, signIn, signInAsPaymentsDeveloper } from './helpers';

/** The status the backend answered for a request of the page, once. */
function answerOf(page: Page, path: string) {
  return page
    .waitForResponse(response => new URL(response.url()).pathname === path)
    .then(response => response.status());
}

test.describe('as a developer of team-payments only', () => {
  test.beforeEach(async ({ page }) => {
    await signInAsPaymentsDeveloper(page);
  });

  test('sees the Secrets of a payments service', async ({ page }) => {
    const answer = answerOf(
      page,
      '/api/onepassword/entities/default/component/payments-api/secrets',
    );
    await page.goto('/catalog/default/component/payments-api/secrets');
    expect(await answer).toBe(200);
    await expect(
      page.getByRole('grid', { name: 'Synced Secrets' }),
    ).toBeVisible();
  });

  test("gets 403 for another team's service, explained", async ({ page }) => {
    const answer = answerOf(
      page,
      '/api/onepassword/entities/default/component/checkout-web/secrets',
    );
    await page.goto('/catalog/default/component/checkout-web/secrets');
    expect(await answer).toBe(403);
    await expect(
      page.getByText(
        /not allowed to see this entity's 1Password-synced secrets/,
      ),
    ).toBeVisible();
    await expect(
      page.getByRole('grid', { name: 'Synced Secrets' }),
    ).toHaveCount(0);
    await keepScreenshot(page, 'access-developer-other-team');
  });

  test('gets 403 for the audit page, explained', async ({ page }) => {
    const answer = answerOf(page, '/api/onepassword/audit');
    await page.goto('/onepassword');
    expect(await answer).toBe(403);
    await expect(
      page.getByText(/needs the onepassword.audit.read permission/),
    ).toBeVisible();
    await keepScreenshot(page, 'access-developer-audit');
  });
});

test.describe('as the platform owner', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page);
  });

  test('reads the audit and the health of servers and clusters', async ({
    page,
  }) => {
    const audit = answerOf(page, '/api/onepassword/audit');
    const servers = answerOf(page, '/api/onepassword/servers');
    await page.goto('/onepassword');
    expect([await audit, await servers]).toEqual([200, 200]);
    await expect(
      page.getByRole('heading', { name: '1Password secrets audit' }).first(),
    ).toBeVisible();
  });

  test("sees any team's Secrets", async ({ page }) => {
    const answer = answerOf(
      page,
      '/api/onepassword/entities/default/component/checkout-web/secrets',
    );
    await page.goto('/catalog/default/component/checkout-web/secrets');
    expect(await answer).toBe(200);
    await expect(
      page.getByRole('grid', { name: 'Synced Secrets' }),
    ).toBeVisible();
  });
});
