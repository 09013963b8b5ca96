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
  buildVaultEntities,
  claimOf,
  previousState,
  resolveVaultOwner,
  vaultEntityName,
} from './vaultEntities';

const payments = {
  id: 'ytrfte14kw1uex5txwspmwtwqi',
  title: 'Payments',
  description: null,
};
const shared = {
  id: 'abcdefghijklmnopqrstuvwxyz',
  title: 'shared',
  description: 'Shared',
};

function component(
  name: string,
  owner: string,
  annotations: Record<string, string>,
) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { owner },
  };
}

describe('vaultEntityName', () => {
  it('is the id for a 1Password id, so a rename keeps the entity', () => {
    expect(vaultEntityName(payments.id)).toBe(
      '1password-vault-ytrfte14kw1uex5txwspmwtwqi',
    );
  });

  it('makes other ids valid names that never collide', () => {
    const a = vaultEntityName('Vault/One');
    const b = vaultEntityName('vault-one');
    expect(a).toMatch(/^1password-vault-vault-one-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });
});

describe('resolveVaultOwner', () => {
  it('is the one claiming owner, else the platform group', () => {
    expect(
      resolveVaultOwner(
        ['group:default/a', 'group:default/a'],
        'group:default/p',
      ),
    ).toEqual({
      owner: 'group:default/a',
      conflicting: [],
    });
    expect(resolveVaultOwner([], 'group:default/p').owner).toBe(
      'group:default/p',
    );
    expect(
      resolveVaultOwner(
        ['group:default/b', 'group:default/a'],
        'group:default/p',
      ),
    ).toEqual({
      owner: 'group:default/p',
      conflicting: ['group:default/a', 'group:default/b'],
    });
  });
});

describe('buildVaultEntities', () => {
  const claims = [
    // by title, case-insensitively, as the operator matches titles
    claimOf(
      component('api', 'team-a', { '1password.com/vaults': 'payments' }),
    )!,
    // by id, but only on the server it names
    claimOf(
      component('web', 'team-b', {
        '1password.com/vaults': shared.id,
        '1password.com/connect-server': 'other',
      }),
    )!,
  ];

  it('merges a vault served by two servers, and owns and relates it', () => {
    const [first, second] = buildVaultEntities({
      vaultsByServer: new Map([
        ['main', [payments, shared]],
        ['eu', [payments]],
      ]),
      claims,
      usage: new Map([
        [payments.id, ['component:default/api', 'component:default/api']],
      ]),
      defaultOwner: 'group:default/platform',
    });
    expect(first.metadata.title).toBe('shared');
    // the claim names server `other`, which does not serve it
    expect(first.spec).toEqual({
      type: '1password-vault',
      owner: 'group:default/platform',
    });
    expect(second.metadata.annotations).toMatchObject({
      '1password.com/vault-id': payments.id,
      '1password.com/connect-servers': 'eu,main',
    });
    expect(second.spec).toEqual({
      type: '1password-vault',
      owner: 'group:default/team-a',
      dependencyOf: ['component:default/api'],
    });
  });

  it('drops a vault its server no longer lists, and reads back what it published', () => {
    const before = buildVaultEntities({
      vaultsByServer: new Map([['main', [payments, shared]]]),
      claims,
      usage: new Map([[payments.id, ['component:default/api']]]),
      defaultOwner: 'group:default/platform',
    });
    const after = buildVaultEntities({
      vaultsByServer: new Map([['main', [payments]]]),
      claims,
      usage: new Map(),
      defaultOwner: 'group:default/platform',
    });
    expect(after.map(e => e.metadata.title)).toEqual(['Payments']);

    const previous = previousState([
      ...before,
      component('api', 'team-a', { '1password.com/vaults': 'payments' }),
    ]);
    expect(previous.vaultsByServer.get('main')).toEqual([shared, payments]);
    expect(previous.usage.get(payments.id)).toEqual(['component:default/api']);
  });
});
