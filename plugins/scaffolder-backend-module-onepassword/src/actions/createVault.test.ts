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
import yaml from 'yaml';
import {
  createCheckpointStore,
  createRecordingAuditor,
  createRecordingLogger,
  createStaticPermissions,
} from '../__testUtils__/recording';
import { ConnectCredentialsClient } from '../connect/ConnectCredentialsClient';
import { CredentialsRequestGuard } from '../guard/CredentialsRequestGuard';
import { NamingConventions } from '../naming/NamingConventions';
import { CreatedVault, VaultCreator } from '../vaults/VaultCreator';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createOnePasswordVaultCreateAction } from './createVault';
import { examples } from './createVault.examples';

/** An in-memory stand-in for a 1Password account reached by a service account. */
class InMemoryVaultCreator implements VaultCreator {
  readonly vaults: CreatedVault[] = [];
  async findVaultsByTitle(title: string) {
    return this.vaults.filter(vault => vault.title === title);
  }
  async createVault(options: { title: string }) {
    const vault = {
      id: `vault${this.vaults.length}`.padEnd(26, 'x'),
      title: options.title,
    };
    this.vaults.push(vault);
    return vault;
  }
}

const config = new ConfigReader({
  onepassword: {
    connect: {
      servers: [
        { name: 'main', url: 'http://127.0.0.1:1', token: 'tok-CANARY-main' },
      ],
    },
    scaffolder: { allowedVaults: [{ server: 'main', vaults: ['team-*'] }] },
  },
});

describe('onepassword:vault:create', () => {
  function setup(
    options: {
      vaultCreator?: VaultCreator;
      permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
      naming?: NamingConventions;
    } = {},
  ) {
    const { auditor, events } = createRecordingAuditor();
    const { logger, lines } = createRecordingLogger();
    const checkpoints = createCheckpointStore();
    const action = createOnePasswordVaultCreateAction({
      connect: ConnectCredentialsClient.fromConfig(config),
      guard: CredentialsRequestGuard.fromConfig(config, {
        permissions: createStaticPermissions(
          options.permission ?? AuthorizeResult.ALLOW,
        ),
        auditor,
      }),
      vaultCreator: options.vaultCreator,
      naming: options.naming,
    });
    const run = async (
      input: Record<string, unknown>,
      extra: { isDryRun?: boolean } = {},
    ) => {
      const outputs: Record<string, unknown> = {};
      // Requesting is a permission on the entity the vault is for.
      const withEntity = { entityRef: 'group:default/team-payments', ...input };
      await action.handler({
        ...createMockActionContext({ input: withEntity as any }),
        logger,
        checkpoint: checkpoints.checkpoint,
        getInitiatorCredentials: async () =>
          mockCredentials.user('user:default/alice'),
        output: (name: string, value: unknown) => {
          outputs[name] = value;
        },
        ...extra,
      } as any);
      return outputs;
    };
    return { run, events, lines };
  }

  it('creates a vault and lists the grants still needed', async () => {
    const creator = new InMemoryVaultCreator();
    const { run, events, lines } = setup({ vaultCreator: creator });
    const { input } = yaml.parse(examples[0].example).steps[0];
    const outputs = await run(input);

    expect(creator.vaults).toEqual([
      { id: expect.any(String), title: 'team-payments' },
    ]);
    const vaultId = creator.vaults[0].id;
    expect(outputs).toEqual({
      vaultId,
      title: 'team-payments',
      reused: false,
      nextSteps: [
        expect.stringContaining(
          `op connect vault grant --server <connect server> --vault ${vaultId}`,
        ),
        expect.stringContaining(`--vault ${vaultId},r,w`),
        expect.stringContaining(`--vault ${vaultId},r)`),
        expect.stringMatching(
          /op connect server create and op connect vault grant fail with 401 or exit code 6/,
        ),
      ],
    });
    expect(events[0].outcome).toEqual({
      status: 'succeeded',
      meta: { server: 'main', vaultId, reused: false },
    });
    expect(JSON.stringify({ lines, events, outputs })).not.toContain('CANARY');
  });

  it('explains why and what to do when no service account is configured', async () => {
    const { run, events } = setup();
    await expect(run({ server: 'main', title: 'team-new' })).rejects.toThrow(
      "Vault 'team-new' cannot be created: 1Password Connect has no API to create vaults, and no 1Password service account is configured. " +
        'Either configure one that may create vaults (op service-account create <name> --can-create-vaults) as onepassword.serviceAccount.token ' +
        "or OP_SERVICE_ACCOUNT_TOKEN, or ask the platform team to create the vault and grant it to Connect server 'main'.",
    );
    expect(events[0].outcome).toMatchObject({ status: 'failed' });
  });

  it('creates the vault once when a recovered task re-runs the step', async () => {
    const creator = new InMemoryVaultCreator();
    const { run } = setup({ vaultCreator: creator });
    const first = await run({ server: 'main', title: 'team-recovered' });
    const second = await run({ server: 'main', title: 'team-recovered' });
    expect(second).toEqual(first);
    expect(creator.vaults).toHaveLength(1);
  });

  it('fails on an existing title unless asked to reuse it', async () => {
    const creator = new InMemoryVaultCreator();
    await creator.createVault({ title: 'team-old' });
    const { run } = setup({ vaultCreator: creator });
    await expect(run({ server: 'main', title: 'team-old' })).rejects.toThrow(
      "A vault titled 'team-old' already exists; choose another title or set ifExists: reuse",
    );
    const outputs = await setup({ vaultCreator: creator }).run({
      server: 'main',
      title: 'team-old',
      ifExists: 'reuse',
    });
    expect(outputs).toMatchObject({
      vaultId: creator.vaults[0].id,
      reused: true,
    });
    expect(creator.vaults).toHaveLength(1);
  });

  it('creates nothing in a dry run', async () => {
    const creator = new InMemoryVaultCreator();
    const outputs = await setup({ vaultCreator: creator }).run(
      { server: 'main', title: 'team-dry' },
      { isDryRun: true },
    );
    expect(outputs).toMatchObject({ vaultId: 'dry-run', reused: false });
    expect(creator.vaults).toEqual([]);
  });

  it('refuses a title outside the allow-list', async () => {
    const creator = new InMemoryVaultCreator();
    await expect(
      setup({ vaultCreator: creator }).run({
        server: 'main',
        title: 'finance-2',
      }),
    ).rejects.toThrow(
      "Vault 'finance-2' on Connect server 'main' is not allowed",
    );
    expect(creator.vaults).toEqual([]);
  });

  it('refuses an initiator without the permission', async () => {
    const creator = new InMemoryVaultCreator();
    await expect(
      setup({ vaultCreator: creator, permission: AuthorizeResult.DENY }).run({
        server: 'main',
        title: 'team-x',
      }),
    ).rejects.toThrow(
      'user:default/alice is not allowed to request 1Password credentials',
    );
    expect(creator.vaults).toEqual([]);
  });

  describe('with onepassword.naming.vaults', () => {
    const naming = NamingConventions.fromConfig(
      new ConfigReader({
        onepassword: { naming: { vaults: 'team-{name}' } },
      }),
      {
        catalog: catalogServiceMock({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Group',
              metadata: { name: 'team-payments', namespace: 'default' },
              spec: { type: 'team', children: [] },
            },
          ],
        }),
      },
    );

    it('creates a vault titled as the rule says for the entity', async () => {
      const creator = new InMemoryVaultCreator();
      const outputs = await setup({ vaultCreator: creator, naming }).run({
        server: 'main',
        title: 'team-team-payments',
      });
      expect(outputs).toMatchObject({ title: 'team-team-payments' });
      expect(creator.vaults).toHaveLength(1);
    });

    it('refuses another title with the one it would accept, and creates nothing', async () => {
      const creator = new InMemoryVaultCreator();
      const { run, events } = setup({ vaultCreator: creator, naming });
      const error = await run({ server: 'main', title: 'team-x' }).catch(
        e => e,
      );
      expect(error.name).toBe('InputError');
      expect(error.message).toBe(
        "The vault title 'team-x' breaks the naming rule 'team-{name}' (onepassword.naming.vaults): expected 'team-team-payments'",
      );
      expect(creator.vaults).toEqual([]);
      expect(events[0].outcome).toMatchObject({ status: 'failed' });
    });

    it('refuses an entity the catalog does not know', async () => {
      const creator = new InMemoryVaultCreator();
      await expect(
        setup({ vaultCreator: creator, naming }).run({
          server: 'main',
          title: 'team-x',
          entityRef: 'group:default/nobody',
        }),
      ).rejects.toThrow(
        "No entity 'group:default/nobody' in the catalog: onepassword.naming.vaults takes the vault title from it",
      );
    });
  });
});
