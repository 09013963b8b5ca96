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

import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'yaml';
import { buildOnePasswordItemManifest } from '../kubernetes/onePasswordItemManifest';
import { StructuralSchema } from '../kubernetes/structuralSchema';
import {
  isOnePasswordId,
  parseItemPath,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { NamingConventions } from '../naming/NamingConventions';
import { examples } from './kubernetesItem.examples';

/**
 * `onepassword:kubernetes:item:write`: writes a `OnePasswordItem` manifest into the
 * workspace, checked against the operator's CRD, for a `publish:*` step.
 */
export function createOnePasswordKubernetesItemAction(options: {
  schema: StructuralSchema;
  naming?: NamingConventions;
}) {
  const { schema, naming } = options;
  return createTemplateAction({
    id: 'onepassword:kubernetes:item:write',
    description:
      'Writes a OnePasswordItem manifest (1Password operator) into the workspace',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z.string({
            description:
              'Name of the OnePasswordItem, and of the Secret the operator creates (DNS-1123 subdomain)',
          }),
        namespace: z => z.string({ description: 'Namespace (DNS-1123 label)' }),
        itemPath: z =>
          z.string({
            description:
              'vaults/<vault id or title>/items/<item id or title>, e.g. the itemPath output of onepassword:item:create',
          }),
        itemTitle: z =>
          z
            .string({
              description:
                'Title of the 1Password item, where itemPath names it by id: checked against onepassword.naming.onePasswordItems',
            })
            .optional(),
        kubernetesId: z =>
          z
            .string({
              description:
                'Value of the backstage.io/kubernetes-id label, linking the Secret to its catalog entity',
            })
            .optional(),
        autoRestart: z =>
          z
            .boolean({
              description:
                'Sets operator.1password.io/auto-restart, so Deployments using the Secret restart when it changes',
            })
            .optional(),
        secretType: z =>
          z
            .string({
              description: 'Kubernetes Secret type; Opaque by default',
            })
            .optional(),
        labels: z =>
          z.record(z.string(), { description: 'Extra labels' }).optional(),
        targetPath: z =>
          z
            .string({
              description:
                'File to write, relative to the workspace; default kubernetes/<name>.onepassworditem.yaml',
            })
            .optional(),
      },
      output: {
        manifestPath: z =>
          z.string({ description: 'Path of the manifest in the workspace' }),
        manifest: z => z.string({ description: 'The manifest as YAML' }),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      naming?.assertOnePasswordItemName(
        input.name,
        input.itemTitle ?? itemTitleOf(input.itemPath),
      );
      const manifest = buildOnePasswordItemManifest(
        {
          name: input.name,
          namespace: input.namespace,
          itemPath: input.itemPath,
          kubernetesId: input.kubernetesId,
          autoRestart: input.autoRestart,
          secretType: input.secretType,
          labels: input.labels,
        },
        schema,
      );
      const manifestPath =
        input.targetPath ?? `kubernetes/${input.name}.onepassworditem.yaml`;
      let file: string;
      try {
        file = resolveSafeChildPath(ctx.workspacePath, manifestPath);
      } catch {
        throw new InputError(
          `targetPath '${manifestPath}' must stay inside the workspace`,
        );
      }
      const text = yaml.stringify(manifest);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, text, 'utf8');
      ctx.logger.info(
        `Wrote OnePasswordItem ${input.namespace}/${input.name} to ${manifestPath}`,
      );
      ctx.output('manifestPath', manifestPath);
      ctx.output('manifest', text);
    },
  });
}

/** The item segment of the path when it is a title, not an id. */
function itemTitleOf(itemPath: string): string | undefined {
  const item = parseItemPath(itemPath)?.item;
  return item && !isOnePasswordId(item) ? item : undefined;
}
