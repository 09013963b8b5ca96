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
  fieldValue,
  matchesSelector,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors';

const labels = { app: 'payments', tier: 'db' };
const matches = (selector: string) =>
  matchesSelector(
    parseLabelSelector(selector),
    key => (labels as Record<string, string>)[key],
  );

describe('label selectors', () => {
  it.each([
    ['app=payments', true],
    ['app==payments', true],
    ['app!=payments', false],
    ['app in (orders, payments)', true],
    ['app notin (payments)', false],
    ['tier', true],
    ['!tier', false],
    ['!owner', true],
    ['app=payments,tier in (db),!owner', true],
    ['app=payments,tier=cache', false],
    ['', true],
  ])('%s → %s', (selector, expected) => {
    expect(matches(selector)).toBe(expected);
  });

  it('refuses what it cannot parse, with the API server message', () => {
    expect(() => parseLabelSelector('app in payments')).toThrow(
      /unable to parse requirement/,
    );
  });
});

describe('field selectors', () => {
  const event = {
    metadata: { name: 'e1', namespace: 'payments' },
    involvedObject: { kind: 'Deployment' },
  };

  it('reads dotted paths and compares with = and !=', () => {
    const selector = parseFieldSelector(
      'metadata.namespace=payments,involvedObject.kind!=Pod',
    );
    expect(matchesSelector(selector, key => fieldValue(event, key))).toBe(true);
    expect(fieldValue(event, 'metadata.uid')).toBeUndefined();
  });

  it('refuses set-based operators', () => {
    expect(() => parseFieldSelector('metadata.name in (a)')).toThrow(
      /invalid selector/,
    );
  });
});
