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

import { buildOnePasswordItemManifest } from './onePasswordItemManifest';
import {
  loadOnePasswordItemSchema,
  validateAgainstSchema,
} from './structuralSchema';

const schema = loadOnePasswordItemSchema();
const valid = {
  name: 'payments-db',
  namespace: 'payments',
  itemPath: 'vaults/abc/items/def',
};

describe('buildOnePasswordItemManifest', () => {
  it('builds a labelled manifest with auto-restart', () => {
    expect(
      buildOnePasswordItemManifest(
        {
          ...valid,
          kubernetesId: 'payments-api',
          autoRestart: true,
          labels: { team: 'payments' },
        },
        schema,
      ),
    ).toEqual({
      apiVersion: 'onepassword.com/v1',
      kind: 'OnePasswordItem',
      metadata: {
        name: 'payments-db',
        namespace: 'payments',
        labels: {
          team: 'payments',
          'backstage.io/kubernetes-id': 'payments-api',
        },
        annotations: { 'operator.1password.io/auto-restart': 'true' },
      },
      spec: { itemPath: 'vaults/abc/items/def' },
    });
  });

  it('puts the secret type at the top level, as the CRD has it', () => {
    const manifest = buildOnePasswordItemManifest(
      { ...valid, secretType: 'kubernetes.io/dockerconfigjson' },
      schema,
    );
    expect(manifest.type).toBe('kubernetes.io/dockerconfigjson');
    expect(manifest.metadata).toEqual({
      name: 'payments-db',
      namespace: 'payments',
    });
  });

  it('lists every naming problem in one error', () => {
    expect(() =>
      buildOnePasswordItemManifest(
        {
          name: 'Payments_DB',
          namespace: 'a'.repeat(64),
          itemPath: 'vaults/abc/def',
          kubernetesId: '-bad-',
        },
        schema,
      ),
    ).toThrow(
      "Invalid OnePasswordItem manifest: name 'Payments_DB' must consist of lowercase letters, digits, '-' and '.', and start and end with a letter or digit; " +
        `namespace '${'a'.repeat(64)}' must be at most 63 characters; ` +
        "label 'backstage.io/kubernetes-id' value '-bad-' must consist of letters, digits, '-', '_' and '.', and start and end with a letter or digit; " +
        "itemPath 'vaults/abc/def' must have the form vaults/<vault id or title>/items/<item id or title>",
    );
  });
});

describe('validateAgainstSchema with the OnePasswordItem CRD', () => {
  it('accepts a valid object', () => {
    expect(
      validateAgainstSchema(
        {
          apiVersion: 'onepassword.com/v1',
          kind: 'OnePasswordItem',
          metadata: { name: 'x' },
          spec: { itemPath: 'p' },
        },
        schema,
      ),
    ).toEqual([]);
  });

  it('reports unknown and mistyped fields', () => {
    expect(
      validateAgainstSchema(
        {
          kind: 'OnePasswordItem',
          spec: { itempath: 'p' },
          type: 3,
          status: {},
        },
        schema,
      ),
    ).toEqual([
      'spec.itempath is not a field of OnePasswordItem',
      'type must be a string',
      'status.conditions is required',
    ]);
  });
});
