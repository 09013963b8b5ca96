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

import { KubeObject } from '../kubernetes/types';
import {
  autoRestartEnabled,
  buildSecretData,
  formatSecretDataKey,
  formatSecretName,
  readyStatus,
  referencedSecretNames,
} from './operatorModel';
import { parseItemPath } from './OperatorConnectClient';

const annotated = (value?: string): KubeObject => ({
  metadata:
    value === undefined
      ? {}
      : { annotations: { 'operator.1password.io/auto-restart': value } },
});

describe('operator model', () => {
  it('sanitises Secret names and data keys as the operator does', () => {
    expect(formatSecretName('payments-db')).toBe('payments-db');
    expect(formatSecretName('SMTP Credentials!')).toBe('smtp-credentials');
    expect(formatSecretName('-.Odd__Name.-')).toBe('odd-name');
    expect(formatSecretDataKey('password')).toBe('password');
    expect(formatSecretDataKey('connection string!')).toBe('connection-string');
    expect(formatSecretDataKey('  api key  ')).toBe('api-key');
  });

  it('builds data from URLs, fields and files: primary URL wins, fields win over files, empty values skipped', () => {
    const data = buildSecretData({
      id: 'i',
      title: 't',
      vaultId: 'v',
      version: 1,
      tags: [],
      urls: [
        { label: 'site', primary: false, href: 'https://secondary' },
        { label: 'site', primary: true, href: 'https://primary' },
        { label: 'site', primary: false, href: 'https://later' },
      ],
      fields: [
        { label: 'password', value: 'pw-CANARY' },
        { label: 'empty', value: '' },
        { label: 'cert.pem', value: 'field-CANARY' },
      ],
      files: [{ name: 'cert.pem', content: Buffer.from('file-CANARY') }],
    });
    const decoded = Object.fromEntries(
      Object.entries(data).map(([key, value]) => [
        key,
        Buffer.from(value, 'base64').toString(),
      ]),
    );
    expect(decoded).toEqual({
      site: 'https://primary',
      password: 'pw-CANARY',
      'cert.pem': 'field-CANARY',
    });
  });

  it('decides auto-restart by Secret, then Deployment, then Namespace, then AUTO_RESTART', () => {
    expect(
      autoRestartEnabled(
        annotated('false'),
        annotated('true'),
        annotated('true'),
        true,
      ),
    ).toBe(false);
    expect(
      autoRestartEnabled(
        annotated(),
        annotated('true'),
        annotated('false'),
        false,
      ),
    ).toBe(true);
    expect(
      autoRestartEnabled(annotated(), annotated(), annotated('true'), false),
    ).toBe(true);
    expect(autoRestartEnabled(annotated(), annotated(), undefined, true)).toBe(
      true,
    );
    expect(
      autoRestartEnabled(annotated('maybe'), annotated(), undefined, false),
    ).toBe(false);
  });

  it('moves lastTransitionTime only when Ready flips', () => {
    const first = readyStatus(undefined, undefined, 't1');
    expect(first).toEqual({
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 't1' }],
    });
    expect(
      readyStatus(first, undefined, 't2').conditions[0].lastTransitionTime,
    ).toBe('t1');
    expect(readyStatus(first, 'boom', 't3').conditions[0]).toEqual({
      type: 'Ready',
      status: 'False',
      message: 'boom',
      lastTransitionTime: 't3',
    });
  });

  it('finds the Secrets a Deployment uses through env, envFrom, volumes and its item-name', () => {
    const deployment: KubeObject = {
      metadata: {
        annotations: { 'operator.1password.io/item-name': 'from-annotation' },
      },
      spec: {
        template: {
          spec: {
            initContainers: [
              { envFrom: [{ secretRef: { name: 'init-env' } }] },
            ],
            containers: [
              {
                env: [
                  {
                    name: 'A',
                    valueFrom: { secretKeyRef: { name: 'key-ref', key: 'a' } },
                  },
                ],
              },
            ],
            volumes: [
              { secret: { secretName: 'volume' } },
              { projected: { sources: [{ secret: { name: 'projected' } }] } },
            ],
          },
        },
      },
    };
    expect([...referencedSecretNames(deployment)].sort()).toEqual([
      'from-annotation',
      'init-env',
      'key-ref',
      'projected',
      'volume',
    ]);
  });
});

describe('item paths', () => {
  it('splits on / into exactly four parts, as ParseVaultAndItemFromPath does', () => {
    expect(parseItemPath('vaults/payments/items/db')).toEqual({
      vault: 'payments',
      item: 'db',
    });
    for (const path of [
      'vaults/payments/items/team/db',
      'vaults/a/b/items/db',
      'prefix/vaults/payments/items/db',
      'vaults/payments/item/db',
    ]) {
      expect(() => parseItemPath(path)).toThrow(/is not an acceptable path/);
    }
  });
});
