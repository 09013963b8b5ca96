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

import { parseScenario } from '../scenario/parseScenario';
import { podSpecFor } from './podTemplates';

describe('podSpecFor', () => {
  it('reads Secrets in each way a scenario names, beside literal env values', () => {
    expect(
      podSpecFor({
        name: 'api',
        secretRefs: ['from-env-from'],
        consumes: [
          { secret: 'db', as: 'env', key: 'password' },
          { secret: 'tls', as: 'volume' },
          { secret: 'bundle', as: 'projected' },
          { secret: 'config', as: 'subPath', key: 'app.yaml' },
        ],
        literalEnv: { LEGACY_KEY: 'literal-CANARY' },
      }),
    ).toEqual({
      containers: [
        {
          name: 'api',
          image: 'registry.example.com/api:1.0.0',
          env: [
            { name: 'LEGACY_KEY', value: 'literal-CANARY' },
            {
              name: 'DB_PASSWORD',
              valueFrom: { secretKeyRef: { name: 'db', key: 'password' } },
            },
          ],
          envFrom: [{ secretRef: { name: 'from-env-from' } }],
          volumeMounts: [
            {
              name: 'volume-tls',
              mountPath: '/etc/secrets/tls',
              readOnly: true,
            },
            {
              name: 'projected-bundle',
              mountPath: '/etc/projected/bundle',
              readOnly: true,
            },
            {
              name: 'subPath-config',
              mountPath: '/etc/config/app.yaml',
              subPath: 'app.yaml',
              readOnly: true,
            },
          ],
        },
      ],
      volumes: [
        { name: 'volume-tls', secret: { secretName: 'tls' } },
        {
          name: 'projected-bundle',
          projected: { sources: [{ secret: { name: 'bundle' } }] },
        },
        { name: 'subPath-config', secret: { secretName: 'config' } },
      ],
    });
  });

  it('is what a scenario file can say, and a wrong kind is named', () => {
    const scenario = (as: string) => ({
      name: 's',
      connect: [
        {
          name: 'main',
          port: 0,
          tokens: [{ name: 'op', token: 't', vaults: '*' }],
          vaults: [],
        },
      ],
      clusters: [
        {
          name: 'dev',
          port: 0,
          tokens: ['admin'],
          operator: { connectServer: 'main', connectToken: 'op' },
          namespaces: [
            {
              name: 'apps',
              deployments: [{ name: 'api', consumes: [{ secret: 'db', as }] }],
            },
          ],
        },
      ],
    });
    expect(
      parseScenario(scenario('subPath')).clusters[0].namespaces[0]
        .deployments![0].consumes,
    ).toEqual([{ secret: 'db', as: 'subPath' }]);
    expect(() => parseScenario(scenario('sidecar'))).toThrow(
      /clusters\[0\]\.namespaces\[0\]\.deployments\[0\]\.consumes\[0\]\.as/,
    );
  });
});
