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

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call } from './__testUtils__/connectFixtures';
import { startSandbox } from './sandbox';
import { Scenario } from './scenario/types';

const connectOnly: Scenario = {
  name: 'connect-only',
  connect: [
    {
      name: 'main',
      port: 8080,
      tokens: [
        { name: 'reader', token: 'reader-token', vaults: ['payments'] },
        { name: 'admin', token: 'admin-token', vaults: '*', write: true },
      ],
      vaults: [
        { name: 'payments', items: [{ title: 'db', updatedAt: '-2h' }] },
      ],
    },
    {
      name: 'legacy',
      port: 8081,
      faults: { error500: true },
      tokens: [{ name: 'reader', token: 'legacy-token', vaults: '*' }],
      vaults: [],
    },
  ],
  clusters: [],
};

describe('startSandbox', () => {
  it('starts every Connect server on free ports and describes them in info', async () => {
    const sandbox = await startSandbox(connectOnly, {
      anyPorts: true,
      now: new Date('2026-01-01T12:00:00Z'),
    });
    try {
      expect(sandbox.info).toEqual({
        scenario: 'connect-only',
        connect: [
          {
            name: 'main',
            url: sandbox.connectServer('main').url,
            token: 'admin-token',
            adminToken: 'sandbox-connect-main-control',
          },
          {
            name: 'legacy',
            url: sandbox.connectServer('legacy').url,
            token: 'legacy-token',
            adminToken: 'sandbox-connect-legacy-control',
          },
        ],
        clusters: [],
      });
      expect(sandbox.connectServer('main').url).not.toMatch(/:8080$/);

      const vaults = await call(
        sandbox.info.connect[0].url,
        'GET',
        '/v1/vaults',
        { token: 'admin-token' },
      );
      expect(vaults.json.map((vault: any) => vault.name)).toEqual(['payments']);
      const [item] = (
        await call(
          sandbox.info.connect[0].url,
          'GET',
          `/v1/vaults/${vaults.json[0].id}/items`,
          { token: 'admin-token' },
        )
      ).json;
      expect(item.updatedAt).toBe('2026-01-01T10:00:00.000Z');

      expect(
        (await call(sandbox.info.connect[1].url, 'GET', '/heartbeat')).status,
      ).toBe(500);
      expect(() => sandbox.connectServer('nope')).toThrow(
        /No Connect server 'nope'/,
      );
    } finally {
      await sandbox.stop();
    }
    await expect(
      call(sandbox.info.connect[0].url, 'GET', '/heartbeat'),
    ).rejects.toThrow(/ECONNREFUSED/);
  });

  it('rejects an invalid scenario before starting anything', async () => {
    await expect(
      startSandbox({ ...connectOnly, name: undefined } as unknown as Scenario),
    ).rejects.toThrow('name: is required');
  });

  it('edits an item again after each poll of the named cluster, so its Secret stays one change behind', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'sandbox-reedit-'));
    const sandbox = await startSandbox(
      {
        name: 'busy-item',
        connect: [
          {
            name: 'main',
            port: 0,
            tokens: [{ name: 'all', token: 'all-token', vaults: '*' }],
            vaults: [
              {
                name: 'payments',
                items: [
                  {
                    title: 'busy',
                    fields: [{ label: 'password', value: 'busy-CANARY' }],
                    reEditAfterPollsOf: 'dev',
                  },
                ],
              },
            ],
          },
        ],
        clusters: [
          {
            name: 'dev',
            port: 0,
            tokens: ['dev-admin'],
            operator: { connectServer: 'main', connectToken: 'all' },
            namespaces: [
              {
                name: 'payments',
                onePasswordItems: [
                  { name: 'busy', itemPath: 'vaults/payments/items/busy' },
                ],
              },
            ],
          },
        ],
      },
      { anyPorts: true, stateDir },
    );
    try {
      const connect = sandbox.connectServer('main');
      const dev = sandbox.cluster('dev');
      const secretVersion = () =>
        Number(
          dev.api.get('secrets', 'payments', 'busy')!.metadata.annotations![
            'operator.1password.io/item-version'
          ],
        );
      for (let poll = 0; poll < 3; poll++) {
        await dev.operator.pollNow();
        expect(connect.store.findItem('payments', 'busy').version).toBe(
          secretVersion() + 1,
        );
      }
    } finally {
      await sandbox.stop();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
