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
import { parse } from 'yaml';
import { keepScreenshot, signIn } from './helpers';
import { ConnectApi, KubernetesApi } from './sandbox';

test('the request-credentials template creates an item that Connect generates, and its Secret shows on the service', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const title = `e2e-db-${Date.now()}`;

  await signIn(page);
  // The Secrets tab's "Request new credentials" button leads here.
  await page.goto('/catalog/default/component/payments-api/secrets');
  await page.getByRole('link', { name: 'Request new credentials' }).click();
  await expect(page).toHaveURL(/request-credentials/);

  // A vault the dev-eu operator's Connect token can read, so it can sync the item.
  await page.getByRole('textbox', { name: 'Vault' }).click();
  await page.getByRole('option', { name: 'payments', exact: true }).click();
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByRole('textbox', { name: 'Item title' }).fill(title);
  await page.getByRole('textbox', { name: 'Username' }).fill('app');
  await page.getByRole('spinbutton', { name: 'Password length' }).fill('20');
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByRole('textbox', { name: 'Namespace' }).fill('payments');
  await page.getByRole('textbox', { name: 'Secret name' }).fill(title);
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  await expect(
    page.getByText('Item path for the 1Password operator'),
  ).toBeVisible({
    timeout: 60_000,
  });
  await keepScreenshot(page, 'request-credentials-done');
  await page
    .getByRole('button', { name: 'OnePasswordItem manifest', exact: true })
    .click();
  const manifestText = await page
    .locator('code')
    .filter({ hasText: 'kind: OnePasswordItem' })
    .innerText();
  const manifest = parse(manifestText);
  expect(manifest).toMatchObject({
    apiVersion: 'onepassword.com/v1',
    kind: 'OnePasswordItem',
    metadata: {
      name: title,
      namespace: 'payments',
      labels: { 'backstage.io/kubernetes-id': 'payments-api' },
    },
  });
  // Backstage never saw the password: Connect generated it from the recipe.
  expect(await page.content()).not.toMatch(/"password"|CANARY/);

  const connect = ConnectApi.forServer('main');
  const vaultId = await connect.vaultId('payments');
  const summary = await connect.findItem(vaultId, title);
  expect(manifest.spec.itemPath).toBe(`vaults/${vaultId}/items/${summary.id}`);
  const item = await connect.call(
    'GET',
    `/v1/vaults/${vaultId}/items/${summary.id}`,
  );
  const password = item.fields.find((f: any) => f.label === 'password');
  expect(password.type).toBe('CONCEALED');
  expect(password.value).toMatch(/^[A-Za-z0-9]{20}$/);
  expect(item.tags).toContain('backstage:component:default/payments-api');

  // What a pull request would do once merged: apply the manifest.
  await KubernetesApi.forCluster('dev-eu').call(
    'POST',
    '/apis/onepassword.com/v1/namespaces/payments/onepassworditems',
    manifest,
  );

  await page.goto('/catalog/default/component/payments-api/secrets');
  const row = page
    .getByRole('grid', { name: 'Synced Secrets' })
    .getByRole('row')
    .filter({ hasText: title });
  await expect(async () => {
    await page.reload();
    await expect(row.getByText('in-sync', { exact: true })).toBeVisible({
      timeout: 2_000,
    });
  }).toPass({ timeout: 90_000, intervals: [5_000] });
});
