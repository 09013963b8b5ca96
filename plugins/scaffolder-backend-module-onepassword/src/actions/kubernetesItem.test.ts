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

import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'node:fs';
import yaml from 'yaml';
import { loadOnePasswordItemSchema } from '../kubernetes/structuralSchema';
import { NamingConventions } from '../naming/NamingConventions';
import { createOnePasswordKubernetesItemAction } from './kubernetesItem';
import { examples } from './kubernetesItem.examples';

describe('onepassword:kubernetes:item:write', () => {
  const workspace = createMockDirectory();
  const action = createOnePasswordKubernetesItemAction({
    schema: loadOnePasswordItemSchema(),
  });

  beforeEach(() => workspace.clear());

  async function run(input: Record<string, unknown>) {
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: workspace.path,
    });
    await action.handler(ctx as any);
    return ctx.output as jest.Mock;
  }

  it('writes the documented example into the workspace', async () => {
    const { input } = yaml.parse(examples[0].example).steps[0];
    const output = await run(input);

    const expected = {
      apiVersion: 'onepassword.com/v1',
      kind: 'OnePasswordItem',
      metadata: {
        name: 'payments-api-db',
        namespace: 'payments',
        labels: { 'backstage.io/kubernetes-id': 'payments-api' },
        annotations: { 'operator.1password.io/auto-restart': 'true' },
      },
      spec: { itemPath: 'vaults/team-sandbox/items/payments-api-db' },
    };
    const written = fs.readFileSync(
      workspace.resolve('kubernetes/payments-api-db.onepassworditem.yaml'),
      'utf8',
    );
    expect(yaml.parse(written)).toEqual(expected);
    expect(output).toHaveBeenCalledWith(
      'manifestPath',
      'kubernetes/payments-api-db.onepassworditem.yaml',
    );
    expect(output).toHaveBeenCalledWith('manifest', written);
  });

  it('writes to a chosen path', async () => {
    await run({
      name: 'db',
      namespace: 'payments',
      itemPath: 'vaults/v/items/i',
      targetPath: 'deploy/secrets/db.yaml',
    });
    expect(workspace.content()).toEqual({
      deploy: {
        secrets: {
          'db.yaml': expect.stringContaining('itemPath: vaults/v/items/i'),
        },
      },
    });
  });

  it('refuses a path outside the workspace', async () => {
    await expect(
      run({
        name: 'db',
        namespace: 'payments',
        itemPath: 'vaults/v/items/i',
        targetPath: '../db.yaml',
      }),
    ).rejects.toThrow("targetPath '../db.yaml' must stay inside the workspace");
  });

  it('refuses names Kubernetes would reject, and writes nothing', async () => {
    await expect(
      run({ name: 'DB', namespace: 'payments', itemPath: 'vaults/v/items/i' }),
    ).rejects.toThrow(
      "Invalid OnePasswordItem manifest: name 'DB' must consist of lowercase letters",
    );
    expect(workspace.content()).toEqual({});
  });

  describe('with onepassword.naming.onePasswordItems', () => {
    const named = createOnePasswordKubernetesItemAction({
      schema: loadOnePasswordItemSchema(),
      naming: NamingConventions.fromConfig(
        new ConfigReader({
          onepassword: { naming: { onePasswordItems: '{title}' } },
        }),
      ),
    });
    const runNamed = async (input: Record<string, unknown>) =>
      named.handler(
        createMockActionContext({
          input: input as any,
          workspacePath: workspace.path,
        }) as any,
      );

    it('writes a OnePasswordItem named after its item title', async () => {
      await runNamed({
        name: 'payments-api-db',
        namespace: 'payments',
        itemPath: 'vaults/team-sandbox/items/Payments API DB',
      });
      expect(Object.keys(workspace.content()!.kubernetes as object)).toEqual([
        'payments-api-db.onepassworditem.yaml',
      ]);
    });

    it('refuses another name, with the one the rule accepts, and writes nothing', async () => {
      const error = await runNamed({
        name: 'db',
        namespace: 'payments',
        itemPath: `vaults/${'v'.repeat(26)}/items/${'i'.repeat(26)}`,
        itemTitle: 'payments-api-db',
      }).catch(e => e);
      expect(error.name).toBe('InputError');
      expect(error.message).toBe(
        "The OnePasswordItem name 'db' breaks the naming rule '{title}' (onepassword.naming.onePasswordItems): expected 'payments-api-db'",
      );
      expect(workspace.content()).toEqual({});
    });
  });
});
