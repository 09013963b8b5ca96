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

import { ServerView } from '../connect/ConnectSnapshotService';
import { resolveItem, vaultToProbe } from './resolveItem';

const V = 'aaaaaaaaaaaaaaaaaaaaaaaaaa';
const HIDDEN = 'cccccccccccccccccccccccccc';
const I = 'bbbbbbbbbbbbbbbbbbbbbbbbbb';
const item = (id: string, title: string, createdAt: string) => ({
  id,
  title,
  vaultId: V,
  version: 1,
  updatedAt: null,
  createdAt,
  tags: [],
});

const view: ServerView = {
  name: 'main',
  state: 'ok',
  error: null,
  health: { healthy: true, version: null, dependencies: [], error: null },
  vaults: [
    {
      id: V,
      name: 'Payments',
      contentVersion: 1,
      items: [
        item(I, 'db', '2026-01-02'),
        item('dddddddddddddddddddddddddd', 'db', '2026-01-01'),
      ],
    },
  ],
  probes: new Map([[HIDDEN, 'denied']]),
};

describe('resolveItem', () => {
  it('finds vaults by id or case-insensitive name and items by id or oldest title', () => {
    expect(
      resolveItem(view, `vaults/${V}/items/${I}`, null, null),
    ).toMatchObject({ kind: 'found', item: { id: I } });
    expect(
      resolveItem(view, 'vaults/payments/items/db', null, null),
    ).toMatchObject({
      kind: 'found',
      vaultName: 'Payments',
      item: { id: 'dddddddddddddddddddddddddd' },
    });
  });

  it('tells a missing item, a missing vault and a denied vault apart', () => {
    expect(resolveItem(view, 'vaults/payments/items/nope', null, null)).toEqual(
      { kind: 'not-found', what: 'item', vaultName: 'Payments' },
    );
    expect(resolveItem(view, 'vaults/other/items/x', null, null)).toEqual({
      kind: 'not-found',
      what: 'vault',
    });
    expect(
      resolveItem(
        view,
        'vaults/finance/items/x',
        `vaults/${HIDDEN}/items/${I}`,
        null,
      ),
    ).toEqual({ kind: 'access-denied', status: 403 });
  });

  it('reports unreachable and unauthorized servers', () => {
    expect(
      resolveItem(
        { ...view, state: 'unavailable', error: 'status 500' },
        'vaults/a/items/b',
        null,
        'T',
      ),
    ).toEqual({ kind: 'unavailable', message: 'status 500', since: 'T' });
    expect(
      resolveItem(
        { ...view, state: 'unauthorized', error: 'status 401: revoked' },
        'vaults/a/items/b',
        null,
        null,
      ),
    ).toEqual({
      kind: 'access-denied',
      status: 401,
      message: 'status 401: revoked',
    });
  });
});

describe('vaultToProbe', () => {
  it('prefers the id the operator wrote, then a declared id, never a title', () => {
    expect(
      vaultToProbe('vaults/finance/items/x', `vaults/${HIDDEN}/items/${I}`),
    ).toBe(HIDDEN);
    expect(vaultToProbe(`vaults/${V}/items/x`, null)).toBe(V);
    expect(vaultToProbe('vaults/finance/items/x', null)).toBeUndefined();
  });
});
