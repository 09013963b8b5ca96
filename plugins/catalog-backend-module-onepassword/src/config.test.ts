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
import { readVaultProviderConfig } from './config';

const servers = [
  { name: 'main', url: 'http://connect:8080/', token: 'a-token' },
];

describe('readVaultProviderConfig', () => {
  it('reads the servers, the owner as a full ref and the default schedule', () => {
    const config = readVaultProviderConfig(
      new ConfigReader({
        onepassword: { connect: { servers } },
        catalog: { providers: { onepassword: { defaultOwner: 'platform' } } },
      }),
    );
    expect(config).toEqual({
      servers: [{ name: 'main', url: 'http://connect:8080', token: 'a-token' }],
      defaultOwner: 'group:default/platform',
      schedule: { frequency: { minutes: 10 }, timeout: { minutes: 2 } },
    });
  });

  it('reads a configured schedule', () => {
    const config = readVaultProviderConfig(
      new ConfigReader({
        onepassword: { connect: { servers } },
        catalog: {
          providers: {
            onepassword: {
              defaultOwner: 'group:ops/platform',
              schedule: { frequency: { seconds: 30 }, timeout: { minutes: 1 } },
            },
          },
        },
      }),
    );
    expect(config.defaultOwner).toBe('group:ops/platform');
    expect(config.schedule.frequency).toEqual({ seconds: 30 });
  });

  it.each([
    [
      { onepassword: { connect: { servers } } },
      "Invalid configuration at 'catalog.providers.onepassword.defaultOwner': missing; name the platform group that owns vaults no single team claims, such as group:default/platform",
    ],
    [
      { catalog: { providers: { onepassword: { defaultOwner: 'platform' } } } },
      "Invalid configuration at 'onepassword.connect.servers': configure at least one Connect server whose vaults go into the catalog",
    ],
    [
      {
        onepassword: {
          connect: { servers: [{ ...servers[0], url: 'not a url' }] },
        },
        catalog: { providers: { onepassword: { defaultOwner: 'platform' } } },
      },
      "Invalid configuration at 'onepassword.connect.servers[0].url': 'not a url' is not a URL",
    ],
  ])('names the key that is wrong (%#)', (data, message) => {
    expect(() => readVaultProviderConfig(new ConfigReader(data))).toThrow(
      message,
    );
  });
});
