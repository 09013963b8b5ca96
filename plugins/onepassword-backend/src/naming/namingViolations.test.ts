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

import { compileNamingRule } from '@secret-sync/backstage-plugin-onepassword-common';
import { makeRecord } from '../__testUtils__/records';
import {
  clustersByServer,
  connectServerViolations,
  onePasswordItemViolations,
  vaultViolations,
} from './NamingAuditService';

const entity = (name: string, spec: Record<string, string>) => ({
  metadata: { name, namespace: 'default' },
  spec,
});

describe('vault naming', () => {
  const rule = compileNamingRule(
    'vault',
    '{owner}-{lifecycle}',
    'onepassword.naming.vaults',
  );
  const entities = new Map([
    [
      'component:default/payments-api',
      entity('payments-api', {
        owner: 'group:default/team-payments',
        lifecycle: 'production',
      }),
    ],
  ]);

  it('accepts the title the pattern gives for the entity', () => {
    const records = [makeRecord({ vaultName: 'team-payments-production' })];
    expect(vaultViolations(rule, records, entities)).toEqual([]);
  });

  it('lists another title once per entity and vault, with the expected one', () => {
    const records = [
      makeRecord({ vaultName: 'payments' }),
      makeRecord({ vaultName: 'payments', cluster: 'prod-us' }),
      makeRecord({ vaultName: 'payments', entityRef: null }),
    ];
    expect(vaultViolations(rule, records, entities)).toEqual([
      {
        rule: 'vault',
        name: 'payments',
        expected: 'team-payments-production',
        message:
          "'payments' breaks the naming rule '{owner}-{lifecycle}' (onepassword.naming.vaults): expected 'team-payments-production'",
        entityRef: 'component:default/payments-api',
        server: 'main',
      },
    ]);
  });

  it('accepts and refuses by a regular expression', () => {
    const regex = compileNamingRule('vault', { regex: '^team-' }, 'k');
    expect(
      vaultViolations(
        regex,
        [makeRecord({ vaultName: 'team-payments' })],
        entities,
      ),
    ).toEqual([]);
    expect(
      vaultViolations(regex, [makeRecord({ vaultName: 'payments' })], entities),
    ).toMatchObject([
      { name: 'payments', expected: 'a name matching /^team-/' },
    ]);
  });
});

describe('Connect server naming', () => {
  const rule = compileNamingRule(
    'connectServer',
    'connect-{cluster}',
    'onepassword.naming.connectServers',
  );

  it('accepts a server named after one of the clusters it serves', () => {
    const served = new Map([
      ['connect-prod-us', new Set(['dev-eu', 'prod-us'])],
    ]);
    expect(connectServerViolations(rule, served)).toEqual([]);
  });

  it('names the expected name for a server that fits none of its clusters', () => {
    const served = new Map([['main', new Set(['prod-us', 'dev-eu'])]]);
    expect(connectServerViolations(rule, served)).toEqual([
      {
        rule: 'connectServer',
        name: 'main',
        expected: 'connect-dev-eu',
        message:
          "'main' breaks the naming rule 'connect-{cluster}' (onepassword.naming.connectServers): expected 'connect-dev-eu'",
        server: 'main',
        cluster: 'dev-eu, prod-us',
      },
    ]);
  });

  it('knows the clusters of a server from config, operators and records', () => {
    const served = clustersByServer(
      { clusterServers: new Map([['edge', 'main']]) },
      [
        {
          name: 'dev-eu',
          operators: [{ connectServer: 'main' } as any],
        } as any,
      ],
      [makeRecord({ cluster: 'prod-us', connectServer: 'legacy' })],
    );
    expect(served).toEqual(
      new Map([
        ['main', new Set(['edge', 'dev-eu'])],
        ['legacy', new Set(['prod-us'])],
      ]),
    );
  });
});

describe('OnePasswordItem naming', () => {
  const rule = compileNamingRule(
    'onePasswordItem',
    '{title}',
    'onepassword.naming.onePasswordItems',
  );

  it('accepts a OnePasswordItem named after its item as Kubernetes spells it', () => {
    const records = [
      makeRecord({ secretName: 'payments-db', itemTitle: 'Payments DB' }),
    ];
    expect(onePasswordItemViolations(rule, records)).toEqual([]);
  });

  it('lists one named otherwise, and skips Deployment-annotated Secrets', () => {
    const records = [
      makeRecord({ secretName: 'db', itemTitle: 'Payments DB' }),
      makeRecord({ secretName: 'x', itemTitle: 'y', source: 'Deployment' }),
    ];
    expect(onePasswordItemViolations(rule, records)).toEqual([
      {
        rule: 'onePasswordItem',
        name: 'db',
        expected: 'payments-db',
        message:
          "'db' breaks the naming rule '{title}' (onepassword.naming.onePasswordItems): expected 'payments-db'",
        cluster: 'dev-eu',
        namespace: 'payments',
        server: 'main',
      },
    ]);
  });
});
