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

import { isVaultAllowed } from './allowedVaults';

describe('isVaultAllowed', () => {
  const entries = [
    { server: 'main', vaults: ['team-*', 'payments'] },
    { server: 'legacy', vaults: ['legacy-?illing'] },
    { server: 'main', vaults: ['abcdefghijklmnopqrstuvwxyz'] },
  ];

  it.each([
    ['main', { name: 'team-sandbox' }, true],
    ['main', { name: 'Team-Sandbox' }, true],
    ['main', { name: 'payments' }, true],
    ['main', { name: 'payments2' }, false],
    ['main', { name: 'xteam-a' }, false],
    ['legacy', { name: 'legacy-billing' }, true],
    ['legacy', { name: 'payments' }, false],
    ['other', { name: 'team-sandbox' }, false],
    ['main', { id: 'abcdefghijklmnopqrstuvwxyz', name: 'renamed' }, true],
  ])('on %s allows %j: %s', (server, vault, allowed) => {
    expect(isVaultAllowed(entries, server, vault)).toBe(allowed);
  });

  it('treats regex characters in patterns literally', () => {
    const dotted = [{ server: 'main', vaults: ['a.b'] }];
    expect(isVaultAllowed(dotted, 'main', { name: 'a.b' })).toBe(true);
    expect(isVaultAllowed(dotted, 'main', { name: 'axb' })).toBe(false);
  });

  it('allows nothing when nothing is listed', () => {
    expect(isVaultAllowed([], 'main', { name: 'team-a' })).toBe(false);
  });
});
