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
  ConsumingDeploymentInput,
  evaluateSecretConsumers,
} from './restartVerdict';
import { findSecretReferences, PodSpecSecretView } from './secretConsumers';

const WRITTEN_AT = '2026-11-28T12:00:00.000Z';
const BEFORE = '2026-11-28T11:00:00.000Z';
const AFTER = '2026-11-28T12:05:00.000Z';

function deployment(
  podSpec: PodSpecSecretView,
  overrides: Partial<ConsumingDeploymentInput> = {},
): ConsumingDeploymentInput {
  return {
    namespace: 'payments',
    name: 'payments-api',
    podSpec,
    podCreatedAt: [BEFORE, BEFORE],
    autoRestart: false,
    lastRestartedAt: null,
    ...overrides,
  };
}

const envSpec: PodSpecSecretView = {
  containers: [
    {
      name: 'api',
      env: [
        {
          name: 'DB_PASSWORD',
          valueFrom: { secretKeyRef: { name: 'db', key: 'password' } },
        },
        // A literal value is someone's credential pasted in: never a reference.
        { name: 'LITERAL', value: 'hunter2' } as never,
      ],
    },
  ],
};

describe('findSecretReferences', () => {
  it('finds env secretKeyRef with its key and container, and ignores literal values', () => {
    const references = findSecretReferences(envSpec);
    expect(references).toEqual([
      {
        secretName: 'db',
        kind: 'env',
        container: 'api',
        key: 'password',
        volume: null,
      },
    ]);
    expect(JSON.stringify(references)).not.toContain('hunter2');
  });

  it('finds envFrom secretRef, in init containers too', () => {
    expect(
      findSecretReferences({
        initContainers: [
          { name: 'migrate', envFrom: [{ secretRef: { name: 'db' } }] },
        ],
      }),
    ).toEqual([
      {
        secretName: 'db',
        kind: 'envFrom',
        container: 'migrate',
        key: null,
        volume: null,
      },
    ]);
  });

  it('finds secret volumes through their mounts', () => {
    expect(
      findSecretReferences({
        volumes: [{ name: 'creds', secret: { secretName: 'db' } }],
        containers: [{ name: 'api', volumeMounts: [{ name: 'creds' }] }],
      }),
    ).toEqual([
      {
        secretName: 'db',
        kind: 'volume',
        container: 'api',
        key: null,
        volume: 'creds',
      },
    ]);
  });

  it('finds every secret of a projected volume', () => {
    expect(
      findSecretReferences({
        volumes: [
          {
            name: 'all',
            projected: {
              sources: [
                { secret: { name: 'db' } },
                { secret: { name: 'tls' } },
                {},
              ],
            },
          },
        ],
        containers: [{ name: 'api', volumeMounts: [{ name: 'all' }] }],
      }).map(r => [r.secretName, r.kind]),
    ).toEqual([
      ['db', 'projected'],
      ['tls', 'projected'],
    ]);
  });

  it('counts a subPath or subPathExpr mount as subPath', () => {
    expect(
      findSecretReferences({
        volumes: [{ name: 'creds', secret: { secretName: 'db' } }],
        containers: [
          { name: 'a', volumeMounts: [{ name: 'creds', subPath: 'password' }] },
          {
            name: 'b',
            volumeMounts: [{ name: 'creds', subPathExpr: '$(KEY)' }],
          },
        ],
      }).map(r => [r.container, r.kind]),
    ).toEqual([
      ['a', 'subPath'],
      ['b', 'subPath'],
    ]);
  });

  it('ignores a secret volume that no container mounts, and tolerates malformed specs', () => {
    expect(
      findSecretReferences({
        volumes: [{ name: 'creds', secret: { secretName: 'db' } }],
        containers: [{ name: 'api' }],
      }),
    ).toEqual([]);
    expect(findSecretReferences(null)).toEqual([]);
    expect(
      findSecretReferences({
        containers: [
          null as never,
          { env: [null as never, {}], envFrom: [{}], volumeMounts: [{}] },
        ],
        volumes: [null as never, {}],
      }),
    ).toEqual([]);
  });
});

describe('evaluateSecretConsumers', () => {
  it('says restart needed for env consumers whose pods predate the write', () => {
    const result = evaluateSecretConsumers({
      secretName: 'db',
      secretWrittenAt: WRITTEN_AT,
      deployments: [deployment(envSpec, { podCreatedAt: [BEFORE, AFTER] })],
    });
    expect(result.restartNeeded).toBe(true);
    expect(result.consumers).toEqual([
      {
        namespace: 'payments',
        deployment: 'payments-api',
        kinds: ['env'],
        containers: ['api'],
        podCount: 2,
        podsBeforeWrite: 1,
        verdict: 'restart-needed',
      },
    ]);
    expect(result.hint).toMatch(/rollout restart/);
  });

  it('says current when every pod started after the write', () => {
    const result = evaluateSecretConsumers({
      secretName: 'db',
      secretWrittenAt: WRITTEN_AT,
      deployments: [deployment(envSpec, { podCreatedAt: [AFTER] })],
    });
    expect(result.consumers[0].verdict).toBe('current');
    expect(result.restartNeeded).toBe(false);
    expect(result.hint).toBeNull();
  });

  it('says volume consumers are updated in place, even with old pods', () => {
    const result = evaluateSecretConsumers({
      secretName: 'db',
      secretWrittenAt: WRITTEN_AT,
      deployments: [
        deployment({
          volumes: [{ name: 'creds', secret: { secretName: 'db' } }],
          containers: [{ name: 'api', volumeMounts: [{ name: 'creds' }] }],
        }),
      ],
    });
    expect(result.consumers[0].verdict).toBe('updates-in-place');
    expect(result.consumers[0].podsBeforeWrite).toBe(2);
    expect(result.restartNeeded).toBe(false);
  });

  it('treats a subPath mount as read at start', () => {
    const result = evaluateSecretConsumers({
      secretName: 'db',
      secretWrittenAt: WRITTEN_AT,
      deployments: [
        deployment({
          volumes: [{ name: 'creds', secret: { secretName: 'db' } }],
          containers: [
            {
              name: 'api',
              volumeMounts: [{ name: 'creds', subPath: 'password' }],
            },
          ],
        }),
      ],
    });
    expect(result.consumers[0].verdict).toBe('restart-needed');
  });

  it('says auto-restart did not happen when last-restarted is older than the write', () => {
    for (const lastRestartedAt of [BEFORE, null]) {
      const result = evaluateSecretConsumers({
        secretName: 'db',
        secretWrittenAt: WRITTEN_AT,
        deployments: [
          deployment(envSpec, { autoRestart: true, lastRestartedAt }),
        ],
      });
      expect(result.consumers[0].verdict).toBe('auto-restart-missed');
      expect(result.restartNeeded).toBe(true);
      expect(result.hint).toMatch(/operator logs/);
    }
  });

  it('says restart needed, not missed, when the auto-restart happened and old pods remain', () => {
    const result = evaluateSecretConsumers({
      secretName: 'db',
      secretWrittenAt: WRITTEN_AT,
      deployments: [
        deployment(envSpec, { autoRestart: true, lastRestartedAt: AFTER }),
      ],
    });
    expect(result.consumers[0].verdict).toBe('restart-needed');
  });

  it('skips Deployments that do not read the Secret, and counts nothing without a write time', () => {
    const other = evaluateSecretConsumers({
      secretName: 'other',
      secretWrittenAt: WRITTEN_AT,
      deployments: [deployment(envSpec)],
    });
    expect(other.consumers).toEqual([]);
    const neverWritten = evaluateSecretConsumers({
      secretName: 'db',
      secretWrittenAt: null,
      deployments: [deployment(envSpec)],
    });
    expect(neverWritten.consumers[0]).toMatchObject({
      podsBeforeWrite: 0,
      verdict: 'current',
    });
  });

  it('ignores unparseable pod times instead of counting them', () => {
    const result = evaluateSecretConsumers({
      secretName: 'db',
      secretWrittenAt: WRITTEN_AT,
      deployments: [
        deployment(envSpec, { podCreatedAt: ['not a time', BEFORE] }),
      ],
    });
    expect(result.consumers[0]).toMatchObject({
      podCount: 2,
      podsBeforeWrite: 1,
    });
  });
});
