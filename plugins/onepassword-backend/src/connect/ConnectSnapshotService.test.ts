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

import knexFactory, { Knex } from 'knex';
import { DatabaseSecretSyncStore } from '../database/DatabaseSecretSyncStore';
import { ConnectRequestError } from '@secret-sync/backstage-plugin-onepassword-node';
import { ConnectGateway, VaultSummary } from './ConnectGateway';
import { ConnectSnapshotService } from './ConnectSnapshotService';

class FakeGateway implements ConnectGateway {
  vaults: VaultSummary[] = [{ id: 'v1', name: 'payments', contentVersion: 1 }];
  calls: string[] = [];
  failWith?: unknown;
  async listVaults() {
    this.calls.push('listVaults');
    if (this.failWith) throw ConnectRequestError.from(this.failWith);
    return this.vaults;
  }
  async listItems(vaultId: string) {
    this.calls.push(`listItems ${vaultId}`);
    return [
      { id: 'i1', title: 'db', vaultId, version: 1, updatedAt: null, tags: [] },
    ];
  }
  async probeVault(vaultId: string) {
    this.calls.push(`probe ${vaultId}`);
    return vaultId === 'hidden' ? 403 : 404;
  }
  async health() {
    return { healthy: true, version: '1.8.1', dependencies: [], error: null };
  }
}

describe('ConnectSnapshotService', () => {
  let knex: Knex;
  let sut: ConnectSnapshotService;
  let gateway: FakeGateway;

  beforeEach(async () => {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    sut = ConnectSnapshotService.create({
      store: await DatabaseSecretSyncStore.create({
        database: { getClient: async () => knex },
      }),
    });
    gateway = new FakeGateway();
  });

  afterEach(() => knex.destroy());

  async function cycle(probe: string[] = []) {
    const view = await sut.read('main', gateway);
    await sut.probe(view, gateway, probe);
    await sut.save(view, new Date().toISOString());
    return view;
  }

  it('lists items only for vaults whose contentVersion moved, and caches probes', async () => {
    await cycle(['hidden', 'gone']);
    expect(gateway.calls).toEqual([
      'listVaults',
      'listItems v1',
      'probe hidden',
      'probe gone',
    ]);

    gateway.calls = [];
    const view = await cycle(['hidden', 'gone']);
    expect(gateway.calls).toEqual(['listVaults']);
    expect(view.vaults[0].items.map(i => i.title)).toEqual(['db']);
    expect(new Map(view.probes)).toEqual(
      new Map([
        ['hidden', 'denied'],
        ['gone', 'absent'],
      ]),
    );

    gateway.calls = [];
    gateway.vaults = [
      { id: 'v1', name: 'payments', contentVersion: 2 },
      { id: 'hidden', name: 'finance', contentVersion: 1 },
    ];
    const moved = await cycle();
    expect(gateway.calls).toEqual([
      'listVaults',
      'listItems v1',
      'listItems hidden',
    ]);
    expect(moved.probes.has('hidden')).toBe(false);
  });

  it('tells a rejected token from an unreachable server, without the raw error', async () => {
    gateway.failWith = { status: 401, message: 'Invalid token signature' };
    expect(await sut.read('main', gateway)).toMatchObject({
      state: 'unauthorized',
      error: 'status 401: Invalid token signature',
    });
    gateway.failWith = Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
      config: { headers: { Authorization: 'Bearer secret' } },
    });
    const view = await sut.read('main', gateway);
    expect(view).toMatchObject({
      state: 'unavailable',
      error: 'ECONNREFUSED: connect ECONNREFUSED',
    });
    expect(JSON.stringify(view)).not.toContain('secret');
  });
});
