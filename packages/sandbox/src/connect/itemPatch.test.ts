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

import { applyItemPatch, parsePatch } from './itemPatch';

const item = {
  title: 'db',
  tags: ['a', 'b'],
  fields: [
    { id: 'username', label: 'username', value: 'u' },
    { id: 'password', label: 'password', value: 'p' },
  ],
};

describe('item patches', () => {
  it('addresses fields by id and tags by index, without touching the input', () => {
    const patched = applyItemPatch(item, [
      { op: 'replace', path: '/fields/password/value', value: 'new' },
      { op: 'remove', path: '/fields/username' },
      { op: 'remove', path: '/tags/0' },
      { op: 'add', path: '/tags/-', value: 'c' },
      { op: 'replace', path: '/title', value: 'renamed' },
    ]);
    expect(patched).toEqual({
      title: 'renamed',
      tags: ['b', 'c'],
      fields: [{ id: 'password', label: 'password', value: 'new' }],
    });
    expect(item.fields).toHaveLength(2);
  });

  it('replaces the whole item at /', () => {
    expect(
      applyItemPatch(item, [
        { op: 'replace', path: '/', value: { title: 'x' } },
      ]),
    ).toEqual({ title: 'x' });
  });

  it('refuses read-only attributes, missing paths and unknown ops', () => {
    expect(() =>
      applyItemPatch(item, [{ op: 'replace', path: '/version', value: 2 }]),
    ).toThrow(/'version' is read-only/);
    expect(() =>
      applyItemPatch(item, [{ op: 'remove', path: '/fields/nope' }]),
    ).toThrow(/no element 'nope'/);
    expect(() =>
      applyItemPatch(item, [{ op: 'replace', path: '/favorite', value: true }]),
    ).toThrow(/does not exist/);
    expect(() => parsePatch([{ op: 'move', path: '/title' }])).toThrow(
      /unsupported op 'move'/,
    );
    expect(() => parsePatch({ op: 'add' })).toThrow(/expected an array/);
  });
});
