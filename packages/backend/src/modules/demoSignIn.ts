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

import { createBackendModule } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/** The auth provider id of the demo's payments developer. */
const PAYMENTS_DEVELOPER_PROVIDER_ID = 'payments-developer';

/**
 * Like the guest provider, but for one configured catalog user
 * (`auth.providers.payments-developer.userEntityRef`), so the demo can be
 * tried as someone who is not on the platform team. Development only, as the
 * guest provider is, unless `dangerouslyAllowOutsideDevelopment` is set.
 */
const demoUserAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize({ config }) {
    return {
      userEntityRef: config.getString('userEntityRef'),
      allowed:
        process.env.NODE_ENV === 'development' ||
        config.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') ===
          true,
    };
  },
  async authenticate(_, context) {
    if (!context.allowed) {
      throw new NotAllowedError(
        `The ${PAYMENTS_DEVELOPER_PROVIDER_ID} demo sign-in is for development only`,
      );
    }
    return { result: { userEntityRef: context.userEntityRef } };
  },
});

export const demoSignInModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-sign-in',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: PAYMENTS_DEVELOPER_PROVIDER_ID,
          factory: createProxyAuthProviderFactory({
            authenticator: demoUserAuthenticator,
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: result.userEntityRef }),
          }),
        });
      },
    });
  },
});
