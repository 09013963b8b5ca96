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
  invalidItemPathMessage,
  isOnePasswordId,
  parseItemPath,
} from './itemPath';

describe('parseItemPath', () => {
  it('parses ids and titles', () => {
    expect(parseItemPath('vaults/payments/items/payments-db')).toEqual({
      vault: 'payments',
      item: 'payments-db',
    });
    expect(
      parseItemPath(
        'vaults/abcdefghijklmnopqrstuvwxyz/items/0123456789abcdefghijklmnop',
      ),
    ).toEqual({
      vault: 'abcdefghijklmnopqrstuvwxyz',
      item: '0123456789abcdefghijklmnop',
    });
  });

  it('keeps spaces and case as written', () => {
    expect(parseItemPath('vaults/My Vault/items/DB Login')).toEqual({
      vault: 'My Vault',
      item: 'DB Login',
    });
  });

  it.each([
    '',
    'vaults/a/items',
    'vaults/a/items/b/c',
    'vault/a/items/b',
    'vaults/a/item/b',
    '/vaults/a/items/b',
    'vaults/a/items/b/',
    'vaults/a/b/items/c',
    'Vaults/a/items/b',
  ])('rejects %j', path => {
    expect(parseItemPath(path)).toBeUndefined();
  });

  it('accepts empty parts like the operator does', () => {
    expect(parseItemPath('vaults//items/')).toEqual({ vault: '', item: '' });
  });

  it('quotes the path in the operator message', () => {
    expect(invalidItemPathMessage('x/y')).toBe(
      '"x/y" is not an acceptable path for One Password item. Must be of the format: `vaults/{vault_id}/items/{item_id}`',
    );
  });
});

describe('isOnePasswordId', () => {
  it('accepts 26 lowercase alphanumerics only', () => {
    expect(isOnePasswordId('abcdefghijklmnopqrstuvwxyz')).toBe(true);
    expect(isOnePasswordId('0123456789abcdefghijklmnop')).toBe(true);
    expect(isOnePasswordId('ABCDEFGHIJKLMNOPQRSTUVWXYZ')).toBe(false);
    expect(isOnePasswordId('abcdefghijklmnopqrstuvwxy')).toBe(false);
    expect(isOnePasswordId('payments')).toBe(false);
  });
});
