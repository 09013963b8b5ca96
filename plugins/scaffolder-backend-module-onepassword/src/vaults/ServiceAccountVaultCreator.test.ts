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
import { ServiceAccountVaultCreator } from './ServiceAccountVaultCreator';

describe('ServiceAccountVaultCreator', () => {
  it('is not configured without a token', () => {
    expect(
      ServiceAccountVaultCreator.fromConfig(new ConfigReader({}), {}),
    ).toBeUndefined();
  });

  it('takes the token from config, then from OP_SERVICE_ACCOUNT_TOKEN', () => {
    expect(
      ServiceAccountVaultCreator.fromConfig(
        new ConfigReader({
          onepassword: { serviceAccount: { token: 'ops_x' } },
        }),
        {},
      ),
    ).toBeInstanceOf(ServiceAccountVaultCreator);
    expect(
      ServiceAccountVaultCreator.fromConfig(new ConfigReader({}), {
        OP_SERVICE_ACCOUNT_TOKEN: 'ops_y',
      }),
    ).toBeInstanceOf(ServiceAccountVaultCreator);
  });

  // The SDK rejects a malformed token locally, before any network call; this
  // is the only part of the service-account path that can run here.
  it('reports SDK failures without the token', async () => {
    const sut = ServiceAccountVaultCreator.fromConfig(new ConfigReader({}), {
      OP_SERVICE_ACCOUNT_TOKEN: 'ops_CANARY-not-a-real-token',
    })!;
    const error = await sut.createVault({ title: 'team-x' }).catch(e => e);
    expect(error.message).toMatch(
      /^1Password service account call failed: .*invalid service account token/i,
    );
    expect(error.message).not.toContain('CANARY');
  });
});
