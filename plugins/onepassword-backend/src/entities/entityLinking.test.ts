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
  entitySelector,
  matchesLabels,
  parseLabelSelector,
  selects,
} from './entityLinking';
import { EntityClaims } from './EntityClaims';

const entity = (
  name: string,
  annotations: Record<string, string>,
  owner = 'team-a',
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { owner },
});

describe('parseLabelSelector', () => {
  it('supports equality, set and existence requirements', () => {
    const r = parseLabelSelector(
      'app=web, tier in (api, web),env!=dev,team,!legacy',
    );
    expect(
      matchesLabels({ app: 'web', tier: 'api', env: 'prod', team: 'x' }, r),
    ).toBe(true);
    expect(
      matchesLabels({ app: 'web', tier: 'db', env: 'prod', team: 'x' }, r),
    ).toBe(false);
    expect(
      matchesLabels({ app: 'web', tier: 'api', env: 'dev', team: 'x' }, r),
    ).toBe(false);
    expect(
      matchesLabels({ app: 'web', tier: 'api', team: 'x', legacy: '1' }, r),
    ).toBe(false);
    expect(matchesLabels({ app: 'web', tier: 'api' }, r)).toBe(false);
  });

  it('rejects what Kubernetes rejects', () => {
    expect(() => parseLabelSelector('app=(x')).toThrow(
      "Invalid label selector 'app=(x' at 'app=(x'",
    );
  });
});

describe('entitySelector', () => {
  it('links like the Kubernetes plugin: id, else name; custom selector; namespace', () => {
    expect(entitySelector(entity('svc', {}))).toMatchObject({
      kubernetesId: 'svc',
      namespace: null,
    });
    expect(
      entitySelector(entity('svc', { 'backstage.io/kubernetes-id': 'other' }))
        .kubernetesId,
    ).toBe('other');
    const custom = entitySelector(
      entity('svc', {
        'backstage.io/kubernetes-label-selector': 'app=svc',
        'backstage.io/kubernetes-namespace': 'ns',
      }),
    );
    expect(custom.kubernetesId).toBeNull();
    expect(selects(custom, { namespace: 'ns', labels: { app: 'svc' } })).toBe(
      true,
    );
    expect(
      selects(custom, { namespace: 'other', labels: { app: 'svc' } }),
    ).toBe(false);
  });
});

describe('EntityClaims', () => {
  it('claims records for annotated entities only, first ref wins, with the owner', () => {
    const claims = new EntityClaims([
      entity('b-svc', { 'backstage.io/kubernetes-id': 'svc' }, 'group:ops/b'),
      entity('a-svc', {
        'backstage.io/kubernetes-label-selector':
          'backstage.io/kubernetes-id=svc',
      }),
      entity('svc2', {}),
      entity('broken', { 'backstage.io/kubernetes-label-selector': 'a=(' }),
    ]);
    expect(
      claims.claim({
        namespace: 'x',
        labels: { 'backstage.io/kubernetes-id': 'svc' },
      }),
    ).toEqual({
      entityRef: 'component:default/a-svc',
      owner: 'group:default/team-a',
    });
    expect(
      claims.claim({
        namespace: 'x',
        labels: { 'backstage.io/kubernetes-id': 'svc2' },
      }),
    ).toBeNull();
    expect(claims.claim({ namespace: 'x', labels: {} })).toBeNull();
  });
});
