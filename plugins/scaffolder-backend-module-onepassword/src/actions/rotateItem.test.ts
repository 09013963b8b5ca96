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

import { ConfigReader } from '@backstage/config';
import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { ConnectServer, parseScenario } from '@internal/sandbox';
import yaml from 'yaml';
import {
  createCheckpointStore,
  createRecordingAuditor,
  createRecordingLogger,
  createStaticPermissions,
} from '../__testUtils__/recording';
import { ConnectCredentialsClient } from '../connect/ConnectCredentialsClient';
import { CredentialsRequestGuard } from '../guard/CredentialsRequestGuard';
import { EntityItemLookup, SyncedItemRef } from '../rotation/EntityItemLookup';
import { createOnePasswordItemRotateAction } from './rotateItem';
import { examples } from './rotateItem.examples';

const TOKEN = 'tok-CANARY-backstage';
const ENTITY = 'component:default/payments-api';

const scenario = parseScenario({
  name: 'scaffolder-rotation',
  connect: [
    {
      name: 'main',
      port: 0,
      tokens: [
        {
          name: 'backstage',
          token: TOKEN,
          vaults: ['payments', 'finance'],
          write: true,
        },
      ],
      vaults: [
        {
          name: 'payments',
          items: [
            {
              title: 'payments-db',
              category: 'LOGIN',
              updatedAt: '2026-01-01T00:00:00.000Z',
              fields: [
                {
                  label: 'username',
                  purpose: 'USERNAME',
                  value: 'user-CANARY-1',
                },
                {
                  label: 'password',
                  purpose: 'PASSWORD',
                  value: 'pw-CANARY-1',
                },
              ],
            },
            {
              title: 'orders-db',
              category: 'LOGIN',
              fields: [
                {
                  label: 'password',
                  purpose: 'PASSWORD',
                  value: 'pw-CANARY-2',
                },
              ],
            },
          ],
        },
        { name: 'finance', items: [] },
      ],
    },
  ],
  clusters: [],
});

/** The entity's Secrets as the onepassword backend would list them. */
class StaticItemLookup implements EntityItemLookup {
  readonly asked: string[] = [];
  constructor(private readonly items: SyncedItemRef[]) {}
  async syncedItems(entityRef: string) {
    this.asked.push(entityRef);
    return this.items;
  }
}

describe('onepassword:item:rotate', () => {
  let connectServer: ConnectServer;
  let vaultId: string;
  let itemId: string;

  beforeAll(async () => {
    connectServer = await ConnectServer.start({
      spec: scenario.connect[0],
      port: 0,
    });
    const vault = connectServer.store.findVault('payments');
    vaultId = vault.id;
    itemId = connectServer.store.findItem('payments', 'payments-db').id;
  });

  afterAll(async () => {
    await connectServer.stop();
  });

  /** Read from the sandbox's own store, never through Backstage. */
  const storedItem = () => connectServer.store.getItem(vaultId, itemId)!;
  const storedPassword = () =>
    storedItem().fields!.find(field => field.id === 'password')!.value!;

  function setup(
    options: {
      permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
      synced?: SyncedItemRef[];
    } = {},
  ) {
    const config = new ConfigReader({
      onepassword: {
        connect: {
          servers: [{ name: 'main', url: connectServer.url, token: TOKEN }],
        },
        scaffolder: {
          allowedVaults: [{ server: 'main', vaults: ['payments'] }],
        },
      },
    });
    const { auditor, events } = createRecordingAuditor();
    const { logger, lines } = createRecordingLogger();
    const lookup = new StaticItemLookup(
      options.synced ?? [{ vaultId, itemId }],
    );
    const action = createOnePasswordItemRotateAction({
      connect: ConnectCredentialsClient.fromConfig(config),
      guard: CredentialsRequestGuard.fromConfig(config, {
        permissions: createStaticPermissions(
          options.permission ?? AuthorizeResult.ALLOW,
        ),
        auditor,
      }),
      items: lookup,
    });
    const outputs: Record<string, unknown> = {};
    const run = async (
      input: Record<string, unknown>,
      extra: { isDryRun?: boolean } = {},
    ) => {
      await action.handler({
        ...createMockActionContext({
          input: { entityRef: ENTITY, ...input } as any,
        }),
        logger,
        checkpoint: createCheckpointStore().checkpoint,
        getInitiatorCredentials: async () =>
          mockCredentials.user('user:default/alice'),
        output: (name: string, value: unknown) => {
          outputs[name] = value;
        },
        ...extra,
      } as any);
      return outputs;
    };
    const emitted = () => JSON.stringify({ lines, outputs, events });
    return { run, events, emitted, lookup };
  }

  it('has Connect generate a new value by recipe, and lets out only the version', async () => {
    const before = storedItem();
    const oldPassword = storedPassword();
    const { run, events, emitted, lookup } = setup();
    const { input } = yaml.parse(examples[0].example).steps[0];
    const outputs = await run(input);

    const after = storedItem();
    const password = storedPassword();
    expect(password).not.toBe(oldPassword);
    expect(password).toHaveLength(40);
    expect(password).toMatch(/^[A-Za-z0-9]+$/);
    expect(password).toMatch(/[A-Za-z]/);
    expect(password).toMatch(/\d/);
    // The other fields are kept, and the item moved so the operator syncs it.
    expect(after.fields!.find(field => field.id === 'username')!.value).toBe(
      'user-CANARY-1',
    );
    expect(after.version).toBe(before.version + 1);
    expect(Date.parse(after.updatedAt!)).toBeGreaterThan(
      Date.parse(before.updatedAt!),
    );

    expect(outputs).toEqual({
      server: 'main',
      vaultId,
      itemId,
      itemPath: `vaults/${vaultId}/items/${itemId}`,
      field: 'password',
      version: after.version,
    });
    expect(lookup.asked).toEqual([ENTITY]);
    expect(events).toEqual([
      {
        options: {
          eventId: 'credentials-request',
          severityLevel: 'medium',
          meta: {
            action: 'onepassword:item:rotate',
            actor: 'user:default/alice',
            entityRef: ENTITY,
            server: 'main',
            vault: 'payments',
            dryRun: false,
          },
        },
        outcome: {
          status: 'succeeded',
          meta: {
            server: 'main',
            vaultId,
            itemId,
            field: 'password',
            version: after.version,
          },
        },
      },
    ]);
    expect(emitted()).not.toContain(password);
    expect(emitted()).not.toContain('CANARY');
  });

  it('generates from the character sets asked for, leaving out excluded characters', async () => {
    const { run } = setup();
    await run({
      vault: vaultId,
      item: itemId,
      recipe: {
        length: 64,
        characterSets: ['DIGITS', 'SYMBOLS'],
        excludeCharacters: '0123456789',
      },
    });
    const password = storedPassword();
    expect(password).toHaveLength(64);
    expect(password).not.toMatch(/[A-Za-z0-9]/);
  });

  it('changes nothing in a dry run', async () => {
    const before = storedItem();
    const outputs = await setup().run(
      { vault: 'payments', item: 'payments-db' },
      { isDryRun: true },
    );
    expect(storedItem()).toEqual(before);
    expect(outputs).toMatchObject({ version: before.version });
  });

  it('refuses an initiator without the permission on the entity, and audits it', async () => {
    const before = storedItem();
    const { run, events } = setup({ permission: AuthorizeResult.DENY });
    await expect(
      run({ vault: 'payments', item: 'payments-db' }),
    ).rejects.toThrow(
      "user:default/alice is not allowed to request 1Password credentials for component:default/payments-api (permission 'onepassword.credentials.request')",
    );
    expect(storedItem()).toEqual(before);
    expect(events[0].outcome).toMatchObject({ status: 'failed' });
  });

  it('refuses an item the entity does not use', async () => {
    const before = connectServer.store.findItem('payments', 'orders-db');
    await expect(
      setup().run({ vault: 'payments', item: 'orders-db' }),
    ).rejects.toThrow(
      "Item 'orders-db' in vault 'payments' is not synced into any Secret of component:default/payments-api; only an item the entity uses can be rotated for it",
    );
    expect(connectServer.store.findItem('payments', 'orders-db')).toEqual(
      before,
    );
  });

  it('refuses a vault outside the allow-list', async () => {
    await expect(
      setup().run({ vault: 'finance', item: 'anything' }),
    ).rejects.toThrow(
      "Vault 'finance' on Connect server 'main' is not allowed",
    );
  });

  it.each([
    [
      { item: 'payments-db', field: '../title' },
      "field '../title' is not a 1Password field id (letters, digits, '_' and '-')",
    ],
    [
      { item: 'payments-db', recipe: { length: 8 } },
      'recipe.length must be an integer from 12 to 64, got 8',
    ],
    [
      { item: 'no-such-item' },
      "Item 'no-such-item' does not exist in vault 'payments' on 1Password Connect server 'main'",
    ],
    [
      { item: 'payments-db', field: 'apikey' },
      "Could not generate a new value for field 'apikey' of item",
    ],
  ])('answers %j with an InputError', async (input, message) => {
    const before = storedItem();
    const error = await setup()
      .run({ vault: 'payments', ...input })
      .catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toContain(message);
    expect(storedItem()).toEqual(before);
  });
});
