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

import { isOnePasswordAvailable, isOnePasswordVault } from './conditions';
import { annotatedEntity, plainEntity } from './__testUtils__/fixtures';

describe('isOnePasswordAvailable', () => {
  it('is true for an entity with the kubernetes id', () => {
    expect(isOnePasswordAvailable(annotatedEntity)).toBe(true);
  });

  it('is true for a label selector or owned vaults', () => {
    for (const annotation of [
      'backstage.io/kubernetes-label-selector',
      '1password.com/vaults',
    ]) {
      const entity = {
        ...plainEntity,
        metadata: {
          ...plainEntity.metadata,
          annotations: { [annotation]: 'x' },
        },
      };
      expect(isOnePasswordAvailable(entity)).toBe(true);
    }
  });

  it('is false without any of them', () => {
    expect(isOnePasswordAvailable(plainEntity)).toBe(false);
  });
});

describe('isOnePasswordVault', () => {
  const vault = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: '1password-vault-abc',
      annotations: { '1password.com/vault-id': 'abc' },
    },
    spec: { type: '1password-vault', owner: 'team-platform' },
  };

  it('is true for a vault Resource with its id', () => {
    expect(isOnePasswordVault(vault)).toBe(true);
  });

  it('is false for another type, another kind or no vault id', () => {
    expect(isOnePasswordVault({ ...vault, spec: { type: 'database' } })).toBe(
      false,
    );
    expect(isOnePasswordVault({ ...vault, kind: 'Component' })).toBe(false);
    expect(isOnePasswordVault({ ...vault, metadata: { name: 'x' } })).toBe(
      false,
    );
    expect(isOnePasswordVault(plainEntity)).toBe(false);
  });
});
