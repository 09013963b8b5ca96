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

import { isOnePasswordAvailable } from './conditions';
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
