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

import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  onePasswordAuditReadPermission,
  onePasswordCredentialsRequestPermission,
  onePasswordHealthReadPermission,
  onePasswordRefreshPermission,
  onePasswordSecretsReadPermission,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { OnePasswordOwnerPolicy } from './onePasswordPolicy';

const MEMBERSHIPS: Record<string, string[]> = {
  'user:default/guest': [
    'user:default/guest',
    'group:default/team-platform',
    'group:default/team-payments',
  ],
  'user:default/payments-developer': [
    'user:default/payments-developer',
    'group:default/team-payments',
  ],
};

describe('OnePasswordOwnerPolicy', () => {
  const policy = new OnePasswordOwnerPolicy(
    new Set(['group:default/team-platform']),
    mockServices.userInfo.mock({
      getUserInfo: async credentials => {
        const ref = (credentials.principal as { userEntityRef: string })
          .userEntityRef;
        return { userEntityRef: ref, ownershipEntityRefs: MEMBERSHIPS[ref] };
      },
    }),
  );
  const as = (userEntityRef: string) => ({
    credentials: mockCredentials.user(userEntityRef),
    info: { userEntityRef, ownershipEntityRefs: [] },
  });

  it.each([
    onePasswordSecretsReadPermission,
    onePasswordCredentialsRequestPermission,
  ])(
    'gives a developer $name on the entities they own only',
    async permission => {
      const decision = await policy.handle(
        { permission },
        as('user:default/payments-developer'),
      );
      expect(decision).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: {
            claims: [
              'user:default/payments-developer',
              'group:default/team-payments',
            ],
          },
        },
      });
    },
  );

  it.each([
    onePasswordAuditReadPermission,
    onePasswordRefreshPermission,
    onePasswordHealthReadPermission,
  ])('denies a developer $name', async permission => {
    expect(
      await policy.handle(
        { permission },
        as('user:default/payments-developer'),
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it.each([
    onePasswordSecretsReadPermission,
    onePasswordCredentialsRequestPermission,
    onePasswordAuditReadPermission,
    onePasswordRefreshPermission,
    onePasswordHealthReadPermission,
  ])('allows the platform group $name', async permission => {
    expect(
      await policy.handle({ permission }, as('user:default/guest')),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('denies 1Password permissions without a user', async () => {
    expect(
      await policy.handle({ permission: onePasswordAuditReadPermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it("leaves other plugins' permissions allowed, as before", async () => {
    expect(
      await policy.handle(
        { permission: catalogEntityReadPermission },
        as('user:default/payments-developer'),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });
});
