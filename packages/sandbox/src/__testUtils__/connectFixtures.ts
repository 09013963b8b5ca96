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

import { request as httpRequest } from 'node:http';
import { ConnectServer } from '../connect/ConnectServer';
import { parseScenario } from '../scenario/parseScenario';
import { ConnectServerSpec } from '../scenario/types';

/** Token values of {@link testConnectSpec}. */
export const TEST_TOKENS = {
  reader: 'test-reader-token',
  writer: 'test-writer-token',
  all: 'test-all-token',
} as const;

/** A small Connect server: vaults alpha (2 items), beta (1 item), secret (1 item). */
export function testConnectSpec(): ConnectServerSpec {
  const scenario = parseScenario({
    name: 'test',
    connect: [
      {
        name: 'test',
        port: 0,
        tokens: [
          {
            name: 'reader',
            token: TEST_TOKENS.reader,
            vaults: ['alpha', 'beta'],
          },
          {
            name: 'writer',
            token: TEST_TOKENS.writer,
            vaults: ['alpha'],
            write: true,
          },
          { name: 'all', token: TEST_TOKENS.all, vaults: '*', write: true },
        ],
        vaults: [
          {
            name: 'alpha',
            items: [
              {
                title: 'db',
                category: 'LOGIN',
                tags: ['postgres', 'prod'],
                version: 3,
                updatedAt: '-2h',
                fields: [
                  {
                    label: 'username',
                    purpose: 'USERNAME',
                    value: 'user-CANARY',
                  },
                  {
                    label: 'password',
                    purpose: 'PASSWORD',
                    value: 'pw-CANARY-1',
                  },
                ],
                urls: [{ primary: true, href: 'https://db.example.com' }],
                files: [{ name: 'cert.pem', content: 'cert-CANARY' }],
              },
              {
                title: 'api key',
                category: 'API_CREDENTIAL',
                tags: ['stripe'],
                fields: [
                  {
                    label: 'credential',
                    type: 'CONCEALED',
                    value: 'key-CANARY',
                  },
                ],
              },
            ],
          },
          {
            name: 'beta',
            items: [{ title: 'db', category: 'PASSWORD', fields: [] }],
          },
          {
            name: 'secret',
            items: [{ title: 'vault-key', category: 'PASSWORD', fields: [] }],
          },
        ],
      },
    ],
  });
  return scenario.connect[0];
}

export async function startTestConnectServer(
  clock?: () => Date,
): Promise<ConnectServer> {
  return ConnectServer.start({ spec: testConnectSpec(), port: 0, clock });
}

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/**
 * A plain HTTP request to 127.0.0.1 (the Backstage jest setup blocks fetch and
 * name lookups, not local sockets).
 */
export function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string } = {},
): Promise<TestResponse> {
  const url = new URL(path, baseUrl);
  const body =
    options.rawBody ??
    (options.body === undefined ? undefined : JSON.stringify(options.body));
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method,
        headers: {
          ...(options.token
            ? { authorization: `Bearer ${options.token}` }
            : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        agent: false,
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
