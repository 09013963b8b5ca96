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
  call,
  startTestConnectServer,
  TEST_TOKENS,
} from '../__testUtils__/connectFixtures';
import { ConnectServer } from './ConnectServer';

describe('ConnectServer', () => {
  let server: ConnectServer;
  let alphaId: string;
  let secretVaultId: string;
  let dbId: string;

  beforeEach(async () => {
    server = await startTestConnectServer();
    alphaId = server.store.findVault('alpha').id;
    secretVaultId = server.store.findVault('secret').id;
    dbId = server.store.findItem('alpha', 'db').id;
  });

  afterEach(async () => {
    await server.stop();
  });

  /** A GET with the reader token, another token, or none (`null`). */
  const get = (path: string, token: string | null = TEST_TOKENS.reader) =>
    call(server.url, 'GET', path, { token: token ?? undefined });

  describe('authentication and scope', () => {
    it('answers 401 without or with an unknown token', async () => {
      for (const token of [null, 'nope']) {
        const response = await get('/v1/vaults', token);
        expect(response.status).toBe(401);
        expect(response.json).toEqual({
          status: 401,
          message: 'Invalid token signature',
        });
      }
    });

    it('lists only the vaults in the token scope', async () => {
      const names = (await get('/v1/vaults')).json.map((v: any) => v.name);
      expect(names.sort()).toEqual(['alpha', 'beta']);
      const all = (await get('/v1/vaults', TEST_TOKENS.all)).json.map(
        (v: any) => v.name,
      );
      expect(all.sort()).toEqual(['alpha', 'beta', 'secret']);
    });

    it('answers 403 for a vault outside the scope, 404 for unknown ids, 400 for malformed ids', async () => {
      const forbidden = await get(`/v1/vaults/${secretVaultId}/items`);
      expect(forbidden.status).toBe(403);
      expect(forbidden.json.message).toBe(
        `Authorization: (token does not have access to vault), vault ${secretVaultId} is not in scope`,
      );
      const unknown = 'a'.repeat(26);
      expect((await get(`/v1/vaults/${unknown}`)).json).toEqual({
        status: 404,
        message: `vault ${unknown} not found`,
      });
      expect(
        (await get(`/v1/vaults/${alphaId}/items/${unknown}`)).json,
      ).toEqual({
        status: 404,
        message: `item ${unknown} not found`,
      });
      expect((await get('/v1/vaults/alpha')).json).toEqual({
        status: 400,
        message: 'Invalid Vault UUID',
      });
      expect((await get(`/v1/vaults/${alphaId}/items/DB`)).json).toEqual({
        status: 400,
        message: 'Invalid Item UUID',
      });
    });

    it('refuses writes with a read-only token', async () => {
      const response = await call(
        server.url,
        'DELETE',
        `/v1/vaults/${alphaId}/items/${dbId}`,
        {
          token: TEST_TOKENS.reader,
        },
      );
      expect(response.status).toBe(403);
      expect(server.store.findItem('alpha', 'db').id).toBe(dbId);
    });

    it('follows a change of a token scope at run time', async () => {
      server.tokens.setVaults('reader', ['secret']);
      const names = (await get('/v1/vaults')).json.map((v: any) => v.name);
      expect(names).toEqual(['secret']);
      expect((await get(`/v1/vaults/${alphaId}`)).status).toBe(403);
    });

    it('refuses a revoked token until it is restored', async () => {
      server.tokens.revoke('reader');
      expect((await get('/v1/vaults')).status).toBe(401);
      server.tokens.restore('reader');
      expect((await get('/v1/vaults')).status).toBe(200);
    });
  });

  describe('filters', () => {
    it('filters vaults by name or title', async () => {
      for (const attribute of ['name', 'title']) {
        const response = await get(
          `/v1/vaults?filter=${encodeURIComponent(`${attribute} eq "beta"`)}`,
        );
        expect(response.json.map((v: any) => v.name)).toEqual(['beta']);
      }
    });

    it('filters items by title and tag, with eq and co', async () => {
      const titles = async (filter: string) =>
        (
          await get(
            `/v1/vaults/${alphaId}/items?filter=${encodeURIComponent(filter)}`,
          )
        ).json
          .map((i: any) => i.title)
          .sort();
      expect(await titles('title eq "db"')).toEqual(['db']);
      expect(await titles('title co "e"')).toEqual(['api key']);
      expect(await titles('tag eq "prod"')).toEqual(['db']);
      expect(await titles('tag co "str"')).toEqual(['api key']);
      expect(await titles('title eq "db" or tag eq "stripe"')).toEqual([
        'api key',
        'db',
      ]);
    });

    it('answers 400 for a filter it cannot parse', async () => {
      const response = await get(
        `/v1/vaults?filter=${encodeURIComponent("name eq 'x'")}`,
      );
      expect(response.status).toBe(400);
      expect(response.json.message).toMatch(/^Invalid filter/);
    });
  });

  describe('items', () => {
    it('lists summaries without fields, sections or files', async () => {
      const [summary] = (
        await get(`/v1/vaults/${alphaId}/items?filter=title%20eq%20%22db%22`)
      ).json;
      expect(summary).toMatchObject({
        id: dbId,
        title: 'db',
        version: 3,
        vault: { id: alphaId },
      });
      expect(summary).not.toHaveProperty('fields');
      expect(summary).not.toHaveProperty('sections');
      expect(summary).not.toHaveProperty('files');
    });

    it('creates, replaces, patches and deletes with version and vault bookkeeping', async () => {
      const vaultBefore = (await get(`/v1/vaults/${alphaId}`)).json;
      const created = await call(
        server.url,
        'POST',
        `/v1/vaults/${alphaId}/items`,
        {
          token: TEST_TOKENS.writer,
          body: {
            title: 'new',
            category: 'PASSWORD',
            fields: [
              {
                purpose: 'PASSWORD',
                type: 'CONCEALED',
                label: 'password',
                generate: true,
                recipe: { length: 12, characterSets: ['DIGITS'] },
              },
            ],
          },
        },
      );
      expect(created.status).toBe(200);
      const item = created.json;
      expect(item).toMatchObject({
        title: 'new',
        version: 1,
        vault: { id: alphaId },
      });
      expect(item.id).toMatch(/^[a-z0-9]{26}$/);
      expect(item.fields[0].value).toMatch(/^\d{12}$/);
      expect(item.lastEditedBy).toEqual(expect.any(String));

      const vaultAfterCreate = (await get(`/v1/vaults/${alphaId}`)).json;
      expect(vaultAfterCreate.contentVersion).toBe(
        vaultBefore.contentVersion + 1,
      );
      expect(vaultAfterCreate.items).toBe(vaultBefore.items + 1);

      const replaced = await call(
        server.url,
        'PUT',
        `/v1/vaults/${alphaId}/items/${item.id}`,
        {
          token: TEST_TOKENS.writer,
          body: { ...item, title: 'renamed' },
        },
      );
      expect(replaced.json).toMatchObject({
        title: 'renamed',
        version: 2,
        createdAt: item.createdAt,
      });

      const fieldId = item.fields[0].id;
      const patched = await call(
        server.url,
        'PATCH',
        `/v1/vaults/${alphaId}/items/${item.id}`,
        {
          token: TEST_TOKENS.writer,
          body: [
            {
              op: 'replace',
              path: `/fields/${fieldId}/value`,
              value: 'patched-CANARY',
            },
            { op: 'add', path: '/tags', value: 'rotated' },
            {
              op: 'add',
              path: '/fields',
              value: { label: 'note', type: 'string', value: 'n-CANARY' },
            },
          ],
        },
      );
      expect(patched.status).toBe(200);
      expect(patched.json.version).toBe(3);
      expect(patched.json.tags).toEqual(['rotated']);
      expect(
        patched.json.fields.map((f: any) => [f.label, f.value, f.type]),
      ).toEqual([
        ['password', 'patched-CANARY', 'CONCEALED'],
        ['note', 'n-CANARY', 'STRING'],
      ]);

      const readOnly = await call(
        server.url,
        'PATCH',
        `/v1/vaults/${alphaId}/items/${item.id}`,
        {
          token: TEST_TOKENS.writer,
          body: [{ op: 'replace', path: '/version', value: 99 }],
        },
      );
      expect(readOnly.status).toBe(400);

      const deleted = await call(
        server.url,
        'DELETE',
        `/v1/vaults/${alphaId}/items/${item.id}`,
        {
          token: TEST_TOKENS.writer,
        },
      );
      expect(deleted.status).toBe(204);
      expect((await get(`/v1/vaults/${alphaId}/items/${item.id}`)).status).toBe(
        404,
      );
      expect((await get(`/v1/vaults/${alphaId}`)).json.contentVersion).toBe(
        vaultBefore.contentVersion + 4,
      );
    });

    it('generates a new value by recipe for a field patched to have none, as a rotation does', async () => {
      const before = server.store.getItem(alphaId, dbId)!;
      const oldValue = before.fields!.find(f => f.id === 'password')!.value;
      const rotate = (recipe: object) =>
        call(server.url, 'PATCH', `/v1/vaults/${alphaId}/items/${dbId}`, {
          token: TEST_TOKENS.writer,
          body: [
            { op: 'remove', path: '/fields/password/value' },
            { op: 'add', path: '/fields/password/generate', value: true },
            { op: 'add', path: '/fields/password/recipe', value: recipe },
          ],
        });
      const patched = await rotate({
        length: 20,
        characterSets: ['LETTERS', 'SYMBOLS'],
        excludeCharacters: 'aeiouAEIOU!',
      });
      expect(patched.status).toBe(200);
      expect(patched.json.version).toBe(before.version + 1);
      expect(Date.parse(patched.json.updatedAt)).toBeGreaterThanOrEqual(
        Date.parse(before.updatedAt!),
      );
      const after = server.store.getItem(alphaId, dbId)!;
      const password = after.fields!.find(f => f.id === 'password')!;
      expect(password.value).not.toBe(oldValue);
      expect(password.value).toHaveLength(20);
      expect(password.value).not.toMatch(/[0-9aeiouAEIOU!]/);
      expect(password.value).toMatch(/[A-Za-z]/);
      expect(password.value).toMatch(/[^A-Za-z]/);
      // The stored field is a plain value again: no later edit regenerates it.
      expect(password).not.toHaveProperty('generate');
      expect(password).not.toHaveProperty('recipe');
      expect(password.entropy).toBeGreaterThan(0);
      // The list the operator polls shows the new version.
      const summary = (await get(`/v1/vaults/${alphaId}/items`)).json.find(
        (item: any) => item.id === dbId,
      );
      expect(summary.version).toBe(after.version);

      const impossible = await rotate({
        characterSets: ['DIGITS'],
        excludeCharacters: '0123456789',
      });
      expect(impossible.status).toBe(400);
      expect(impossible.json.message).toMatch(/excludes every character/);
      expect(server.store.getItem(alphaId, dbId)!.version).toBe(after.version);
    });

    it('answers 400 for bad bodies', async () => {
      const post = (body: unknown, rawBody?: string) =>
        call(server.url, 'POST', `/v1/vaults/${alphaId}/items`, {
          token: TEST_TOKENS.writer,
          body,
          rawBody,
        });
      expect((await post(undefined, '{not json')).json).toEqual({
        status: 400,
        message: 'Invalid request body: not valid JSON',
      });
      expect((await post({ title: 'x', category: 'NOPE' })).json).toEqual({
        status: 400,
        message: 'Invalid item category',
      });
      expect(
        (
          await post({
            title: 'x',
            category: 'LOGIN',
            vault: { id: secretVaultId },
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await post({
            title: 'x',
            category: 'LOGIN',
            fields: [{ generate: true, recipe: { length: 65 } }],
          })
        ).json.message,
      ).toMatch(/recipe length/);
    });

    it('serves files and their content', async () => {
      const base = `/v1/vaults/${alphaId}/items/${dbId}/files`;
      const [file] = (await get(base)).json;
      expect(file).toMatchObject({
        name: 'cert.pem',
        size: 11,
        content_path: `v1/vaults/${alphaId}/items/${dbId}/files/${file.id}/content`,
      });
      expect(file).not.toHaveProperty('content');
      expect((await get(`${base}?inline_files=true`)).json[0].content).toBe(
        Buffer.from('cert-CANARY').toString('base64'),
      );
      const content = await get(`${base}/${file.id}/content`);
      expect(content.text).toBe('cert-CANARY');
      expect(content.headers['content-disposition']).toBe(
        'attachment; filename="cert.pem"',
      );
    });
  });

  describe('programmatic store handle', () => {
    it('edits an item like a person would', async () => {
      const before = (await get(`/v1/vaults/${alphaId}`)).json.contentVersion;
      const updated = server.store.updateItem('alpha', 'db', {
        fields: { password: 'rotated-CANARY' },
      });
      expect(updated.version).toBe(4);
      const item = (await get(`/v1/vaults/${alphaId}/items/${dbId}`)).json;
      expect(item.version).toBe(4);
      expect(item.fields.find((f: any) => f.label === 'password').value).toBe(
        'rotated-CANARY',
      );
      expect((await get(`/v1/vaults/${alphaId}`)).json.contentVersion).toBe(
        before + 1,
      );
      expect(() =>
        server.store.updateItem('alpha', 'db', { fields: { nope: 'x' } }),
      ).toThrow(/no field/);
      expect(() => server.store.updateItem('alpha', 'missing')).toThrow(
        /No item 'missing'/,
      );
    });

    it('moves an item to a new id in another vault', async () => {
      const moved = server.store.moveItem('alpha', 'api key', 'beta');
      expect(moved.id).not.toBe(server.store.findVault('alpha').id);
      expect(
        (await get(`/v1/vaults/${moved.vault.id}/items/${moved.id}`)).json
          .title,
      ).toBe('api key');
      expect(() => server.store.findItem('alpha', 'api key')).toThrow();
    });
  });

  describe('root endpoints', () => {
    it('answers heartbeat, health and metrics without a token', async () => {
      const heartbeat = await get('/heartbeat', null);
      expect([heartbeat.status, heartbeat.text]).toEqual([200, '.']);
      const health = await get('/health', null);
      expect(health.json).toMatchObject({
        name: '1Password Connect API',
        version: expect.any(String),
      });
      expect(health.json.dependencies.map((d: any) => d.service)).toContain(
        'sqlite',
      );
      const metrics = await get('/metrics', null);
      expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
      expect(metrics.text).toMatch(/^# HELP/);
      expect(heartbeat.headers['1password-connect-version']).toBeDefined();
    });

    it('pages the activity with Content-Range', async () => {
      for (let i = 0; i < 3; i++) {
        await get(`/v1/vaults/${alphaId}/items/${dbId}`);
      }
      const page = await get('/v1/activity?limit=2&offset=1');
      expect(page.headers['content-range']).toBe('2-3/3');
      expect(page.json).toHaveLength(2);
      expect(page.json[0]).toMatchObject({
        action: 'READ',
        result: 'SUCCESS',
        resource: {
          type: 'ITEM',
          vault: { id: alphaId },
          item: { id: dbId },
          itemVersion: 3,
        },
      });
    });
  });

  describe('faults and the control endpoints', () => {
    const control = (
      method: string,
      path: string,
      body?: unknown,
      token = server.adminToken,
    ) => call(server.url, method, `/__sandbox/${path}`, { token, body });

    it('answers 500 while error500 is on, and recovers', async () => {
      server.faults.set({ error500: true });
      expect((await get('/v1/vaults')).json).toEqual({
        status: 500,
        message: 'Something went wrong',
      });
      expect((await get('/heartbeat')).status).toBe(500);
      server.faults.clear();
      expect((await get('/v1/vaults')).status).toBe(200);
    });

    it("fails one vault's item list with vaultErrors, the others answer", async () => {
      server.faults.set({ vaultErrors: { alpha: 403 } });
      const denied = await get(`/v1/vaults/${alphaId}/items`);
      expect(denied.status).toBe(403);
      expect(denied.json.message).toMatch(/does not have access to vault/);
      expect((await get('/v1/vaults')).status).toBe(200);
      const beta = server.store.findVault('beta').id;
      expect((await get(`/v1/vaults/${beta}/items`)).status).toBe(200);
      server.faults.set({ vaultErrors: { [alphaId]: 502 } });
      expect((await get(`/v1/vaults/${alphaId}/items`)).status).toBe(502);
    });

    it('answers the next requests 503 with transientErrors, then recovers', async () => {
      server.faults.set({ transientErrors: 2 });
      expect((await get('/v1/vaults')).status).toBe(503);
      expect((await get('/v1/vaults')).status).toBe(503);
      expect((await get('/v1/vaults')).status).toBe(200);
    });

    it('lists items without version with omitItemVersions', async () => {
      server.faults.set({ omitItemVersions: true });
      const items = (await get(`/v1/vaults/${alphaId}/items`)).json;
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) expect(item).not.toHaveProperty('version');
    });

    it('reports a lagging sync in /health dependencies with a 200', async () => {
      server.faults.set({ syncLagging: true });
      const health = await get('/health', null);
      expect(health.status).toBe(200);
      expect(health.json.dependencies).toContainEqual(
        expect.objectContaining({ service: 'sync', status: 'NOT_SYNCED' }),
      );
    });

    it('drops connections while refuse is on', async () => {
      server.faults.set({ refuse: true });
      await expect(get('/v1/vaults')).rejects.toThrow(
        /socket hang up|ECONNRESET/,
      );
      expect(server.requestLog.at(-1)).toMatchObject({
        path: '/v1/vaults',
        status: 0,
      });
    });

    it('answers slowly with delayMs', async () => {
      server.faults.set({ delayMs: 300 });
      const started = Date.now();
      await get('/heartbeat');
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    });

    it('refuses connections while paused', async () => {
      await server.pause();
      await expect(get('/heartbeat')).rejects.toThrow(/ECONNREFUSED/);
      await server.resume();
      expect((await get('/heartbeat')).status).toBe(200);
    });

    it('switches faults and tokens over HTTP with the admin token only', async () => {
      expect(
        (await control('PUT', 'faults', { error500: true }, TEST_TOKENS.all))
          .status,
      ).toBe(401);
      expect((await control('PUT', 'faults', { error500: true })).json).toEqual(
        { error500: true },
      );
      expect((await get('/v1/vaults')).status).toBe(500);
      expect((await control('GET', 'faults')).json).toEqual({ error500: true });
      expect((await control('PATCH', 'faults', { delayMs: 5 })).json).toEqual({
        error500: true,
        delayMs: 5,
      });
      expect((await control('DELETE', 'faults')).json).toEqual({});
      expect(
        (await control('PUT', 'faults', { slow: 1 })).json.message,
      ).toMatch(/Unknown fault 'slow'/);

      expect((await control('POST', 'tokens/reader/revoke')).status).toBe(204);
      expect((await get('/v1/vaults')).status).toBe(401);
      expect((await control('POST', 'tokens/reader/restore')).status).toBe(204);
      expect((await get('/v1/vaults')).status).toBe(200);
      expect((await control('POST', 'tokens/ghost/revoke')).status).toBe(404);
    });

    it('edits items over HTTP without answering values', async () => {
      const response = await control('POST', 'vaults/alpha/items/db/edit', {
        fields: { password: 'new-CANARY' },
      });
      expect(response.json).toEqual({
        id: dbId,
        vault: { id: alphaId },
        version: 4,
        updatedAt: expect.any(String),
      });
      expect(response.text).not.toContain('CANARY');
    });

    it('counts requests per path', async () => {
      server.resetStats();
      await get('/v1/vaults');
      await get('/v1/vaults/');
      await get(`/v1/vaults/${alphaId}/items`);
      await control('GET', 'faults');
      expect(server.stats()).toEqual({
        total: 3,
        byPath: { 'GET /v1/vaults': 2, [`GET /v1/vaults/${alphaId}/items`]: 1 },
      });
      expect((await control('GET', 'stats')).json.total).toBe(3);
      expect(server.requestLog.map(entry => entry.tokenName)).toEqual([
        'reader',
        'reader',
        'reader',
      ]);
    });
  });
});
