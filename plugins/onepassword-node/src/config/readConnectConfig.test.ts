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
import { readAllowedVaults, readConnectServers } from './readConnectConfig';

const server = { name: 'main', url: 'http://localhost:8080/', token: 't' };
const config = (onepassword: unknown) =>
  new ConfigReader({ onepassword } as any);
const read = (onepassword: unknown) => () =>
  readConnectServers(config(onepassword));

describe('readConnectServers', () => {
  it('reads servers without a trailing slash, with the default retry', () => {
    expect(read({ connect: { servers: [server] } })()).toEqual([
      {
        name: 'main',
        url: 'http://localhost:8080',
        token: 't',
        retry: { retries: 2, backoffMs: 250 },
      },
    ]);
  });

  it('reads no servers as none, leaving the caller to decide', () => {
    expect(read(undefined)()).toEqual([]);
    expect(read({ connect: { servers: [] } })()).toEqual([]);
  });

  it.each([
    [
      { connect: { servers: [{ ...server, url: 'ftp://x' }] } },
      "'onepassword.connect.servers[0].url': 'ftp://x' must be http or https",
    ],
    [
      { connect: { servers: [{ ...server, url: 'nope' }] } },
      "'onepassword.connect.servers[0].url': 'nope' is not a URL",
    ],
    [
      { connect: { servers: [server, server] } },
      "'onepassword.connect.servers[1].name': duplicate server name 'main'",
    ],
    [
      { connect: { servers: [server], retry: { retries: 99 } } },
      "'onepassword.connect.retry.retries'",
    ],
  ])('fails naming the key (%#)', (data, message) => {
    expect(read(data)).toThrow(message);
  });

  it('names a missing token', () => {
    expect(
      read({ connect: { servers: [{ name: 'main', url: 'http://x' }] } }),
    ).toThrow(/onepassword\.connect\.servers\[0\]\.token/);
  });
});

describe('readAllowedVaults', () => {
  it('reads absent as none allowed', () => {
    const onepassword = { connect: { servers: [server] } };
    expect(
      readAllowedVaults(config(onepassword), {
        servers: readConnectServers(config(onepassword)),
      }),
    ).toEqual([]);
  });

  it('reads entries as they are when not given the servers', () => {
    const onepassword = {
      scaffolder: { allowedVaults: [{ server: 'x', vaults: ['team-*'] }] },
    };
    expect(readAllowedVaults(config(onepassword))).toEqual([
      { server: 'x', vaults: ['team-*'] },
    ]);
  });

  it('names an entry whose server is not configured', () => {
    const onepassword = {
      connect: { servers: [server] },
      scaffolder: { allowedVaults: [{ server: 'x', vaults: ['*'] }] },
    };
    expect(() =>
      readAllowedVaults(config(onepassword), {
        servers: readConnectServers(config(onepassword)),
      }),
    ).toThrow("'onepassword.scaffolder.allowedVaults[0].server'");
  });
});
