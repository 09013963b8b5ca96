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

import { expect, Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';

/** Where screenshots are kept as test artifacts (gitignored). */
export const ARTIFACTS_DIR = 'test/artifacts/screenshots';

export async function signIn(page: Page, path = '/') {
  await page.goto(path);
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible({ timeout: 120_000 });
  await enter.click();
  await expect(
    page.getByRole('link', { name: 'Catalog', exact: true }).first(),
  ).toBeVisible();
}

/**
 * Signs in as the demo's payments developer (a member of team-payments
 * only), where signIn enters as the platform owner.
 */
export async function signInAsPaymentsDeveloper(page: Page, path = '/') {
  await page.goto(path);
  const choose = page.getByRole('button', {
    name: 'Sign in as a payments developer',
  });
  await expect(choose).toBeVisible({ timeout: 120_000 });
  await choose.click();
  await expect(
    page.getByRole('link', { name: 'Catalog', exact: true }).first(),
  ).toBeVisible();
}

/** The row of `cluster/namespace/secret` in the entity's Secrets table. */
export function secretRow(page: Page, key: string) {
  const [cluster, namespace, secret] = key.split('/');
  return page
    .getByRole('grid', { name: 'Synced Secrets' })
    .getByRole('row')
    .filter({
      has: page.getByRole('rowheader', { name: new RegExp(`^${secret}`) }),
    })
    .filter({ hasText: `${cluster} / ${namespace}` });
}

export async function keepScreenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({
    path: `${ARTIFACTS_DIR}/${name}.png`,
    fullPage: options.fullPage ?? true,
  });
}

/**
 * Fails on serious or critical axe violations on the page, less the sidebar:
 * the Backstage shell around our content is not this project's to fix.
 */
export async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .exclude('nav[aria-label="sidebar nav"]')
    .analyze();
  const serious = results.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(
      v =>
        `${v.id}: ${v.help} (${v.nodes
          .map(n => n.target.join(' '))
          .join(', ')})`,
    );
  expect(serious).toEqual([]);
}

/** The app's two built-in themes; the choice is kept where the app keeps it. */
export type ThemeMode = 'light' | 'dark';

/**
 * Opens every following page in `theme`, as a user who picked it in the
 * settings would see it (the app reads the choice from localStorage).
 */
export async function useTheme(page: Page, theme: ThemeMode) {
  await page.addInitScript(mode => {
    window.localStorage.setItem('theme', mode);
  }, theme);
}
