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

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { loadScenario } from './loadScenario';

const repoRoot = resolve(__dirname, '../../../..');

/** The shipped demo must agree with the app's configuration and catalog. */
describe('the demo scenario', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  const demo = loadScenario('demo', { now });
  const appConfig = parse(
    readFileSync(resolve(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  const entities = parseAllDocuments(
    readFileSync(resolve(repoRoot, 'examples/entities.yaml'), 'utf8'),
  ).map(doc => doc.toJSON());

  it('has the Connect servers, ports and Backstage tokens of app-config.yaml', () => {
    const configured = appConfig.onepassword.connect.servers as Array<{
      name: string;
      url: string;
      token: string;
    }>;
    expect(demo.connect.map(server => server.name)).toEqual(
      configured.map(server => server.name),
    );
    for (const server of configured) {
      const spec = demo.connect.find(
        candidate => candidate.name === server.name,
      )!;
      expect(new URL(server.url).port).toBe(String(spec.port));
      expect(spec.tokens.map(token => token.token)).toContain(server.token);
    }
  });

  it('has the clusters, ports and reader tokens of app-config.yaml', () => {
    const configured = appConfig.kubernetes.clusterLocatorMethods[0]
      .clusters as Array<{
      name: string;
      url: string;
      serviceAccountToken: string;
    }>;
    expect(demo.clusters.map(cluster => cluster.name)).toEqual(
      configured.map(cluster => cluster.name),
    );
    for (const cluster of configured) {
      const spec = demo.clusters.find(
        candidate => candidate.name === cluster.name,
      )!;
      expect(new URL(cluster.url).port).toBe(String(spec.port));
      expect(spec.tokens).toContain(cluster.serviceAccountToken);
    }
  });

  it('runs every annotated service of examples/entities.yaml, and only those', () => {
    const services = entities
      .filter(entity => entity.kind === 'Component')
      .map(
        entity => entity.metadata.annotations?.['backstage.io/kubernetes-id'],
      )
      .filter(Boolean)
      .sort();
    const labelled = new Set<string>();
    for (const cluster of demo.clusters) {
      for (const namespace of cluster.namespaces) {
        for (const object of [
          ...(namespace.onePasswordItems ?? []),
          ...(namespace.deployments ?? []),
        ]) {
          const id = object.labels?.['backstage.io/kubernetes-id'];
          if (id) labelled.add(id);
        }
      }
    }
    expect([...labelled].sort()).toEqual(services);
  });

  it('gives tokens the access the statuses depend on', () => {
    const main = demo.connect.find(server => server.name === 'main')!;
    const token = (name: string) =>
      main.tokens.find(candidate => candidate.name === name)!;
    expect(token('backstage').vaults).not.toContain('finance-restricted');
    expect(token('backstage').write).toBe(true);
    expect(token('operator-dev-eu').vaults).toEqual([
      'payments',
      'identity',
      'platform',
    ]);
    expect(token('operator-prod-us').vaults).toBe('*');
    expect(
      demo.connect.find(server => server.name === 'legacy')!.faults,
    ).toEqual({ error500: true });
  });

  it('resolves relative times against the start time', () => {
    const stripe = demo.connect[0].vaults
      .find(vault => vault.name === 'payments')!
      .items.find(item => item.title === 'orders-stripe-key')!;
    expect(stripe.updatedAt).toBe('2026-06-01T11:58:00.000Z');
    expect(stripe.version).toBe(3);
  });

  it('only holds fake values marked CANARY', () => {
    const values = demo.connect.flatMap(server =>
      server.vaults.flatMap(vault =>
        vault.items.flatMap(item =>
          (item.fields ?? []).map(field => field.value),
        ),
      ),
    );
    expect(values.length).toBeGreaterThan(10);
    expect(values.filter(value => !value?.includes('CANARY'))).toEqual([]);
  });
});
