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

import { ConfigReader } from '@backstage/config';
import { VaultAllowList } from './VaultAllowList';

describe('VaultAllowList', () => {
  const sut = VaultAllowList.fromConfig(
    new ConfigReader({
      onepassword: {
        scaffolder: {
          allowedVaults: [
            { server: 'main', vaults: ['team-*', 'payments'] },
            { server: 'legacy', vaults: ['legacy-?illing'] },
            { server: 'main', vaults: ['abcdefghijklmnopqrstuvwxyz'] },
          ],
        },
      },
    }),
  );

  it.each([
    ['main', { name: 'team-sandbox' }, true],
    ['main', { name: 'Team-Sandbox' }, true],
    ['main', { name: 'payments' }, true],
    ['main', { name: 'payments-archive' }, false],
    ['main', { name: 'finance-restricted' }, false],
    ['main', { name: 'xteam-a' }, false],
    ['legacy', { name: 'legacy-billing' }, true],
    ['legacy', { name: 'payments' }, false],
    ['other', { name: 'team-sandbox' }, false],
    ['main', { id: 'abcdefghijklmnopqrstuvwxyz', name: 'renamed' }, true],
  ])('on %s allows %j: %s', (server, vault, allowed) => {
    expect(sut.isAllowed(server, vault)).toBe(allowed);
  });

  it('treats regex characters in patterns literally', () => {
    const list = new VaultAllowList([{ server: 'main', vaults: ['a.b'] }]);
    expect(list.isAllowed('main', { name: 'a.b' })).toBe(true);
    expect(list.isAllowed('main', { name: 'axb' })).toBe(false);
  });

  it('refuses everything when nothing is configured', () => {
    const empty = VaultAllowList.fromConfig(new ConfigReader({}));
    expect(() => empty.assertAllowed('main', { name: 'team-a' })).toThrow(
      "Vault 'team-a' on Connect server 'main' is not allowed for self-service credentials; ask the platform team to add it to onepassword.scaffolder.allowedVaults",
    );
  });
});
