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

import { selectReusableItem } from './reusableItem';

describe('selectReusableItem', () => {
  const request = {
    title: 'db',
    category: 'LOGIN',
    vaultName: 'team-a',
    entityRef: 'component:default/svc',
    ifExists: 'reuse' as const,
  };
  const own = {
    id: 'i1',
    category: 'LOGIN',
    tags: ['backstage:component:default/svc'],
  };

  it('creates when nothing has the title', () => {
    expect(
      selectReusableItem([], { ...request, ifExists: 'fail' }),
    ).toBeUndefined();
  });

  it("reuses the entity's own item", () => {
    expect(selectReusableItem([own], request)).toBe(own);
  });

  it.each([
    [
      [own],
      { ifExists: 'fail' as const },
      "An item titled 'db' already exists in vault 'team-a'",
    ],
    [
      [own, { ...own, id: 'i2' }],
      {},
      "Several items are titled 'db' in vault 'team-a'",
    ],
    [
      [{ ...own, category: 'PASSWORD' }],
      {},
      "Item 'db' in vault 'team-a' is a PASSWORD, not a LOGIN",
    ],
    [
      [{ ...own, tags: ['backstage:component:default/other'] }],
      {},
      'was not requested for component:default/svc',
    ],
  ])('refuses %j with %j', (existing, override, message) => {
    expect(() =>
      selectReusableItem(existing, { ...request, ...override }),
    ).toThrow(message);
  });
});
