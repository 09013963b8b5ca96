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

import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import {
  call,
  startTestConnectServer,
  TEST_TOKENS,
  TestResponse,
} from '../__testUtils__/connectFixtures';
import { ConnectServer } from './ConnectServer';

const spec = parse(
  readFileSync(
    resolve(__dirname, '__fixtures__/connect-api-1.7.1.openapi.yaml'),
    'utf8',
  ),
);

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('binary', true);
ajv.addSchema(spec, 'connect');

/** The schema the contract declares for one answer, or ErrorResponse for undeclared errors. */
function responseSchema(template: string, method: string, status: number) {
  const operation = spec.paths[template]?.[method.toLowerCase()];
  if (!operation) {
    throw new Error(`The contract has no ${method} ${template}`);
  }
  const declared = operation.responses[String(status)];
  if (!declared) {
    if (status >= 400) {
      return { $ref: 'connect#/components/schemas/ErrorResponse' };
    }
    throw new Error(
      `The contract declares no ${status} for ${method} ${template}`,
    );
  }
  const schema = declared.content?.['application/json']?.schema;
  return schema && resolveRefs(schema);
}

function resolveRefs(schema: any): any {
  return JSON.parse(
    JSON.stringify(schema).replace(/"\$ref":"#\//g, '"$ref":"connect#/'),
  );
}

describe('Connect responses against the 1.7.1 contract', () => {
  let server: ConnectServer;
  const checked: string[] = [];

  beforeAll(async () => {
    server = await startTestConnectServer();
  });

  afterAll(async () => {
    await server.stop();
  });

  async function check(
    template: string,
    method: string,
    path: string,
    options: { token?: string | null; body?: unknown; expectStatus: number },
  ): Promise<TestResponse> {
    const apiPath = ['/heartbeat', '/health', '/metrics'].includes(template)
      ? path
      : `/v1${path}`;
    const token =
      options.token === null ? undefined : options.token ?? TEST_TOKENS.all;
    const response = await call(server.url, method, apiPath, {
      token,
      body: options.body,
    });
    expect({ path: `${method} ${apiPath}`, status: response.status }).toEqual({
      path: `${method} ${apiPath}`,
      status: options.expectStatus,
    });
    const schema = responseSchema(template, method, response.status);
    if (schema) {
      const valid = ajv.validate(schema, response.json);
      expect({
        path: `${method} ${apiPath}`,
        errors: ajv.errors ?? null,
        valid,
      }).toEqual({
        path: `${method} ${apiPath}`,
        errors: null,
        valid: true,
      });
    }
    checked.push(`${method} ${template} ${response.status}`);
    return response;
  }

  it('has a validator that rejects answers breaking the contract', () => {
    expect(
      ajv.validate(responseSchema('/vaults/{vaultUuid}', 'GET', 200), {
        id: 'NOT-AN-ID',
      }),
    ).toBe(false);
    expect(
      ajv.validate(responseSchema('/vaults', 'GET', 401), { status: '401' }),
    ).toBe(false);
  });

  it('validates every endpoint, success and error answers', async () => {
    const vault = server.store.findVault('alpha').id;
    const hidden = server.store.findVault('secret').id;
    const item = server.store.findItem('alpha', 'db');
    const file = item.files![0].id;
    const missing = 'q'.repeat(26);
    const V = '/vaults/{vaultUuid}';
    const I = `${V}/items/{itemUuid}`;

    await check('/vaults', 'GET', '/vaults', { expectStatus: 200 });
    await check('/vaults', 'GET', '/vaults?filter=name%20eq%20%22alpha%22', {
      expectStatus: 200,
    });
    await check('/vaults', 'GET', '/vaults', {
      token: 'bad',
      expectStatus: 401,
    });
    await check(V, 'GET', `/vaults/${vault}`, { expectStatus: 200 });
    await check(V, 'GET', `/vaults/${hidden}`, {
      token: TEST_TOKENS.reader,
      expectStatus: 403,
    });
    await check(V, 'GET', `/vaults/${missing}`, { expectStatus: 404 });
    await check(V, 'GET', `/vaults/not-an-id`, { expectStatus: 400 });

    await check(`${V}/items`, 'GET', `/vaults/${vault}/items`, {
      expectStatus: 200,
    });
    await check(
      `${V}/items`,
      'GET',
      `/vaults/${vault}/items?filter=tag%20eq%20%22prod%22`,
      { expectStatus: 200 },
    );
    await check(`${V}/items`, 'GET', `/vaults/${missing}/items`, {
      expectStatus: 404,
    });
    await check(`${V}/items`, 'GET', `/vaults/${vault}/items`, {
      token: null,
      expectStatus: 401,
    });

    const created = await check(
      `${V}/items`,
      'POST',
      `/vaults/${vault}/items`,
      {
        body: {
          title: 'conformance',
          category: 'LOGIN',
          sections: [{ id: 'extra', label: 'Extra' }],
          fields: [
            { label: 'username', purpose: 'USERNAME', value: 'u-CANARY' },
            {
              label: 'password',
              purpose: 'PASSWORD',
              generate: true,
              recipe: { length: 20, characterSets: ['SYMBOLS'] },
            },
            {
              label: 'pin',
              section: { id: 'extra' },
              type: 'CONCEALED',
              value: '1234-CANARY',
            },
          ],
          urls: [{ href: 'https://example.com', primary: true }],
          tags: ['conformance'],
        },
        expectStatus: 200,
      },
    );
    const createdId = created.json.id;
    await check(`${V}/items`, 'POST', `/vaults/${vault}/items`, {
      body: { category: 'NOPE' },
      expectStatus: 400,
    });
    await check(`${V}/items`, 'POST', `/vaults/${vault}/items`, {
      token: TEST_TOKENS.reader,
      body: { category: 'LOGIN' },
      expectStatus: 403,
    });
    await check(`${V}/items`, 'POST', `/vaults/${missing}/items`, {
      body: { category: 'LOGIN' },
      expectStatus: 404,
    });

    await check(I, 'GET', `/vaults/${vault}/items/${item.id}`, {
      expectStatus: 200,
    });
    await check(I, 'GET', `/vaults/${vault}/items/${missing}`, {
      expectStatus: 404,
    });
    await check(I, 'GET', `/vaults/${hidden}/items/${missing}`, {
      token: TEST_TOKENS.reader,
      expectStatus: 403,
    });
    await check(I, 'PUT', `/vaults/${vault}/items/${createdId}`, {
      body: { ...created.json, title: 'conformance 2' },
      expectStatus: 200,
    });
    await check(I, 'PUT', `/vaults/${vault}/items/${createdId}`, {
      body: { title: 'no category' },
      expectStatus: 400,
    });
    await check(I, 'PATCH', `/vaults/${vault}/items/${createdId}`, {
      body: [{ op: 'replace', path: '/favorite', value: true }],
      expectStatus: 200,
    });
    await check(I, 'PATCH', `/vaults/${vault}/items/${missing}`, {
      body: [{ op: 'replace', path: '/favorite', value: true }],
      expectStatus: 404,
    });
    await check(I, 'DELETE', `/vaults/${vault}/items/${createdId}`, {
      expectStatus: 204,
    });
    await check(I, 'DELETE', `/vaults/${vault}/items/${createdId}`, {
      expectStatus: 404,
    });

    await check(
      `${I}/files`,
      'GET',
      `/vaults/${vault}/items/${item.id}/files`,
      { expectStatus: 200 },
    );
    await check(
      `${I}/files`,
      'GET',
      `/vaults/${vault}/items/${item.id}/files?inline_files=true`,
      { expectStatus: 200 },
    );
    await check(
      `${I}/files`,
      'GET',
      `/vaults/${vault}/items/${missing}/files`,
      { expectStatus: 404 },
    );
    await check(
      `${I}/files/{fileUuid}`,
      'GET',
      `/vaults/${vault}/items/${item.id}/files/${file}`,
      { expectStatus: 200 },
    );
    await check(
      `${I}/files/{fileUuid}`,
      'GET',
      `/vaults/${vault}/items/${item.id}/files/${missing}`,
      { expectStatus: 404 },
    );
    const content = await check(
      `${I}/files/{fileUuid}/content`,
      'GET',
      `/vaults/${vault}/items/${item.id}/files/${file}/content`,
      {
        expectStatus: 200,
      },
    );
    expect(content.headers['content-type']).toBe('application/octet-stream');
    await check(
      `${I}/files/{fileUuid}/content`,
      'GET',
      `/vaults/${vault}/items/${item.id}/files/${missing}/content`,
      {
        expectStatus: 404,
      },
    );

    const activity = await check('/activity', 'GET', '/activity?limit=5', {
      expectStatus: 200,
    });
    expect(activity.headers['content-range']).toMatch(/^1-5\/\d+$/);
    await check('/activity', 'GET', '/activity', {
      token: null,
      expectStatus: 401,
    });

    const heartbeat = await check('/heartbeat', 'GET', '/heartbeat', {
      token: null,
      expectStatus: 200,
    });
    expect(heartbeat.text).toBe('.');
    await check('/health', 'GET', '/health', {
      token: null,
      expectStatus: 200,
    });
    await check('/metrics', 'GET', '/metrics', {
      token: null,
      expectStatus: 200,
    });

    const operations = Object.entries(spec.paths).flatMap(([template, ops]) =>
      Object.keys(ops as object)
        .filter(method =>
          ['get', 'post', 'put', 'patch', 'delete'].includes(method),
        )
        .map(method => `${method.toUpperCase()} ${template}`),
    );
    const covered = new Set(
      checked.map(entry => entry.split(' ').slice(0, 2).join(' ')),
    );
    expect(operations.filter(operation => !covered.has(operation))).toEqual([]);
  });
});
