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
  connectServiceOf,
  credentialsSecretOf,
  lastWrittenAt,
  tokenSecretOf,
} from './inClusterConnect';

describe('connectServiceOf', () => {
  const namespaces = new Set(['onepassword', 'connect']);

  it.each([
    ['http://onepassword-connect:8080', 'onepassword', 'onepassword-connect'],
    [
      'http://onepassword-connect.connect:8080',
      'connect',
      'onepassword-connect',
    ],
    ['https://op.connect.svc:8443', 'connect', 'op'],
    ['http://op.other.svc.cluster.local:8080', 'other', 'op'],
  ])('resolves %s as cluster DNS does', (host, namespace, name) => {
    expect(connectServiceOf(host, 'onepassword', namespaces)).toEqual({
      namespace,
      name,
    });
  });

  it.each([
    'http://localhost:8080',
    'http://127.0.0.1:8080',
    'https://connect.example.com',
    'https://example.com',
    'not a url',
  ])('takes %s for a Connect outside the cluster', host => {
    expect(connectServiceOf(host, 'onepassword', namespaces)).toBeNull();
  });
});

describe('credentialsSecretOf', () => {
  it('prefers the Secret named for credentials over other references', () => {
    expect(
      credentialsSecretOf({
        metadata: { name: 'onepassword-connect' },
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'connect-api',
                  envFrom: [{ secretRef: { name: 'proxy-settings' } }],
                  env: [
                    {
                      name: 'OP_SESSION',
                      valueFrom: {
                        secretKeyRef: {
                          name: 'op-credentials',
                          key: '1password-credentials.json',
                        },
                      },
                    },
                  ],
                },
              ],
            },
          },
        },
      }),
    ).toBe('op-credentials');
  });
});

describe('lastWrittenAt', () => {
  it('is the latest managedFields time, else the creation time', () => {
    expect(
      lastWrittenAt({
        name: 'onepassword-token',
        creationTimestamp: '2026-12-01T09:00:00Z',
        managedFields: [
          { manager: 'helm', time: '2026-12-01T11:00:00Z' },
          { manager: 'kubectl', time: '2026-12-01T10:00:00Z' },
        ],
      }),
    ).toBe('2026-12-01T11:00:00.000Z');
    expect(
      lastWrittenAt({ name: 'x', creationTimestamp: '2026-12-01T09:00:00Z' }),
    ).toBe('2026-12-01T09:00:00.000Z');
  });
});

describe('tokenSecretOf', () => {
  const operator = (name: string) => ({
    metadata: { name: 'onepassword-connect-operator' },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'operator',
              env: [
                { name: 'OP_CONNECT_HOST', value: 'http://connect:8080' },
                {
                  name,
                  valueFrom: {
                    secretKeyRef: { name: 'op-token', key: 'token' },
                  },
                },
              ],
            },
          ],
        },
      },
    },
  });

  it('finds the Secret of a Connect token or of a service-account token', () => {
    expect(tokenSecretOf(operator('OP_CONNECT_TOKEN'))).toBe('op-token');
    expect(tokenSecretOf(operator('OP_SERVICE_ACCOUNT_TOKEN'))).toBe(
      'op-token',
    );
    expect(tokenSecretOf(operator('SOMETHING_ELSE'))).toBeNull();
  });
});
