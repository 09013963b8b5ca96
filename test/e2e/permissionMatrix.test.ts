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

import { test, expect, APIRequestContext } from '@playwright/test';
import { readFileSync } from 'node:fs';

// The permission matrix of docs/reliability.md held to what the demo
// backend answers: its real sign-in, permission backend, owner-only policy
// and catalog. Each measured cell must start with the status it shows.

const BACKEND = 'http://localhost:7007';
const DOC = 'docs/reliability.md';

type Column = 'without permission' | 'owner' | 'platform group';

/** A Backstage token of a demo user, from its sign-in provider's refresh. */
async function tokenOf(request: APIRequestContext, provider: string) {
  const response = await request.get(
    `${BACKEND}/api/auth/${provider}/refresh?env=development`,
    { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
  );
  expect(response.status()).toBe(200);
  return (await response.json()).backstageIdentity.token as string;
}

/** The published matrix: row → column → the status its cell starts with. */
function publishedMatrix(): Map<string, Record<string, number | undefined>> {
  const text = readFileSync(DOC, 'utf8');
  const section = text.slice(text.indexOf('## Permission matrix'));
  const lines = section
    .slice(0, section.indexOf('\n\n', section.indexOf('|')))
    .split('\n')
    .filter(line => line.startsWith('|'));
  const header = lines[0]
    .split('|')
    .slice(1, -1)
    .map(cell => cell.trim());
  const matrix = new Map<string, Record<string, number | undefined>>();
  for (const line of lines.slice(2)) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map(cell => cell.trim());
    const row: Record<string, number | undefined> = {};
    header.forEach((column, i) => {
      const status = /^(\d{3})\b/.exec(cells[i] ?? '')?.[1];
      row[column] = status ? Number(status) : undefined;
    });
    matrix.set(cells[0], row);
  }
  return matrix;
}

const PAYMENTS =
  '/api/onepassword/entities/default/component/payments-api/secrets';
const CHECKOUT =
  '/api/onepassword/entities/default/component/checkout-web/secrets';

/**
 * How each row is asked, per column: the demo's payments developer owns
 * payments-api and not checkout-web; its platform owner is in team-platform.
 */
const ROWS: Array<{
  row: string;
  ask: Partial<Record<Column, { method: 'GET' | 'POST'; paths: string[] }>>;
}> = [
  {
    row: '`GET /entities/:ns/:kind/:name/secrets`',
    ask: {
      'without permission': { method: 'GET', paths: [CHECKOUT] },
      owner: { method: 'GET', paths: [PAYMENTS] },
      'platform group': { method: 'GET', paths: [CHECKOUT, PAYMENTS] },
    },
  },
  {
    row: '`GET /audit` (JSON and `format=csv`)',
    ask: {
      owner: {
        method: 'GET',
        paths: ['/api/onepassword/audit', '/api/onepassword/audit?format=csv'],
      },
      'platform group': {
        method: 'GET',
        paths: ['/api/onepassword/audit', '/api/onepassword/audit?format=csv'],
      },
    },
  },
  {
    row: '`GET /servers`, `GET /clusters`',
    ask: {
      owner: {
        method: 'GET',
        paths: ['/api/onepassword/servers', '/api/onepassword/clusters'],
      },
      'platform group': {
        method: 'GET',
        paths: ['/api/onepassword/servers', '/api/onepassword/clusters'],
      },
    },
  },
  {
    row: '`GET /vaults`',
    ask: {
      owner: { method: 'GET', paths: ['/api/onepassword/vaults'] },
      'platform group': { method: 'GET', paths: ['/api/onepassword/vaults'] },
    },
  },
  {
    row: '`POST /refresh`',
    ask: {
      owner: { method: 'POST', paths: ['/api/onepassword/refresh'] },
      // 202, or 409 while a refresh runs (the doc's cell names both).
      'platform group': { method: 'POST', paths: ['/api/onepassword/refresh'] },
    },
  },
];

test('the published permission matrix is what the demo answers', async ({
  request,
}) => {
  const tokens: Record<Column, string> = {
    'without permission': await tokenOf(request, 'payments-developer'),
    owner: await tokenOf(request, 'payments-developer'),
    'platform group': await tokenOf(request, 'guest'),
  };
  const published = publishedMatrix();
  for (const { row, ask } of ROWS) {
    const cells = published.get(row);
    expect(cells, `row ${row} in ${DOC}`).toBeDefined();
    for (const [column, how] of Object.entries(ask) as Array<
      [Column, { method: 'GET' | 'POST'; paths: string[] }]
    >) {
      for (const path of how.paths) {
        const response = await request.fetch(`${BACKEND}${path}`, {
          method: how.method,
          headers: { Authorization: `Bearer ${tokens[column]}` },
        });
        const status = response.status();
        const expected = cells![column];
        expect(
          status === 409 && row === '`POST /refresh`' ? 202 : status,
          `${how.method} ${path} as ${column}`,
        ).toBe(expected);
        // Without credentials: 401 on every route.
        const anonymous = await request.fetch(`${BACKEND}${path}`, {
          method: how.method,
        });
        expect(anonymous.status(), `${path} without credentials`).toBe(401);
      }
    }
  }
});
