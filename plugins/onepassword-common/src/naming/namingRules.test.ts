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

import { compileNamingRule, toKubernetesName } from './namingRules';

const service = {
  system: 'system:default/payments',
  owner: 'group:default/team-payments',
  name: 'payments-api',
  namespace: 'default',
  lifecycle: 'production',
};

describe('vault naming rules', () => {
  const rule = compileNamingRule(
    'vault',
    '{system}-{lifecycle}',
    'onepassword.naming.vaults',
  );

  it('accepts the title the pattern gives for the entity', () => {
    expect(rule.check('payments-production', service)).toEqual({ ok: true });
  });

  it('names the title it would accept for a violation', () => {
    expect(rule.check('Payments Prod', service)).toEqual({
      ok: false,
      expected: 'payments-production',
      message:
        "'Payments Prod' breaks the naming rule '{system}-{lifecycle}' (onepassword.naming.vaults): expected 'payments-production'",
    });
  });

  it('takes the name part of owner and system refs', () => {
    const byOwner = compileNamingRule('vault', '{owner}/{name}', 'k');
    expect(byOwner.expectedName(service)).toBe('team-payments/payments-api');
  });

  it('is not applicable where the entity lacks a value', () => {
    const result = rule.check('anything', { ...service, system: null });
    expect(result).toEqual({
      ok: 'not-applicable',
      message:
        'onepassword.naming.vaults needs {system}, which is not known here',
    });
  });
});

describe('regular-expression rules', () => {
  const rule = compileNamingRule('vault', { regex: '^team-[a-z0-9-]+$' }, 'k');

  it('accepts a match and describes the pattern for a violation', () => {
    expect(rule.check('team-payments', {})).toEqual({ ok: true });
    expect(rule.check('Payments', {})).toMatchObject({
      ok: false,
      expected: 'a name matching /^team-[a-z0-9-]+$/',
    });
  });
});

describe('Connect server naming rules', () => {
  const rule = compileNamingRule(
    'connectServer',
    'connect-{cluster}',
    'onepassword.naming.connectServers',
  );

  it('checks a server name against a cluster it serves', () => {
    expect(rule.check('connect-prod-eu', { cluster: 'prod-eu' })).toEqual({
      ok: true,
    });
    expect(rule.check('main', { cluster: 'prod-eu' })).toMatchObject({
      ok: false,
      expected: 'connect-prod-eu',
    });
  });
});

describe('OnePasswordItem naming rules', () => {
  const rule = compileNamingRule(
    'onePasswordItem',
    '{title}',
    'onepassword.naming.onePasswordItems',
  );

  it('expects the item title as a Kubernetes name', () => {
    expect(rule.check('payments-db', { title: 'Payments DB' })).toEqual({
      ok: true,
    });
    expect(rule.check('db', { title: 'Payments DB' })).toMatchObject({
      ok: false,
      expected: 'payments-db',
    });
  });
});

describe('bad rules are refused with the key and the reason', () => {
  it('refuses a placeholder the kind does not have', () => {
    expect(() =>
      compileNamingRule('vault', '{cluster}-x', 'onepassword.naming.vaults'),
    ).toThrow(
      'onepassword.naming.vaults uses the placeholder {cluster}; it may use {system}, {owner}, {name}, {namespace}, {lifecycle}',
    );
  });

  it('refuses an invalid regular expression', () => {
    expect(() =>
      compileNamingRule('vault', { regex: '([' }, 'onepassword.naming.vaults'),
    ).toThrow(
      /^onepassword\.naming\.vaults\.regex is not a valid regular expression/,
    );
  });

  it('refuses an empty pattern', () => {
    expect(() =>
      compileNamingRule('vault', '  ', 'onepassword.naming.vaults'),
    ).toThrow(
      "onepassword.naming.vaults must be a pattern such as '{system}-{lifecycle}' or { regex: '...' }",
    );
  });
});

describe('toKubernetesName', () => {
  it.each([
    ['Payments DB', 'payments-db'],
    ['  --Stripe / API key!  ', 'stripe-api-key'],
    ['db.prod', 'db.prod'],
    ['ÄÖÜ', ''],
  ])('%j → %j', (input, expected) => {
    expect(toKubernetesName(input)).toBe(expected);
  });
});
