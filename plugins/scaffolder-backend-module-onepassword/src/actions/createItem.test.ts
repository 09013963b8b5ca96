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
import { PermissionsService } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { ConnectServer, parseScenario } from '@internal/sandbox';
import yaml from 'yaml';
import {
  createCheckpointStore,
  createEntityPermissions,
  createRecordingAuditor,
  createRecordingLogger,
  createStaticPermissions,
} from '../__testUtils__/recording';
import { ConnectCredentialsClient } from '../connect/ConnectCredentialsClient';
import { CredentialsRequestGuard } from '../guard/CredentialsRequestGuard';
import { createOnePasswordItemCreateAction } from './createItem';
import { examples } from './createItem.examples';

const TOKENS = {
  backstage: 'tok-CANARY-backstage',
  reader: 'tok-CANARY-reader',
  unknown: 'tok-CANARY-unknown',
};

const scenario = parseScenario({
  name: 'scaffolder-credentials',
  connect: [
    {
      name: 'main',
      port: 0,
      tokens: [
        {
          name: 'backstage',
          token: TOKENS.backstage,
          vaults: ['team-sandbox', 'team-payments', 'finance-restricted'],
          write: true,
        },
        { name: 'reader', token: TOKENS.reader, vaults: '*', write: false },
      ],
      vaults: [
        { name: 'team-sandbox', items: [] },
        {
          name: 'team-payments',
          items: [
            {
              title: 'payments-db',
              category: 'LOGIN',
              tags: ['backstage:component:default/payments-api'],
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
          ],
        },
        { name: 'team-hidden', items: [] },
        { name: 'finance-restricted', items: [] },
      ],
    },
  ],
  clusters: [],
});

describe('onepassword:item:create', () => {
  let connectServer: ConnectServer;
  let vaultIds: Record<string, string>;

  beforeAll(async () => {
    connectServer = await ConnectServer.start({
      spec: scenario.connect[0],
      port: 0,
    });
    vaultIds = Object.fromEntries(
      connectServer.store.listVaults().map(vault => [vault.name, vault.id]),
    );
  });

  afterAll(async () => {
    await connectServer.stop();
  });

  afterEach(() => {
    connectServer.faults.clear();
  });

  function setup(
    options: {
      permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
      permissions?: PermissionsService;
    } = {},
  ) {
    const config = new ConfigReader({
      onepassword: {
        connect: {
          servers: [
            { name: 'main', url: connectServer.url, token: TOKENS.backstage },
            {
              name: 'main-readonly',
              url: connectServer.url,
              token: TOKENS.reader,
            },
            {
              name: 'main-badtoken',
              url: connectServer.url,
              token: TOKENS.unknown,
            },
          ],
        },
        scaffolder: {
          allowedVaults: [
            { server: 'main', vaults: ['team-*'] },
            { server: 'main-readonly', vaults: ['team-*'] },
            { server: 'main-badtoken', vaults: ['team-*'] },
          ],
        },
      },
    });
    const { auditor, events } = createRecordingAuditor();
    const { logger, lines } = createRecordingLogger();
    const checkpoints = createCheckpointStore();
    const action = createOnePasswordItemCreateAction({
      connect: ConnectCredentialsClient.fromConfig(config),
      guard: CredentialsRequestGuard.fromConfig(config, {
        permissions:
          options.permissions ??
          createStaticPermissions(options.permission ?? AuthorizeResult.ALLOW),
        auditor,
      }),
    });
    const outputs: Record<string, unknown> = {};
    const run = async (
      input: Record<string, unknown>,
      extra: { isDryRun?: boolean } = {},
    ) => {
      const ctx = {
        ...createMockActionContext({ input: input as any }),
        logger,
        checkpoint: checkpoints.checkpoint,
        getInitiatorCredentials: async () =>
          mockCredentials.user('user:default/alice'),
        output: (name: string, value: unknown) => {
          outputs[name] = value;
        },
        ...extra,
      };
      await action.handler(ctx as any);
      return outputs;
    };
    /** Everything the action let out: logs, outputs, audit events. */
    const emitted = () => JSON.stringify({ lines, outputs, events });
    return { run, events, lines, outputs, checkpoints, emitted };
  }

  const baseInput = {
    server: 'main',
    vault: 'team-sandbox',
    entityRef: 'component:default/checkout-web',
    category: 'DATABASE',
    fields: { username: 'checkout', host: 'db.checkout.internal' },
    password: {
      generate: true,
      recipe: { length: 40, characterSets: ['LETTERS', 'DIGITS'] },
    },
  };

  it('creates an item whose password Connect generated, and outputs ids only', async () => {
    const { run, events, emitted } = setup();
    const outputs = await run({ ...baseInput, title: 'checkout-db' });

    const vaultId = vaultIds['team-sandbox'];
    const itemId = outputs.itemId as string;
    expect(outputs).toEqual({
      server: 'main',
      vaultId,
      itemId: expect.stringMatching(/^[a-z0-9]{26}$/),
      itemPath: `vaults/${vaultId}/items/${itemId}`,
      version: 1,
      title: 'checkout-db',
      reused: false,
    });

    const stored = connectServer.store.getItem(vaultId, itemId)!;
    expect(stored.tags).toEqual(['backstage:component:default/checkout-web']);
    const password = stored.fields!.find(field => field.label === 'password')!;
    expect(password.value).toHaveLength(40);
    expect(stored.fields!.find(field => field.label === 'host')!.value).toBe(
      'db.checkout.internal',
    );

    // The generated value and the token never leave the action.
    expect(emitted()).not.toContain(password.value);
    expect(emitted()).not.toContain('CANARY');

    expect(events).toEqual([
      {
        options: {
          eventId: 'credentials-request',
          severityLevel: 'medium',
          meta: {
            action: 'onepassword:item:create',
            actor: 'user:default/alice',
            entityRef: 'component:default/checkout-web',
            server: 'main',
            vault: 'team-sandbox',
            dryRun: false,
          },
        },
        outcome: {
          status: 'succeeded',
          meta: { server: 'main', vaultId, itemId, reused: false },
        },
      },
    ]);
  });

  it('reuses an item requested for the same entity', async () => {
    const { run, emitted } = setup();
    const outputs = await run({
      ...baseInput,
      vault: 'team-payments',
      entityRef: 'component:default/payments-api',
      title: 'payments-db',
      category: 'LOGIN',
      fields: {},
      ifExists: 'reuse',
    });
    const [existing] = connectServer.store.listItems(vaultIds['team-payments']);
    expect(outputs).toMatchObject({ itemId: existing.id, reused: true });
    expect(
      connectServer.store.listItems(vaultIds['team-payments']),
    ).toHaveLength(1);
    expect(emitted()).not.toContain('CANARY');
  });

  it('refuses to reuse an item of another entity', async () => {
    const { run } = setup();
    await expect(
      run({
        ...baseInput,
        vault: 'team-payments',
        title: 'payments-db',
        category: 'LOGIN',
        fields: {},
        ifExists: 'reuse',
      }),
    ).rejects.toThrow(
      "Item 'payments-db' in vault 'team-payments' was not requested for component:default/checkout-web (no tag backstage:component:default/checkout-web), so it cannot be reused",
    );
  });

  it('fails on an existing title by default', async () => {
    const { run, events } = setup();
    await expect(
      run({
        ...baseInput,
        vault: 'team-payments',
        title: 'payments-db',
        category: 'LOGIN',
        fields: {},
      }),
    ).rejects.toThrow(
      "An item titled 'payments-db' already exists in vault 'team-payments'; choose another title or set ifExists: reuse",
    );
    expect(events[0].outcome).toMatchObject({ status: 'failed' });
  });

  it('does not create a second item when a recovered task re-runs the step', async () => {
    const { run } = setup();
    const first = { ...(await run({ ...baseInput, title: 'recovered-db' })) };
    const second = await run({ ...baseInput, title: 'recovered-db' });
    expect(second).toEqual(first);
    const titles = connectServer.store
      .listItems(vaultIds['team-sandbox'])
      .filter(item => item.title === 'recovered-db');
    expect(titles).toHaveLength(1);
  });

  it('validates access and input in a dry run without creating anything', async () => {
    const { run, events } = setup();
    const before = connectServer.store.listItems(
      vaultIds['team-sandbox'],
    ).length;
    const outputs = await run(
      { ...baseInput, title: 'dry-db' },
      { isDryRun: true },
    );
    expect(outputs).toMatchObject({
      vaultId: vaultIds['team-sandbox'],
      itemId: 'dry-run',
      itemPath: `vaults/${vaultIds['team-sandbox']}/items/dry-run`,
      reused: false,
    });
    expect(
      connectServer.store.listItems(vaultIds['team-sandbox']),
    ).toHaveLength(before);
    expect(events[0].options).toMatchObject({
      severityLevel: 'low',
      meta: { dryRun: true },
    });

    await expect(
      run(
        { ...baseInput, title: 'dry-db', vault: 'no-such-vault' },
        { isDryRun: true },
      ),
    ).rejects.toThrow(
      "Vault 'no-such-vault' does not exist on 1Password Connect server 'main', or its token was not granted it",
    );
  });

  it('refuses a vault outside the allow-list', async () => {
    const { run, events } = setup();
    await expect(
      run({ ...baseInput, title: 'x', vault: 'finance-restricted' }),
    ).rejects.toThrow(
      "Vault 'finance-restricted' on Connect server 'main' is not allowed for self-service credentials",
    );
    expect(
      connectServer.store.listItems(vaultIds['finance-restricted']),
    ).toEqual([]);
    expect(events[0].outcome).toMatchObject({ status: 'failed' });
  });

  it('refuses an initiator without the permission, and audits the attempt', async () => {
    const { run, events } = setup({ permission: AuthorizeResult.DENY });
    await expect(run({ ...baseInput, title: 'denied-db' })).rejects.toThrow(
      "user:default/alice is not allowed to request 1Password credentials for component:default/checkout-web (permission 'onepassword.credentials.request')",
    );
    expect(events[0].outcome).toEqual({
      status: 'failed',
      meta: undefined,
      error: expect.stringContaining('NotAllowedError'),
    });
  });

  describe('a resource permission on the target entity', () => {
    // alice owns payments-api only, as the owner-only policy decides it.
    const ownerOfPaymentsApi = () =>
      createEntityPermissions(['component:default/payments-api']);

    it('is checked with the initiator credentials on the entity', async () => {
      const permissions = ownerOfPaymentsApi();
      const { run } = setup({ permissions });
      await run({
        ...baseInput,
        entityRef: 'component:default/payments-api',
        title: 'owned-db',
      });
      expect(permissions.requests).toEqual([
        {
          permission: expect.objectContaining({
            name: 'onepassword.credentials.request',
            resourceType: 'catalog-entity',
          }),
          resourceRef: 'component:default/payments-api',
        },
      ]);
    });

    it('refuses an entity the initiator does not own, whatever the picker offered, and creates nothing', async () => {
      const { run, events } = setup({ permissions: ownerOfPaymentsApi() });
      const before = connectServer.store.listItems(vaultIds['team-sandbox']);
      await expect(
        run({ ...baseInput, title: 'not-mine-db' }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          "user:default/alice is not allowed to request 1Password credentials for component:default/checkout-web (permission 'onepassword.credentials.request')",
      });
      expect(connectServer.store.listItems(vaultIds['team-sandbox'])).toEqual(
        before,
      );
      expect(events[0].outcome).toMatchObject({ status: 'failed' });
    });

    it('does not let a non-owner reuse the entity item, even in a dry run', async () => {
      const { run, outputs } = setup({
        permissions: createEntityPermissions([]),
      });
      const reuse = {
        ...baseInput,
        vault: 'team-payments',
        entityRef: 'component:default/payments-api',
        title: 'payments-db',
        category: 'LOGIN',
        fields: {},
        ifExists: 'reuse',
      };
      await expect(run(reuse)).rejects.toThrow('is not allowed');
      await expect(run(reuse, { isDryRun: true })).rejects.toThrow(
        'is not allowed',
      );
      expect(outputs).toEqual({});
    });

    it('needs an entityRef', async () => {
      const { run } = setup();
      await expect(
        run({ ...baseInput, entityRef: undefined, title: 'anon-db' }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('entityRef is required'),
      });
    });
  });

  it('refuses bad input with a clear message', async () => {
    const { run } = setup();
    await expect(
      run({ ...baseInput, title: 'bad', tags: ['Not Valid'] }),
    ).rejects.toThrow(
      "Tag 'Not Valid' may only contain lowercase letters, digits and ':._/-'",
    );
  });

  describe('Connect errors', () => {
    async function failure(input: Record<string, unknown>) {
      const { run, emitted } = setup();
      const error = await run(input).then(
        () => undefined,
        e => e as Error,
      );
      expect(error).toBeDefined();
      expect(`${error!.message} ${emitted()}`).not.toContain('CANARY');
      return error!;
    }

    it('401: a token Connect does not know', async () => {
      const error = await failure({
        ...baseInput,
        server: 'main-badtoken',
        title: 'x',
      });
      expect(error.name).toBe('AuthenticationError');
      expect(error.message).toMatch(
        /^Could not look up vault 'team-sandbox' on 1Password Connect server 'main-badtoken': the server rejected Backstage's token \(401 .*\)\. Check the token configured in onepassword.connect.servers for 'main-badtoken'\.$/,
      );
    });

    it('403: a vault not granted to the token', async () => {
      const error = await failure({
        ...baseInput,
        vault: vaultIds['team-hidden'],
        title: 'x',
      });
      expect(error.name).toBe('NotAllowedError');
      expect(error.message).toContain(
        "Backstage's token was not granted this vault (403",
      );
    });

    it('403: a token without write access', async () => {
      const error = await failure({
        ...baseInput,
        server: 'main-readonly',
        title: 'readonly-db',
      });
      expect(error.name).toBe('NotAllowedError');
      expect(error.message).toContain("Could not create item 'readonly-db'");
    });

    it('5xx: a failing Connect server', async () => {
      connectServer.faults.set({ error500: true });
      const error = await failure({ ...baseInput, title: 'x' });
      expect(error.name).toBe('ServiceUnavailableError');
      expect(error.message).toContain('the server failed (500');
    });
  });

  it('runs its documented example', async () => {
    const { run } = setup();
    const { input } = yaml.parse(examples[0].example).steps[0];
    await expect(run(input)).resolves.toMatchObject({
      vaultId: vaultIds['team-sandbox'],
      title: 'payments-api-db',
      reused: false,
    });
  });
});
