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

import { matchesScimFilter, parseScimFilter } from './scimFilter';

const item = (title: string, tags: string[]) => (attribute: string) =>
  attribute === 'tag' ? tags : [title];

describe('SCIM filters', () => {
  const matches = (filter: string, title: string, tags: string[] = []) =>
    matchesScimFilter(
      parseScimFilter(filter, ['title', 'tag']),
      item(title, tags),
    );

  it('compares titles', () => {
    expect(matches('title eq "db"', 'db')).toBe(true);
    expect(matches('title eq "db"', 'db2')).toBe(false);
    expect(matches('title co "b"', 'db')).toBe(true);
    expect(matches('title sw "d"', 'db')).toBe(true);
    expect(matches('title ne "db"', 'db')).toBe(false);
    expect(matches('title eq "a \\"quoted\\" title"', 'a "quoted" title')).toBe(
      true,
    );
  });

  it('matches any tag, and combines with and/or and parentheses', () => {
    expect(matches('tag eq "prod"', 'x', ['dev', 'prod'])).toBe(true);
    expect(matches('tag eq "prod" and title eq "x"', 'x', ['prod'])).toBe(true);
    expect(
      matches('(tag eq "a" or tag eq "b") and title co "y"', 'x', ['b']),
    ).toBe(false);
    expect(matches('TITLE EQ "x"', 'x')).toBe(true);
  });

  it.each([
    ['title eq db', /expected a double-quoted value/],
    ["title eq 'db'", /unexpected character/],
    ['owner eq "x"', /unsupported attribute 'owner'/],
    ['title like "x"', /unsupported operator/],
    ['title eq "x" title', /unexpected 'title'/],
    ['title eq "x', /unterminated string/],
  ])('answers 400 for %s', (filter, message) => {
    let thrown: unknown;
    try {
      parseScimFilter(filter, ['title', 'tag']);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      status: 400,
      message: expect.stringMatching(message),
    });
  });
});
