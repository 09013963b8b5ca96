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

import { makeRecord } from '../__testUtils__/records';
import { rotationDeadline } from './rotationDeadline';

const DAY = 24 * 3600 * 1000;
const rules = [
  { vaults: ['pay*'], categories: ['DATABASE'], maxAgeMs: 10 * DAY },
  { vaults: ['pay*'], categories: null, maxAgeMs: 30 * DAY },
  { vaults: null, categories: ['PASSWORD'], maxAgeMs: 90 * DAY },
];
const updatedAt = '2026-11-01T00:00:00.000Z';
const plus = (days: number) =>
  new Date(Date.parse(updatedAt) + days * DAY).toISOString();

describe('rotationDeadline', () => {
  it('applies the first rule whose vault pattern and category both match', () => {
    const record = (vaultName: string, itemCategory: string) =>
      makeRecord({ vaultName, itemCategory, itemUpdatedAt: updatedAt });
    expect(rotationDeadline(record('payments', 'DATABASE'), rules)).toBe(
      plus(10),
    );
    expect(rotationDeadline(record('Payments', 'LOGIN'), rules)).toBe(plus(30));
    expect(rotationDeadline(record('storefront', 'PASSWORD'), rules)).toBe(
      plus(90),
    );
    expect(rotationDeadline(record('storefront', 'LOGIN'), rules)).toBeNull();
  });

  it('matches a vault pattern against the vault id too', () => {
    const record = makeRecord({
      vaultName: null,
      vaultId: 'pay0000000000000000000000',
      itemUpdatedAt: updatedAt,
    });
    expect(rotationDeadline(record, rules)).toBe(plus(30));
  });

  it('has no deadline without a known change time or category', () => {
    expect(
      rotationDeadline(makeRecord({ itemUpdatedAt: null }), rules),
    ).toBeNull();
    expect(
      rotationDeadline(
        makeRecord({
          vaultName: 'storefront',
          itemCategory: null,
          itemUpdatedAt: updatedAt,
        }),
        rules,
      ),
    ).toBeNull();
  });
});
