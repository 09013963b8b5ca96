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

import { ConflictError, NotImplementedError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ConnectCredentialsClient } from '../connect/ConnectCredentialsClient';
import { CredentialsRequestGuard } from '../guard/CredentialsRequestGuard';
import { TITLE_MAX_LENGTH, validateTitle } from '../items/rules';
import { connectGrantSteps } from '../vaults/grantSteps';
import { CreatedVault, VaultCreator } from '../vaults/VaultCreator';
import { NamingConventions } from '../naming/NamingConventions';
import { examples } from './createVault.examples';
import { normalizeEntityRef } from './entityRef';

/** Vault id reported by a dry run, which creates nothing. */
const DRY_RUN_VAULT_ID = 'dry-run';

/**
 * `onepassword:vault:create`: creates a vault through a service account
 * (Connect has no vault write API) and reports the grants still needed.
 */
export function createOnePasswordVaultCreateAction(options: {
  connect: ConnectCredentialsClient;
  guard: CredentialsRequestGuard;
  vaultCreator?: VaultCreator;
  naming?: NamingConventions;
}) {
  const { connect, guard, vaultCreator, naming } = options;
  return createTemplateAction({
    id: 'onepassword:vault:create',
    description:
      'Creates a 1Password vault with the configured service account and lists the steps to grant a Connect server access to it',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        server: z =>
          z
            .string({
              description:
                'The Connect server (onepassword.connect.servers) that should serve the vault; its allow-list must match the title',
            })
            .optional(),
        title: z =>
          z.string({ description: 'Vault title' }).min(1).max(TITLE_MAX_LENGTH),
        description: z =>
          z.string({ description: 'Vault description' }).max(1000).optional(),
        entityRef: z =>
          z
            .string({
              description:
                'The entity the vault is for: the initiator needs onepassword.credentials.request on it; audited with it',
            })
            .min(1),
        ifExists: z =>
          z
            .enum(['fail', 'reuse'], {
              description:
                'When a vault with this title exists: fail (default) or reuse it',
            })
            .optional(),
      },
      output: {
        vaultId: z => z.string(),
        title: z => z.string(),
        reused: z => z.boolean(),
        nextSteps: z =>
          z.array(z.string(), {
            description:
              'What is still needed before Connect (and the operator) can read the vault',
          }),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const credentials = await ctx.getInitiatorCredentials();
      const entityRef = normalizeEntityRef(input.entityRef);
      const dryRun = Boolean(ctx.isDryRun);
      const ifExists = input.ifExists ?? 'fail';

      const { server, vault, reused } = await guard.audited(
        credentials,
        {
          action: 'onepassword:vault:create',
          entityRef,
          server: input.server ?? null,
          vault: input.title,
          dryRun,
        },
        async () => {
          await guard.authorize(credentials, entityRef);
          const title = validateTitle(input.title, 'vault title');
          await naming?.assertVaultTitle(title, entityRef, credentials);
          const serverName = connect.resolveServerName(input.server);
          guard.assertVaultAllowed(serverName, { name: title });
          if (!vaultCreator) {
            throw new NotImplementedError(
              `Vault '${title}' cannot be created: 1Password Connect has no API to create vaults, ` +
                `and no 1Password service account is configured. Either configure one that may create vaults ` +
                `(op service-account create <name> --can-create-vaults) as onepassword.serviceAccount.token ` +
                `or OP_SERVICE_ACCOUNT_TOKEN, or ask the platform team to create the vault and grant it to ` +
                `Connect server '${serverName}'.`,
            );
          }

          const findReusable = async (): Promise<CreatedVault | undefined> => {
            const existing = await vaultCreator.findVaultsByTitle(title);
            if (existing.length === 0) return undefined;
            if (ifExists === 'fail' || existing.length > 1) {
              throw new ConflictError(
                `A vault titled '${title}' already exists${
                  ifExists === 'reuse' ? ' more than once' : ''
                }; choose another title${
                  ifExists === 'fail' ? ' or set ifExists: reuse' : ''
                }`,
              );
            }
            return existing[0];
          };

          let outcome: { vault: CreatedVault; reused: boolean };
          if (dryRun) {
            const reusable = await findReusable();
            outcome = {
              vault: reusable ?? { id: DRY_RUN_VAULT_ID, title },
              reused: Boolean(reusable),
            };
          } else {
            outcome = await ctx.checkpoint({
              key: `onepassword.vault.create:${title}`,
              fn: async () => {
                const reusable = await findReusable();
                const created =
                  reusable ??
                  (await vaultCreator.createVault({
                    title,
                    description: input.description,
                  }));
                return {
                  vault: { id: created.id, title: created.title },
                  reused: Boolean(reusable),
                };
              },
            });
          }
          return {
            result: { server: serverName, ...outcome },
            auditMeta: {
              server: serverName,
              vaultId: outcome.vault.id,
              reused: outcome.reused,
            },
          };
        },
      );

      let verb = reused ? 'Reusing' : 'Created';
      if (dryRun) verb = 'Dry run: would use';
      ctx.logger.info(
        `${verb} 1Password vault ${vault.id} ('${vault.title}') for Connect server '${server}'`,
      );
      ctx.output('vaultId', vault.id);
      ctx.output('title', vault.title);
      ctx.output('reused', reused);
      ctx.output(
        'nextSteps',
        connectGrantSteps({
          server,
          vaultId: vault.id,
          vaultTitle: vault.title,
        }),
      );
    },
  });
}
