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

import { ClusterFacts, DeploymentResource } from '../kubernetes/types';
import {
  collectSyncedSecrets,
  findOperator,
  lastOperatorWrite,
  secretNameFor,
  secretsUsedBy,
} from './collectSyncedSecrets';

const VAULT = 'aaaaaaaaaaaaaaaaaaaaaaaaaa';
const ITEM = 'bbbbbbbbbbbbbbbbbbbbbbbbbb';

const operatorDeployment: DeploymentResource = {
  metadata: { name: 'onepassword-connect-operator', namespace: 'onepassword' },
  spec: {
    template: {
      spec: {
        containers: [
          {
            image: 'docker.io/1password/onepassword-operator:1.12.0',
            env: [
              { name: 'POLLING_INTERVAL', value: '60' },
              { name: 'AUTO_RESTART', value: 'true' },
              { name: 'WATCH_NAMESPACE', value: 'payments, identity' },
              {
                name: 'OP_CONNECT_HOST',
                value: 'http://onepassword-connect:8080',
              },
              {
                name: 'OP_CONNECT_TOKEN',
                valueFrom: { secretKeyRef: { name: 'onepassword-token' } },
              },
            ],
          },
        ],
      },
    },
  },
};

describe('findOperator', () => {
  it('reads the operator settings from its Deployment', () => {
    expect(findOperator([operatorDeployment])).toEqual({
      namespace: 'onepassword',
      deploymentName: 'onepassword-connect-operator',
      version: '1.12.0',
      pollingIntervalSeconds: 60,
      autoRestart: true,
      // Split on commas and not trimmed, as the operator does: ' identity'
      // matches no namespace.
      watchNamespaces: ['payments', ' identity'],
      connectHost: 'http://onepassword-connect:8080',
      authMethod: 'connect',
      fatalSetting: null,
      podSelector: null,
    });
  });

  /** The operator Deployment above with one env variable set to another value. */
  const withEnv = (name: string, value: string) => {
    const container = operatorDeployment.spec!.template!.spec!.containers![0];
    return findOperator([
      {
        ...operatorDeployment,
        spec: {
          template: {
            spec: {
              containers: [
                {
                  ...container,
                  env: container.env!.map(e =>
                    e.name === name ? { ...e, value } : e,
                  ),
                },
              ],
            },
          },
        },
      },
    ]);
  };

  it.each([
    ['POLLING_INTERVAL', '0', /POLLING_INTERVAL=0/],
    ['AUTO_RESTART', 'yes', /AUTO_RESTART=yes/],
  ])('names a setting the operator exits on: %s=%s', (name, value, fatal) => {
    expect(withEnv(name, value)?.fatalSetting).toMatch(fatal);
  });

  it('reads AUTO_RESTART as Go ParseBool after lowercasing', () => {
    expect(withEnv('AUTO_RESTART', 'TRUE')?.autoRestart).toBe(true);
    expect(withEnv('AUTO_RESTART', 'tRuE')?.autoRestart).toBe(true);
    expect(withEnv('AUTO_RESTART', '0')?.autoRestart).toBe(false);
  });

  it('recognises a service-account operator', () => {
    const sa = {
      metadata: { name: 'op', namespace: 'x' },
      spec: {
        template: {
          spec: {
            containers: [
              {
                image: '1password/onepassword-operator:1.12.0',
                env: [
                  {
                    name: 'OP_SERVICE_ACCOUNT_TOKEN',
                    valueFrom: { secretKeyRef: { name: 'sa', key: 'token' } },
                  },
                ],
              },
            ],
          },
        },
      },
    };
    expect(findOperator([sa])?.authMethod).toBe('service-account');
  });

  it('defaults like the operator and finds it by name', () => {
    const renamed = {
      metadata: { name: 'onepassword-connect-operator', namespace: 'x' },
      spec: { template: { spec: { containers: [{ image: 'mirror/op:2' }] } } },
    };
    expect(findOperator([renamed])).toMatchObject({
      pollingIntervalSeconds: 600,
      autoRestart: false,
      watchNamespaces: null,
      version: '2',
    });
    expect(findOperator([])).toBeNull();
  });
});

describe('secretNameFor', () => {
  it('keeps valid names and rewrites invalid ones like the operator', () => {
    expect(secretNameFor('payments-db')).toBe('payments-db');
    expect(secretNameFor('Payments DB_')).toBe('payments-db');
  });
});

describe('secretsUsedBy', () => {
  it('finds env, envFrom, volume, projected and item-name references', () => {
    const d: DeploymentResource = {
      metadata: {
        name: 'x',
        annotations: { 'operator.1password.io/item-name': 'from-annotation' },
      },
      spec: {
        template: {
          spec: {
            containers: [
              {
                env: [
                  {
                    name: 'A',
                    valueFrom: { secretKeyRef: { name: 'env-ref' } },
                  },
                ],
                envFrom: [{ secretRef: { name: 'env-from' } }],
              },
            ],
            initContainers: [{ envFrom: [{ secretRef: { name: 'init' } }] }],
            volumes: [
              { secret: { secretName: 'volume' } },
              { projected: { sources: [{ secret: { name: 'projected' } }] } },
            ],
          },
        },
      },
    };
    expect([...secretsUsedBy(d)].sort()).toEqual([
      'env-from',
      'env-ref',
      'from-annotation',
      'init',
      'projected',
      'volume',
    ]);
  });
});

describe('lastOperatorWrite', () => {
  it('takes the latest write of the version annotation', () => {
    expect(
      lastOperatorWrite({
        name: 's',
        managedFields: [
          {
            manager: 'manager',
            time: '2026-11-01T00:00:00Z',
            fieldsV1: {
              'f:metadata': {
                'f:annotations': { 'f:operator.1password.io/item-version': {} },
              },
            },
          },
          {
            manager: 'kubectl',
            time: '2026-11-20T00:00:00Z',
            fieldsV1: { 'f:metadata': { 'f:labels': {} } },
          },
          {
            manager: 'manager',
            time: '2026-11-10T00:00:00Z',
            fieldsV1: {
              'f:metadata': {
                'f:annotations': { 'f:operator.1password.io/item-version': {} },
              },
            },
          },
        ],
      }),
    ).toBe('2026-11-10T00:00:00.000Z');
    expect(lastOperatorWrite({ name: 's' })).toBeNull();
  });
});

describe('collectSyncedSecrets', () => {
  const facts: ClusterFacts = {
    operatorPods: new Map(),
    services: [],
    operatorSecrets: [],
    connectPods: new Map(),
    operatorNamespacePods: [],
    workloadPods: [],
    problems: [],
    namespaces: [
      {
        metadata: {
          name: 'payments',
          annotations: { 'operator.1password.io/auto-restart': 'true' },
        },
      },
    ],
    onePasswordItems: [
      {
        metadata: {
          name: 'payments-db',
          namespace: 'payments',
          labels: { 'backstage.io/kubernetes-id': 'payments-api' },
        },
        spec: { itemPath: 'vaults/payments/items/payments-db' },
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      },
    ],
    secrets: [
      {
        name: 'payments-db',
        namespace: 'payments',
        labels: { 'backstage.io/kubernetes-id': 'payments-api' },
        annotations: {
          'operator.1password.io/item-path': `vaults/${VAULT}/items/${ITEM}`,
          'operator.1password.io/item-version': '3',
        },
      },
      {
        name: 'leftover',
        namespace: 'payments',
        annotations: {
          'operator.1password.io/item-path': `vaults/${VAULT}/items/${ITEM}`,
          'operator.1password.io/item-version': '1',
        },
      },
    ],
    deployments: [
      {
        metadata: {
          name: 'payments-api',
          namespace: 'payments',
          labels: { app: 'p' },
          annotations: { 'operator.1password.io/auto-restart': 'false' },
        },
        spec: {
          template: {
            metadata: {
              annotations: {
                'operator.1password.io/last-restarted': '2026-11-27T00:00:00Z',
              },
            },
            spec: {
              containers: [
                { envFrom: [{ secretRef: { name: 'payments-db' } }] },
              ],
            },
          },
        },
      },
      {
        metadata: {
          name: 'mailer',
          namespace: 'payments',
          labels: { 'backstage.io/kubernetes-id': 'mailer' },
        },
        spec: {
          template: {
            metadata: {
              annotations: {
                'operator.1password.io/item-path': 'vaults/payments/items/smtp',
                'operator.1password.io/item-name': 'smtp',
              },
            },
          },
        },
      },
    ],
    events: [
      {
        metadata: { name: 'e1', namespace: 'payments' },
        involvedObject: {
          kind: 'Deployment',
          name: 'mailer',
          namespace: 'payments',
        },
        reason: 'ReconcileError',
        message: 'old',
        lastTimestamp: '2026-11-27T00:00:00Z',
      },
      {
        metadata: { name: 'e2', namespace: 'payments' },
        involvedObject: {
          kind: 'Deployment',
          name: 'mailer',
          namespace: 'payments',
        },
        reason: 'ReconcileError',
        message: 'new',
        lastTimestamp: '2026-11-28T00:00:00Z',
      },
    ],
  };

  it('builds one candidate per OnePasswordItem, annotated Deployment and leftover Secret', () => {
    const candidates = collectSyncedSecrets(facts, 'dev');
    expect(candidates.map(c => [c.facts.source, c.facts.secretName])).toEqual([
      ['OnePasswordItem', 'payments-db'],
      ['Deployment', 'smtp'],
      ['OnePasswordItem', 'leftover'],
    ]);
    const [opi, deployment, leftover] = candidates;
    expect(opi.facts).toMatchObject({
      cluster: 'dev',
      itemPath: 'vaults/payments/items/payments-db',
      secret: {
        itemPath: `vaults/${VAULT}/items/${ITEM}`,
        itemVersion: 3,
        lastWrittenAt: null,
        autoRestart: null,
      },
      ready: { status: 'True' },
      namespaceAutoRestart: 'true',
      consumers: [
        {
          name: 'payments-api',
          autoRestart: 'false',
          lastRestartedAt: '2026-11-27T00:00:00Z',
        },
      ],
    });
    expect(opi.labels).toEqual({
      'backstage.io/kubernetes-id': 'payments-api',
    });
    expect(deployment.facts.secret).toBeNull();
    expect(deployment.facts.events.map(e => e.message)).toEqual(['new', 'old']);
    expect(deployment.labels).toEqual({
      'backstage.io/kubernetes-id': 'mailer',
    });
    expect(leftover.facts.itemPath).toBe(`vaults/${VAULT}/items/${ITEM}`);
  });

  const pod = (
    name: string,
    labels: Record<string, string>,
    extra: Partial<ClusterFacts['workloadPods'][number]> = {},
  ) => ({
    name,
    namespace: 'payments',
    labels,
    creationTimestamp: '2026-12-01T10:00:00Z',
    ...extra,
  });
  const withSelector: ClusterFacts = {
    ...facts,
    deployments: facts.deployments.map(d =>
      d.metadata.name === 'payments-api'
        ? { ...d, spec: { ...d.spec, selector: { matchLabels: { app: 'p' } } } }
        : d,
    ),
    workloadPods: [
      pod('payments-api-1', { app: 'p', 'pod-template-hash': 'h' }),
      pod('payments-api-2', { app: 'p' }, { deletionTimestamp: 'x' }),
      pod('other-1', { app: 'other' }),
      pod('payments-api-elsewhere', { app: 'p' }, { namespace: 'billing' }),
    ],
  };

  it('gives each consuming Deployment the creation times of the pods its selector matches, live ones only', () => {
    const [opi, deployment] = collectSyncedSecrets(withSelector, 'dev');
    expect(opi.workloads).toEqual([
      {
        namespace: 'payments',
        name: 'payments-api',
        podSpec: withSelector.deployments[0].spec?.template?.spec,
        podCreatedAt: ['2026-12-01T10:00:00Z'],
        autoRestart: 'false',
        lastRestartedAt: '2026-11-27T00:00:00Z',
      },
    ]);
    expect(opi.podsUnreadable).toBeNull();
    // The mailer's annotations name the Secret, its pod template does not.
    expect(deployment.workloads).toEqual([]);
  });

  it('says why the pods of a namespace are unknown when they could not be read', () => {
    const [opi] = collectSyncedSecrets(
      {
        ...withSelector,
        problems: [
          {
            kind: 'pods',
            status: 403,
            message: 'Forbidden to list pods in namespaces payments',
            namespaces: ['payments'],
          },
        ],
      },
      'dev',
    );
    expect(opi.podsUnreadable).toBe(
      'Forbidden to list pods in namespaces payments',
    );
  });
});

describe('Deployment annotations', () => {
  const facts = (deployment: DeploymentResource): ClusterFacts => ({
    namespaces: [],
    onePasswordItems: [],
    secrets: [],
    deployments: [deployment],
    events: [],
    operatorPods: new Map(),
    services: [],
    operatorSecrets: [],
    connectPods: new Map(),
    operatorNamespacePods: [],
    workloadPods: [],
    problems: [],
  });

  it('reads the Deployment or its pod template, never a mix of both', () => {
    const mixed: DeploymentResource = {
      metadata: {
        name: 'api',
        namespace: 'payments',
        annotations: { 'operator.1password.io/item-path': 'vaults/a/items/b' },
      },
      spec: {
        template: {
          metadata: {
            annotations: { 'operator.1password.io/item-name': 'api-secret' },
          },
        },
      },
    };
    // The operator takes the Deployment's own set, which lacks item-name.
    expect(collectSyncedSecrets(facts(mixed), 'dev')).toEqual([]);

    const templateOnly: DeploymentResource = {
      metadata: { name: 'api', namespace: 'payments' },
      spec: {
        template: {
          metadata: {
            annotations: {
              'operator.1password.io/item-path': 'vaults/a/items/b',
              'operator.1password.io/item-name': 'api-secret',
            },
          },
        },
      },
    };
    expect(
      collectSyncedSecrets(facts(templateOnly), 'dev').map(
        c => c.facts.secretName,
      ),
    ).toEqual(['api-secret']);
  });
});
