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

import {
  FieldPurpose,
  FullItem,
  GeneratorRecipe,
  ItemBuilder,
  OnePasswordConnect,
  OPConnect,
} from '@1password/connect';
import {
  startTestConnectServer,
  TEST_TOKENS,
} from '../__testUtils__/connectFixtures';
import { ConnectServer } from './ConnectServer';

/** The sandbox against the official `@1password/connect` SDK, as the plugins use it. */
describe('ConnectServer with the @1password/connect SDK', () => {
  let server: ConnectServer;
  let reader: OPConnect;
  let writer: OPConnect;

  beforeAll(async () => {
    server = await startTestConnectServer();
    reader = OnePasswordConnect({
      serverURL: server.url,
      token: TEST_TOKENS.reader,
    });
    writer = OnePasswordConnect({
      serverURL: server.url,
      token: TEST_TOKENS.writer,
    });
  });

  afterAll(async () => {
    await server.stop();
  });

  it('lists and gets vaults, by id and by title', async () => {
    const vaults = await reader.listVaults();
    expect(vaults.map(vault => vault.name).sort()).toEqual(['alpha', 'beta']);
    const alpha = vaults.find(vault => vault.name === 'alpha')!;
    expect((await reader.getVault(alpha.id!)).name).toBe('alpha');
    const byTitle = await reader.getVaultByTitle('beta');
    expect(byTitle.id).toBe(server.store.findVault('beta').id);
    await expect(reader.getVaultByTitle('secret')).rejects.toMatchObject({
      status: 404,
    });
  });

  it('lists and gets items, by id and by title', async () => {
    const alphaId = server.store.findVault('alpha').id;
    const items = await reader.listItems(alphaId);
    expect(items.map(item => item.title).sort()).toEqual(['api key', 'db']);
    expect(items.find(item => item.title === 'db')?.version).toBe(3);

    const byTitle = await reader.listItemsByTitle(alphaId, 'db');
    expect(byTitle).toHaveLength(1);
    expect(byTitle[0].fields?.map(field => field.label)).toEqual([
      'username',
      'password',
    ]);

    const item = await reader.getItemByTitle(alphaId, 'api key');
    expect(item.category).toBe('API_CREDENTIAL');
    const same = await reader.getItem(alphaId, item.id!);
    expect(same.title).toBe('api key');
  });

  it('creates an item with a generated password from the recipe, updates and deletes it', async () => {
    const alphaId = server.store.findVault('alpha').id;
    const recipe: GeneratorRecipe = {
      length: 40,
      characterSets: [
        GeneratorRecipe.CharacterSetsEnum.Letters,
        GeneratorRecipe.CharacterSetsEnum.Digits,
      ],
      excludeCharacters: 'abcXYZ0',
    };
    const draft = new ItemBuilder()
      .setCategory('LOGIN')
      .setTitle('generated')
      .addField({
        label: 'username',
        value: 'svc-CANARY',
        purpose: FieldPurpose.Username,
      })
      .addField({
        label: 'password',
        purpose: FieldPurpose.Password,
        generate: true,
        recipe,
      })
      .build();
    const created = await writer.createItem(alphaId, draft);
    const password = created.fields!.find(
      field => field.purpose === FieldPurpose.Password,
    )!;
    expect(password.value).toHaveLength(40);
    expect(password.value).toMatch(/^[A-Za-z0-9]+$/);
    expect(password.value).not.toMatch(/[abcXYZ0]/);
    expect(password.value).toMatch(/\d/);
    expect(created.version).toBe(1);

    created.title = 'generated-renamed';
    const updated: FullItem = await writer.updateItem(alphaId, created);
    expect(updated.title).toBe('generated-renamed');
    expect(updated.version).toBe(2);
    expect(
      updated.fields!.find(field => field.purpose === FieldPurpose.Password)!
        .value,
    ).toBe(password.value);

    await writer.deleteItem(alphaId, created.id!);
    await expect(writer.getItem(alphaId, created.id!)).rejects.toMatchObject({
      status: 404,
    });
  });

  it('uses the spec defaults (32 characters, every set) for an empty recipe', async () => {
    const alphaId = server.store.findVault('alpha').id;
    const created = await writer.createItem(
      alphaId,
      new ItemBuilder()
        .setCategory('PASSWORD')
        .setTitle('defaults')
        // The SDK itself throws on `generate` without a recipe.
        .addField({
          label: 'password',
          purpose: FieldPurpose.Password,
          generate: true,
          recipe: {},
        })
        .build(),
    );
    expect(created.fields![0].value).toHaveLength(32);
  });

  it('rejects with the Connect error bodies', async () => {
    const alphaId = server.store.findVault('alpha').id;
    const secretId = server.store.findVault('secret').id;
    const bad = OnePasswordConnect({ serverURL: server.url, token: 'wrong' });
    await expect(bad.listVaults()).rejects.toEqual({
      status: 401,
      message: 'Invalid token signature',
    });
    await expect(reader.getVault(secretId)).rejects.toMatchObject({
      status: 403,
    });
    await expect(reader.listItems(secretId)).rejects.toMatchObject({
      status: 403,
    });
    await expect(reader.getItem(alphaId, 'z'.repeat(26))).rejects.toEqual({
      status: 404,
      message: `item ${'z'.repeat(26)} not found`,
    });
    await expect(
      writer.createItem(alphaId, {
        category: 'CUSTOM',
        title: 'custom',
      } as any),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      reader.createItem(
        alphaId,
        new ItemBuilder().setCategory('LOGIN').setTitle('x').build(),
      ),
    ).rejects.toMatchObject({ status: 403 });
  });
});
