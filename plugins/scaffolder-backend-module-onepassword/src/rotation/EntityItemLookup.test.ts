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

import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { OnePasswordBackendItemLookup } from './EntityItemLookup';

describe('OnePasswordBackendItemLookup', () => {
  let server: Server;
  let baseUrl: string;
  const requests: Array<{ url?: string; authorization?: string }> = [];
  let answer: { status: number; body: unknown };

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push({
        url: req.url,
        authorization: req.headers.authorization,
      });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/onepassword`;
  });

  afterAll(() => new Promise(resolve => server.close(resolve)));

  const lookup = () =>
    OnePasswordBackendItemLookup.create({
      discovery: {
        getBaseUrl: async () => baseUrl,
        getExternalBaseUrl: async () => baseUrl,
      },
      auth: mockServices.auth(),
    });

  it("asks the backend for the entity's Secrets on behalf of the initiator, and keeps their item ids", async () => {
    answer = {
      status: 200,
      body: {
        items: [
          { vaultId: 'v1', itemId: 'i1' },
          { vaultId: null, itemId: null },
        ],
      },
    };
    const items = await lookup().syncedItems(
      'component:default/payments-api',
      mockCredentials.user('user:default/alice'),
    );
    expect(items).toEqual([{ vaultId: 'v1', itemId: 'i1' }]);
    expect(requests.at(-1)).toEqual({
      url: '/api/onepassword/entities/default/component/payments-api/secrets',
      authorization: expect.stringMatching(/^Bearer /),
    });
  });

  it.each([
    [403, 'NotAllowedError', "permission 'onepassword.secrets.read'"],
    [404, 'NotFoundError', "No entity 'component:default/payments-api'"],
    [500, 'ServiceUnavailableError', 'answered 500'],
  ])('turns a %s into a %s', async (status, name, message) => {
    answer = { status, body: { error: { message: 'x' } } };
    const error = await lookup()
      .syncedItems(
        'component:default/payments-api',
        mockCredentials.user('user:default/alice'),
      )
      .catch(e => e);
    expect(error.name).toBe(name);
    expect(error.message).toContain(message);
  });
});
