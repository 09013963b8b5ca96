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
  coreServices,
  createBackendModule,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { onePasswordPermissions } from '@secret-sync/backstage-plugin-onepassword-common';

/** The config key naming the groups that run the platform. */
const PLATFORM_GROUPS_CONFIG_KEY = 'permission.platformGroups';

const ONEPASSWORD_PERMISSIONS = new Set(
  onePasswordPermissions.map(permission => permission.name),
);

/**
 * The demo's policy, owner-only for 1Password: a user reads the Secrets of
 * the entities they own (directly or through a group they are a member of)
 * and requests credentials only for those; the audit, refreshes and the
 * health of servers and clusters are for the platform groups, which may do
 * everything. Other plugins' permissions are allowed, as the allow-all
 * policy did.
 */
export class OnePasswordOwnerPolicy implements PermissionPolicy {
  constructor(
    private readonly platformGroups: ReadonlySet<string>,
    private readonly userInfo: UserInfoService,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!ONEPASSWORD_PERMISSIONS.has(permission.name)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) return { result: AuthorizeResult.DENY };
    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    if (ownershipEntityRefs.some(ref => this.platformGroups.has(ref))) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (isResourcePermission(permission, 'catalog-entity')) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims: ownershipEntityRefs }),
      );
    }
    return { result: AuthorizeResult.DENY };
  }
}

/** Installs {@link OnePasswordOwnerPolicy} in the permission backend. */
export const onePasswordPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'onepassword-owner-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, config, logger, userInfo }) {
        const platformGroups =
          config.getOptionalStringArray(PLATFORM_GROUPS_CONFIG_KEY) ?? [];
        if (platformGroups.length === 0) {
          logger.warn(
            `${PLATFORM_GROUPS_CONFIG_KEY} is not set: nobody may read the 1Password audit, refresh, or see server and cluster health`,
          );
        }
        policy.setPolicy(
          new OnePasswordOwnerPolicy(new Set(platformGroups), userInfo),
        );
      },
    });
  },
});
