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
  coreServices,
  createBackendModule,
  createServiceFactory,
  LoggerService,
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { startSandbox, Sandbox } from '@internal/sandbox';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { parseAllDocuments } from 'yaml';
import catalogModuleOnePasswordVaults from './index';

jest.setTimeout(120_000);

/** Every log line, so the test sees the warning about a failing server. */
class CapturingLogger implements LoggerService {
  constructor(readonly lines: string[]) {}
  error(m: string) {
    this.lines.push(`error ${m}`);
  }
  warn(m: string) {
    this.lines.push(`warn ${m}`);
  }
  info(m: string) {
    this.lines.push(`info ${m}`);
  }
  debug() {}
  child() {
    return this;
  }
}

const ENTITIES = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-platform }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-payments }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-storefront }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
  annotations:
    backstage.io/kubernetes-id: payments-api
    1password.com/vaults: payments
spec: { type: service, lifecycle: production, owner: team-payments }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders-worker
  annotations:
    backstage.io/kubernetes-id: orders-worker
    1password.com/vaults: Payments
spec: { type: service, lifecycle: production, owner: team-payments }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout-web
  annotations:
    backstage.io/kubernetes-id: checkout-web
    1password.com/vaults: storefront
spec: { type: service, lifecycle: production, owner: team-storefront }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: identity-service
  annotations:
    backstage.io/kubernetes-id: identity-service
    1password.com/vaults: identity
spec: { type: service, lifecycle: production, owner: team-identity }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: identity-admin
  annotations:
    1password.com/vaults: identity
spec: { type: website, lifecycle: production, owner: team-storefront }
`;

/** The services and groups, as a location would give them. */
const staticEntities = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'test-entities',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addEntityProvider({
          getProviderName: () => 'test-entities',
          connect: async connection => {
            const location = 'url:https://example.com/entities.yaml';
            await connection.applyMutation({
              type: 'full',
              entities: parseAllDocuments(ENTITIES).map(doc => {
                const entity = doc.toJSON() as Entity;
                entity.metadata.annotations = {
                  ...entity.metadata.annotations,
                  'backstage.io/managed-by-location': location,
                  'backstage.io/managed-by-origin-location': location,
                };
                return { entity, locationKey: 'test-entities' };
              }),
            });
          },
        });
      },
    });
  },
});

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 60_000;
  let last: T;
  for (;;) {
    last = await read();
    if (done(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(last)}`);
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

const refs = (entity: Entity | undefined, type: string) =>
  (entity?.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef)
    .sort();

// The real catalog backend, the onepassword backend (which links records to
// the catalog's entities and serves /vault-usage) and this module, against
// the sandbox's Connect servers and clusters over HTTP. The demo scenario's
// `legacy` Connect server answers 500 from the start.
describe('catalogModuleOnePasswordVaults', () => {
  let sandbox: Sandbox;
  let stateDir: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let scheduler: SchedulerService;
  const logLines: string[] = [];

  beforeAll(async () => {
    const flags = `${process.env.NODE_OPTIONS} ${process.execArgv.join(' ')}`;
    if (!flags.includes('--experimental-vm-modules')) {
      throw new Error(
        'Run this test with NODE_OPTIONS=--experimental-vm-modules',
      );
    }
    stateDir = mkdtempSync(join(tmpdir(), 'onepassword-vaults-'));
    sandbox = await startSandbox('demo', { anyPorts: true, stateDir });
    const mockScheduler = mockServices.scheduler() as SchedulerService & {
      factory(options: { skipTaskRunOnStartup?: boolean }): ServiceFactory;
    };
    scheduler = mockScheduler;
    backend = await startTestBackend({
      features: [
        import('@backstage/plugin-catalog-backend'),
        catalogModuleOnePasswordVaults,
        staticEntities,
        // The backend whose records the relations come from, installed
        // beside the module as in an app; the module only calls its HTTP API.
        // eslint-disable-next-line @backstage/no-mixed-plugin-imports
        import('@secret-sync/backstage-plugin-onepassword-backend'),
        import('@backstage/plugin-kubernetes-backend'),
        mockScheduler.factory({ skipTaskRunOnStartup: true }),
        createServiceFactory({
          service: coreServices.logger,
          deps: {},
          factory: () => new CapturingLogger(logLines),
        }),
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Component', 'Group', 'Resource'] }],
              providers: {
                onepassword: {
                  defaultOwner: 'team-platform',
                  schedule: {
                    frequency: { trigger: 'manual' },
                    timeout: { minutes: 1 },
                  },
                },
              },
            },
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: sandbox.clusters.map(cluster => ({
                    name: cluster.name,
                    url: cluster.url,
                    authProvider: 'serviceAccount',
                    serviceAccountToken: `sandbox-k8s-${cluster.name}-reader`,
                    caData: cluster.caData,
                    skipMetricsLookup: true,
                  })),
                },
              ],
            },
            onepassword: {
              connect: {
                servers: [
                  {
                    name: 'main',
                    url: sandbox.connectServer('main').url,
                    token: 'sandbox-connect-main-backstage',
                  },
                  {
                    name: 'legacy',
                    url: sandbox.connectServer('legacy').url,
                    token: 'sandbox-connect-legacy-backstage',
                  },
                ],
                retry: { retries: 0, backoffMs: 0 },
              },
              refresh: {
                frequency: { trigger: 'manual' },
                timeout: { minutes: 1 },
              },
              clusterWatch: { enabled: false, refreshDelay: false },
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const catalogUrl = () =>
    `http://localhost:${backend.server.port()}/api/catalog`;

  async function getEntities(filter: string): Promise<Entity[]> {
    const response = await fetch(
      `${catalogUrl()}/entities/by-query?${filter}&limit=100`,
      { headers: { Authorization: mockCredentials.user.header() } },
    );
    if (!response.ok) throw new Error(`catalog answered ${response.status}`);
    return (await response.json()).items;
  }
  const vaults = () =>
    getEntities('filter=kind=resource,spec.type=1password-vault');
  const byTitle = (entities: Entity[], title: string) =>
    entities.find(e => e.metadata.title === title);

  it('publishes the vaults with owners, and dependsOn from the services synced from them', async () => {
    await eventually(
      () => getEntities('filter=kind=component'),
      items => items.length === 5,
      'the catalog to hold the services',
    );
    await scheduler.triggerTask('onepassword-refresh');
    await scheduler.triggerTask('onepassword-vaults:refresh');

    const published = await eventually(
      vaults,
      items =>
        refs(byTitle(items, 'payments'), 'dependencyOf').length === 2 &&
        items.every(e => refs(e, 'ownedBy').length === 1),
      'the vault entities and their relations',
    );
    // Backstage's token on `main` sees these; `legacy` answers 500.
    expect(published.map(e => e.metadata.title).sort()).toEqual([
      'identity',
      'payments',
      'platform',
      'storefront',
      'team-sandbox',
    ]);
    const payments = byTitle(published, 'payments')!;
    expect(payments.metadata.name).toBe(
      `1password-vault-${
        payments.metadata.annotations!['1password.com/vault-id']
      }`,
    );
    expect(payments.metadata.annotations).toMatchObject({
      '1password.com/connect-servers': 'main',
      'backstage.io/managed-by-location': 'onepassword-connect:main',
    });
    expect(payments.metadata.description).toBe('Payments team credentials');
    expect(refs(payments, 'ownedBy')).toEqual(['group:default/team-payments']);
    expect(refs(payments, 'dependencyOf')).toEqual([
      'component:default/orders-worker',
      'component:default/payments-api',
    ]);
    // checkout-web's Secret comes from storefront even though its operator
    // lost the vault: the record is stale, the dependency is real.
    expect(refs(byTitle(published, 'storefront'), 'dependencyOf')).toEqual([
      'component:default/checkout-web',
    ]);
    // identity is claimed by team-identity and team-storefront: the platform's.
    const identity = byTitle(published, 'identity')!;
    expect(refs(identity, 'ownedBy')).toEqual(['group:default/team-platform']);
    expect(identity.metadata.annotations!['1password.com/owner-claims']).toBe(
      'group:default/team-identity,group:default/team-storefront',
    );
    // Nobody claims team-sandbox.
    expect(refs(byTitle(published, 'team-sandbox'), 'ownedBy')).toEqual([
      'group:default/team-platform',
    ]);
    // No item, and so no value, is ever part of an entity.
    expect(JSON.stringify(published)).not.toContain('CANARY');

    const [service] = await eventually(
      () => getEntities('filter=kind=component,metadata.name=payments-api'),
      items => refs(items[0], 'dependsOn').length === 1,
      'the reverse relation on the service',
    );
    expect(refs(service, 'dependsOn')).toEqual([
      `resource:default/${payments.metadata.name}`,
    ]);

    expect(logLines).toContainEqual(
      expect.stringMatching(
        /^warn Could not list the vaults of 1Password Connect server 'legacy' \(status 500.*keeping the 0 vault entities/,
      ),
    );
  });

  it('keeps the vaults of a server that cannot be read', async () => {
    const main = sandbox.connectServer('main');
    main.faults.set({ error500: true });
    try {
      logLines.length = 0;
      await scheduler.triggerTask('onepassword-vaults:refresh');
      expect(logLines).toContainEqual(
        expect.stringMatching(
          /^warn Could not list the vaults of 1Password Connect server 'main' .*keeping the 5 vault entities last read from it$/,
        ),
      );
      const kept = await vaults();
      expect(kept).toHaveLength(5);
      expect(refs(byTitle(kept, 'payments'), 'dependencyOf')).toHaveLength(2);
    } finally {
      main.faults.clear();
    }
  });
});
