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

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deterministicId } from '../connect/ids';
import { loadScenario } from './loadScenario';
import { parseScenario } from './parseScenario';
import { resolveScenarioTime } from './relativeTime';

const now = new Date('2026-03-01T00:00:00Z');

function minimal(overrides: Record<string, unknown> = {}) {
  return {
    name: 'test',
    connect: [
      {
        name: 'main',
        port: 0,
        tokens: [{ name: 'operator', token: 'op-token', vaults: ['payments'] }],
        vaults: [
          { name: 'payments', items: [{ title: 'db' }, { title: 'db' }] },
        ],
      },
    ],
    clusters: [
      {
        name: 'dev',
        port: 0,
        tokens: ['admin'],
        operator: { connectServer: 'main', connectToken: 'operator' },
        namespaces: [{ name: 'payments' }],
      },
    ],
    ...overrides,
  };
}

describe('resolveScenarioTime', () => {
  it.each([
    ['-2h', '2026-02-28T22:00:00.000Z'],
    ['-90s', '2026-02-28T23:58:30.000Z'],
    ['-1d12h', '2026-02-27T12:00:00.000Z'],
    ['+10m', '2026-03-01T00:10:00.000Z'],
    ['now', '2026-03-01T00:00:00.000Z'],
    ['2026-01-31T12:00:00+01:00', '2026-01-31T11:00:00.000Z'],
  ])('resolves %s', (input, expected) => {
    expect(resolveScenarioTime(input, now)).toBe(expected);
  });

  it.each(['2h', '-2x', 'yesterday', '2026-01-31'])('rejects %s', input => {
    expect(resolveScenarioTime(input, now)).toBeUndefined();
  });
});

describe('parseScenario', () => {
  it('derives stable ids from titles, distinct for duplicate titles', () => {
    const first = parseScenario(minimal(), { now });
    const second = parseScenario(minimal(), { now });
    const vault = first.connect[0].vaults[0];
    expect(vault.id).toBe(deterministicId('vault:main/payments'));
    expect(vault.id).toMatch(/^[a-z0-9]{26}$/);
    expect(vault.items.map(item => item.id)).toEqual(
      second.connect[0].vaults[0].items.map(item => item.id),
    );
    expect(new Set(vault.items.map(item => item.id)).size).toBe(2);
  });

  it('defaults missing lists', () => {
    const scenario = parseScenario({ name: 'x', connect: [] });
    expect(scenario.clusters).toEqual([]);
  });

  it('names a bad or missing top-level key', () => {
    expect(() => parseScenario({ ...minimal(), naem: 'x' }, { now })).toThrow(
      'naem: unknown key (expected one of name, connect, clusters)',
    );
    const { name: _name, ...nameless } = minimal();
    expect(() => parseScenario(nameless, { now })).toThrow('name: is required');
  });

  it.each([
    [
      (s: any) => (s.connect[0].tokens[0].valuts = ['x']),
      'connect[0].tokens[0].valuts: unknown key (expected one of name, token, vaults, write, revoked)',
    ],
    [
      (s: any) => (s.connect[0].tokens[0].vaults = ['nope']),
      'connect[0].tokens[0].vaults[0]: no vault "nope" on Connect server "main"',
    ],
    [
      (s: any) => (s.connect[0].vaults[0].items[0].updatedAt = 'yesterday'),
      'connect[0].vaults[0].items[0].updatedAt: expected a time',
    ],
    [
      (s: any) => (s.connect[0].vaults[0].items[0].version = 0),
      'connect[0].vaults[0].items[0].version: expected an integer from 1',
    ],
    [
      (s: any) => (s.connect[0].vaults[0].items[0].category = 'login'),
      'connect[0].vaults[0].items[0].category: expected one of LOGIN',
    ],
    [
      (s: any) => (s.connect[0].vaults[0].id = 'ABC'),
      'connect[0].vaults[0].id: expected 26 lowercase letters and digits',
    ],
    [
      (s: any) => (s.connect[0].port = 70000),
      'connect[0].port: expected an integer from 0 to 65535',
    ],
    [
      (s: any) => s.connect.push({ ...s.connect[0] }),
      'connect[1].name: duplicate Connect server name "main"',
    ],
    [
      (s: any) => (s.clusters[0].operator.connectServer = 'other'),
      'clusters[0].operator.connectServer: no Connect server "other"',
    ],
    [
      (s: any) => (s.clusters[0].operator.connectToken = 'ghost'),
      'clusters[0].operator.connectToken: no token named "ghost"',
    ],
    [
      (s: any) =>
        (s.clusters[0].namespaces[0].onePasswordItems = [
          { name: 'x', itemPath: 'payments/db' },
        ]),
      'itemPath: expected vaults/<vault>/items/<item>',
    ],
    [
      (s: any) => (s.clusters[0].namespaces[0].labels = { team: 3 }),
      'clusters[0].namespaces[0].labels.team: expected a string',
    ],
    [
      (s: any) => {
        s.connect[0].port = 8080;
        s.clusters[0].port = 8080;
      },
      'clusters[0].port: duplicate port "8080"',
    ],
  ])(
    'rejects bad entries with a message naming the key (%#)',
    (mutate, message) => {
      const data = minimal();
      mutate(data);
      expect(() => parseScenario(data, { now })).toThrow(message);
    },
  );
});

describe('loadScenario', () => {
  it('loads YAML files, naming the file in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-scenario-'));
    const good = join(dir, 'good.yaml');
    writeFileSync(
      good,
      'name: g\nconnect:\n  - name: main\n    port: 0\n    tokens: []\n    vaults: [{ name: v, createdAt: -1h }]\n',
    );
    expect(loadScenario(good, { now }).connect[0].vaults[0].createdAt).toBe(
      '2026-02-28T23:00:00.000Z',
    );

    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: b\nconnect: [{ name: main }]\n');
    expect(() => loadScenario(bad)).toThrow(
      `Scenario ${bad}: connect[0].port: is required`,
    );
    writeFileSync(bad, 'name: [');
    expect(() => loadScenario(bad)).toThrow(/is not valid YAML/);
    expect(() => loadScenario(join(dir, 'missing.yaml'))).toThrow(
      /No scenario/,
    );
  });
});
