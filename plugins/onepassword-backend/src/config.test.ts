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
import { normalizedOrigin, readOnePasswordConfig } from './config';

const server = { name: 'main', url: 'http://localhost:8080/', token: 't' };
const read = (onepassword: unknown) => () =>
  readOnePasswordConfig(new ConfigReader({ onepassword } as any));

describe('readOnePasswordConfig', () => {
  it('reads servers, defaults and cluster overrides', () => {
    const config = read({
      connect: { servers: [server] },
      clusters: {
        'dev-eu': { connectServer: 'main', namespaces: ['payments'] },
      },
    })();
    expect(config.servers).toEqual([
      {
        name: 'main',
        url: 'http://localhost:8080',
        token: 't',
        retry: { retries: 2, backoffMs: 250 },
      },
    ]);
    expect(config.pollSecondsPerSecret).toBe(0.2);
    expect(config.clusterNamespaces.get('dev-eu')).toEqual(['payments']);
    expect(config.refresh).toEqual({
      frequency: { seconds: 60 },
      timeout: { minutes: 5 },
    });
    expect(config.pollingIntervalSeconds).toBe(600);
    expect(config.clusterServers.get('dev-eu')).toBe('main');
    // Absent means none allowed: the scaffolder module reads it the same way.
    expect(config.allowedVaults).toEqual([]);
  });

  it('reads rotation rules and naming rules', () => {
    const config = read({
      connect: { servers: [server] },
      rotation: {
        maxAge: [
          { vaults: ['team-*'], categories: ['database'], maxAge: 'P30D' },
          { maxAge: { days: 90 } },
        ],
      },
      naming: {
        vaults: '{system}-{lifecycle}',
        connectServers: { regex: '^c' },
      },
    })();
    expect(config.rotation).toEqual([
      {
        vaults: ['team-*'],
        categories: ['DATABASE'],
        maxAgeMs: 30 * 24 * 3600 * 1000,
      },
      { vaults: null, categories: null, maxAgeMs: 90 * 24 * 3600 * 1000 },
    ]);
    expect(
      config.naming.vault?.expectedName({ system: 'pay', lifecycle: 'prod' }),
    ).toBe('pay-prod');
    expect(config.naming.connectServer?.description).toBe('/^c/');
    expect(config.naming.onePasswordItem).toBeUndefined();
  });

  it.each([
    [
      { rotation: { maxAge: [{ vaults: ['x'] }] } },
      "'onepassword.rotation.maxAge[0].maxAge': must be a duration",
    ],
    [
      { naming: { vaults: '{team}' } },
      'onepassword.naming.vaults uses the placeholder {team}; it may use {system}, {owner}, {name}, {namespace}, {lifecycle}',
    ],
    [
      { naming: { onePasswordItems: { regex: '(' } } },
      'onepassword.naming.onePasswordItems.regex is not a valid regular expression',
    ],
    [
      {
        refresh: { frequency: { cron: 'every monday' }, timeout: 'PT5M' },
      },
      "Invalid configuration at 'onepassword.refresh.frequency.cron': not a valid cron expression",
    ],
  ])('refuses bad rotation, naming and refresh config %j', (extra, message) => {
    expect(read({ connect: { servers: [server] }, ...extra })).toThrow(message);
  });

  it.each([
    [undefined, "Invalid configuration at 'onepassword'"],
    [
      { connect: { servers: [] } },
      "'onepassword.connect.servers': configure at least one",
    ],
    [
      { connect: { servers: [server] }, pollingIntervalSeconds: -1 },
      "'onepassword.pollingIntervalSeconds'",
    ],
    [
      {
        connect: { servers: [server] },
        operatorPoll: { secondsPerSecret: -1 },
      },
      "'onepassword.operatorPoll.secondsPerSecret'",
    ],
    [
      {
        connect: { servers: [server] },
        clusterWatch: { maxObjectsPerCollection: 0 },
      },
      "'onepassword.clusterWatch.maxObjectsPerCollection': must be a positive whole number",
    ],
    [
      {
        connect: { servers: [server] },
        clusters: { dev: { connectServer: 'other' } },
      },
      "'onepassword.clusters.dev.connectServer': 'other' is not a configured server (main)",
    ],
    [
      {
        connect: { servers: [server] },
        scaffolder: { allowedVaults: [{ server: 'x', vaults: ['*'] }] },
      },
      "'onepassword.scaffolder.allowedVaults[0].server'",
    ],
  ])('fails start-up naming the key (%#)', (data, message) => {
    expect(read(data)).toThrow(message);
  });
});

describe('normalizedOrigin', () => {
  it('treats localhost and 127.0.0.1 alike and fills default ports', () => {
    expect(normalizedOrigin('http://127.0.0.1:8080/v1')).toBe(
      normalizedOrigin('http://localhost:8080'),
    );
    expect(normalizedOrigin('https://connect.example')).toBe(
      'https://connect.example:443',
    );
    expect(normalizedOrigin('http://localhost:8081')).not.toBe(
      normalizedOrigin('http://localhost:8080'),
    );
    expect(normalizedOrigin('not a url')).toBeUndefined();
  });
});
