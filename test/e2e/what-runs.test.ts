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
import { keepScreenshot, signIn } from './helpers';

// What actually runs: the pods reading a Secret, the Connect deployment and
// the operator's token, as the demo scenario shows them.

test.beforeEach(async ({ page }) => {
  await signIn(page);
});

test('an in-sync secret whose pods started before its last write says restart needed, and links the Deployment to the Kubernetes tab', async ({
  page,
}) => {
  await page.goto('/catalog/default/component/invoice-worker/secrets');
  const row = page
    .getByRole('grid', { name: 'Synced Secrets' })
    .getByRole('row')
    .filter({
      has: page.getByRole('rowheader', { name: /^invoice-signing-key/ }),
    });
  await expect(row.getByText('in-sync', { exact: true })).toBeVisible();
  await expect(row.getByText(/^Restart needed:/)).toBeVisible();
  await row.getByRole('button', { name: 'Details' }).click();
  await expect(
    row.getByText(/\(env\): restart needed, 1 of 1 pods started before/),
  ).toBeVisible();
  await expect(
    row.getByRole('link', { name: 'invoice-worker' }),
  ).toHaveAttribute(
    'href',
    '/catalog/default/component/invoice-worker/kubernetes',
  );
  await keepScreenshot(page, 'secrets-tab-restart-needed');
});

test('the audit page filters on restart needed and says what is wrong with each Connect deployment and operator token', async ({
  page,
}) => {
  await page.goto('/onepassword?restartNeeded=true');
  const audit = page.getByRole('grid', {
    name: 'Synced Secrets in every cluster',
  });
  await expect(
    audit.getByRole('rowheader', { name: /^invoice-signing-key/ }),
  ).toBeVisible();
  // Earlier tests may leave other records needing a restart (a rotation
  // does); a stale Secret, never rewritten, cannot be among them.
  await expect(
    audit.getByRole('rowheader', { name: /^checkout-session-key/ }),
  ).toHaveCount(0);

  const connect = page.getByRole('grid', {
    name: 'Connect deployments and operator tokens',
  });
  const operatorRow = (cluster: string) =>
    connect.getByRole('row').filter({ hasText: `cluster ${cluster}` });
  await expect(operatorRow('edge-eu')).toContainText(
    'must be base64-encoded twice in onepassword/op-credentials',
  );
  await expect(operatorRow('staging-eu')).toContainText(
    'kubectl rollout restart deployment/onepassword-connect -n onepassword',
  );
  await expect(operatorRow('staging-eu')).toContainText('Reconciler error');
  await expect(operatorRow('staging-us')).toContainText(
    'still uses the previous token',
  );
  await expect(operatorRow('dev-eu')).toContainText('none');
  await keepScreenshot(page, 'audit-connect-deployments');
});
