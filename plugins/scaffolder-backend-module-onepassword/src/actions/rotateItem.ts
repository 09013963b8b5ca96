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

import { InputError, NotAllowedError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ConnectCredentialsClient } from '../connect/ConnectCredentialsClient';
import { CredentialsRequestGuard } from '../guard/CredentialsRequestGuard';
import { DEFAULT_RECIPE, itemPath, validateRecipe } from '../items/itemRequest';
import { quoted } from '../items/rules';
import { EntityItemLookup } from '../rotation/EntityItemLookup';
import { examples } from './rotateItem.examples';
import { normalizeEntityRef } from './entityRef';
import {
  connectServerInput,
  passwordRecipeInput,
  vaultInput,
} from './inputFields';

/** The field 1Password gives the built-in password of LOGIN, PASSWORD and DATABASE items. */
const DEFAULT_FIELD_ID = 'password';
/** Field ids as 1Password makes them; anything else cannot be a JSON pointer segment here. */
const FIELD_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * `onepassword:item:rotate`: asks Connect to generate a new value for one
 * field of an item the entity's Secrets are synced from. The old and the new
 * value never exist in Backstage; the operator syncs the new version.
 */
export function createOnePasswordItemRotateAction(options: {
  connect: ConnectCredentialsClient;
  guard: CredentialsRequestGuard;
  items: EntityItemLookup;
}) {
  const { connect, guard, items } = options;
  return createTemplateAction({
    id: 'onepassword:item:rotate',
    description:
      "Rotates a 1Password item's generated secret: Connect generates a new value by recipe; outputs the new version, never a value",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        server: connectServerInput,
        vault: vaultInput,
        item: z => z.string({ description: 'Item id or exact title' }).min(1),
        field: z =>
          z
            .string({
              description: `Id of the field to regenerate; default '${DEFAULT_FIELD_ID}' (the built-in password of LOGIN, PASSWORD and DATABASE items)`,
            })
            .optional(),
        entityRef: z =>
          z
            .string({
              description:
                'The entity whose Secrets are synced from the item: the initiator needs onepassword.credentials.request on it (owner only by default)',
            })
            .min(1),
        recipe: z =>
          passwordRecipeInput(
            z,
            'How Connect generates the new value (default: 32 letters and digits)',
          ),
      },
      output: {
        server: z => z.string(),
        vaultId: z => z.string(),
        itemId: z => z.string(),
        itemPath: z =>
          z.string({ description: 'vaults/<vaultId>/items/<itemId>' }),
        field: z => z.string(),
        version: z =>
          z.number({
            description: 'The item version after the rotation',
          }),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const credentials = await ctx.getInitiatorCredentials();
      const entityRef = normalizeEntityRef(input.entityRef);
      const dryRun = Boolean(ctx.isDryRun);

      const result = await guard.audited(
        credentials,
        {
          action: 'onepassword:item:rotate',
          entityRef,
          server: input.server ?? null,
          vault: input.vault,
          dryRun,
        },
        async () => {
          await guard.authorize(credentials, entityRef);
          const fieldId = input.field ?? DEFAULT_FIELD_ID;
          if (!FIELD_ID_PATTERN.test(fieldId)) {
            throw new InputError(
              `field ${quoted(
                fieldId,
              )} is not a 1Password field id (letters, digits, '_' and '-')`,
            );
          }
          const recipe = validateRecipe(
            { ...DEFAULT_RECIPE, ...input.recipe },
            'recipe',
          );
          const server = connect.resolveServerName(input.server);
          const vault = await connect.getVault(server, input.vault);
          guard.assertVaultAllowed(server, vault);
          const matches = await connect.findItem(server, vault.id, input.item);
          if (matches.length === 0) {
            throw new InputError(
              `Item ${quoted(input.item)} does not exist in vault '${
                vault.name
              }' on 1Password Connect server '${server}'`,
            );
          }
          if (matches.length > 1) {
            throw new InputError(
              `Several items are titled ${quoted(input.item)} in vault '${
                vault.name
              }'; pass the item id instead`,
            );
          }
          const [item] = matches;
          const synced = await items.syncedItems(entityRef, credentials);
          if (
            !synced.some(
              s => s.vaultId === item.vaultId && s.itemId === item.itemId,
            )
          ) {
            throw new NotAllowedError(
              `Item '${item.title}' in vault '${vault.name}' is not synced into any Secret of ${entityRef}; ` +
                'only an item the entity uses can be rotated for it',
            );
          }

          if (dryRun) {
            ctx.logger.info(
              `Dry run: would have Connect server '${server}' generate a new value for field '${fieldId}' of item '${item.title}' in vault '${vault.name}'`,
            );
            return {
              result: { server, ...item, fieldId, version: item.version },
              auditMeta: { server, vaultId: item.vaultId, itemId: item.itemId },
            };
          }
          // Task recovery may re-run the step: one rotation per task.
          const rotated = await ctx.checkpoint<{ version: number }>({
            key: `onepassword.item.rotate:${server}:${item.vaultId}:${item.itemId}:${fieldId}`,
            fn: async () => {
              const { version } = await connect.regenerateField(
                server,
                { vaultId: item.vaultId, itemId: item.itemId, fieldId },
                recipe,
              );
              return { version };
            },
          });
          return {
            result: { server, ...item, fieldId, version: rotated.version },
            auditMeta: {
              server,
              vaultId: item.vaultId,
              itemId: item.itemId,
              field: fieldId,
              version: rotated.version,
            },
          };
        },
      );

      if (!dryRun) {
        ctx.logger.info(
          `Connect server '${result.server}' generated a new value for field '${result.fieldId}' of item ${result.itemId} ('${result.title}'): version ${result.version}. The operator syncs it on its next poll.`,
        );
      }
      ctx.output('server', result.server);
      ctx.output('vaultId', result.vaultId);
      ctx.output('itemId', result.itemId);
      ctx.output('itemPath', itemPath(result.vaultId, result.itemId));
      ctx.output('field', result.fieldId);
      ctx.output('version', result.version);
    },
  });
}
