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
  vaultFailures: new Map(),
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
    ).toEqual({ kind: 'access-denied', status: 403, scope: 'vault' });
  });

  it('picks the oldest of vaults with equal titles, and titles before ids, as the operator does', () => {
    const twins: ServerView = {
      ...view,
      vaults: [
        { ...view.vaults[0], id: V, name: 'Shared', createdAt: '2026-02-01' },
        {
          ...view.vaults[0],
          id: HIDDEN,
          name: 'shared',
          createdAt: '2025-01-01',
        },
        { ...view.vaults[0], id: I, name: V, createdAt: '2026-03-01' },
      ],
    };
    expect(
      resolveItem(twins, 'vaults/SHARED/items/db', null, null),
    ).toMatchObject({ kind: 'found', item: { vaultId: V } });
    expect(
      (resolveItem(twins, 'vaults/SHARED/items/db', null, null) as any)
        .vaultName,
    ).toBe('shared');
    // A vault whose title looks like another vault's id wins by title.
    expect(
      (resolveItem(twins, `vaults/${V}/items/db`, null, null) as any).vaultName,
    ).toBe(V);
  });

  it('makes a failed item list a fact about that vault, with its real status', () => {
    const failing: ServerView = {
      ...view,
      vaultFailures: new Map([[V, { status: 403, message: 'status 403: x' }]]),
    };
    expect(
      resolveItem(failing, 'vaults/payments/items/db', null, null),
    ).toEqual({
      kind: 'access-denied',
      status: 403,
      message: 'status 403: x',
      scope: 'vault',
    });
    const broken: ServerView = {
      ...view,
      vaultFailures: new Map([[V, { status: 502, message: 'status 502: y' }]]),
    };
    expect(resolveItem(broken, 'vaults/payments/items/db', null, 'T')).toEqual({
      kind: 'unavailable',
      message: 'status 502: y',
      since: 'T',
      scope: 'vault',
      status: 502,
    });
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
      scope: 'server',
    });
    expect(
      resolveItem(
        {
          ...view,
          state: 'unauthorized',
          status: 403,
          error: 'status 403: Authorization: (Invalid bearer token)',
        },
        'vaults/a/items/b',
        null,
        null,
      ),
    ).toMatchObject({ kind: 'access-denied', status: 403, scope: 'server' });
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
