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

import { generateScenario, parseGenerateOptions } from './generateScenario';
import { parseScenario } from './parseScenario';

describe('generateScenario', () => {
  it('spreads items over vaults, services and clusters, with ports 0', () => {
    const scenario = parseScenario(
      generateScenario({ services: 6, items: 20, clusters: 3, vaults: 4 }),
    );
    expect(scenario.connect).toHaveLength(1);
    expect(scenario.connect[0].port).toBe(0);
    expect(scenario.connect[0].vaults.map(vault => vault.items.length)).toEqual(
      [5, 5, 5, 5],
    );
    expect(scenario.clusters.map(cluster => cluster.port)).toEqual([0, 0, 0]);
    expect(scenario.clusters.map(cluster => cluster.namespaces.length)).toEqual(
      [2, 2, 2],
    );
    const opis = scenario.clusters.flatMap(cluster =>
      cluster.namespaces.flatMap(namespace => namespace.onePasswordItems ?? []),
    );
    expect(opis).toHaveLength(20);
    const items = new Set(
      scenario.connect[0].vaults.flatMap(vault =>
        vault.items.map(item => `vaults/${vault.name}/items/${item.title}`),
      ),
    );
    expect(opis.every(opi => items.has(opi.itemPath))).toBe(true);
    expect(opis.every(opi => opi.labels?.['backstage.io/kubernetes-id'])).toBe(
      true,
    );
  });

  // How fast it builds is the benchmark's to measure (test/bench), not a test's.
  it('is deterministic and builds a valid scenario at the design scale', () => {
    const big = generateScenario({
      services: 5000,
      items: 20000,
      clusters: 50,
      vaults: 100,
    });
    const parsed = parseScenario(big);
    expect(parsed.clusters).toHaveLength(50);
    expect(parsed.connect.flatMap(c => c.vaults)).toHaveLength(100);
    expect(
      JSON.stringify(
        generateScenario({ services: 2, items: 3, clusters: 1, vaults: 1 }),
      ),
    ).toBe(
      JSON.stringify(
        generateScenario({ services: 2, items: 3, clusters: 1, vaults: 1 }),
      ),
    );
  });

  it('rejects non-positive sizes', () => {
    expect(() =>
      generateScenario({ services: 0, items: 1, clusters: 1, vaults: 1 }),
    ).toThrow(/services must be a positive integer/);
  });
});

describe('parseGenerateOptions', () => {
  it('reads the CLI syntax with defaults', () => {
    expect(parseGenerateOptions('services=5,items=9')).toEqual({
      services: 5,
      items: 9,
      clusters: 2,
      vaults: 4,
    });
    expect(() => parseGenerateOptions('pods=3')).toThrow(/unknown size 'pods'/);
    expect(() => parseGenerateOptions('items=x')).toThrow(
      /items must be a positive integer/,
    );
  });
});
