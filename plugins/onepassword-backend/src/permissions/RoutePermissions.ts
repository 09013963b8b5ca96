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
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { Request } from 'express';

/** A permission whose resource is a catalog entity. */
type EntityPermission = ResourcePermission<'catalog-entity'>;

/**
 * The router's permission checks: every route turns its request into the
 * caller's credentials and one decision here, so no route can forget one.
 * Users and services may call; an anonymous request is a 401.
 */
export class RoutePermissions {
  static create(options: {
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
  }) {
    return new RoutePermissions(options.httpAuth, options.permissions);
  }

  private constructor(
    private readonly httpAuth: HttpAuthService,
    private readonly permissions: PermissionsService,
  ) {}

  credentials(req: Request): Promise<BackstageCredentials> {
    return this.httpAuth.credentials(req, { allow: ['user', 'service'] });
  }

  /** Throws NotAllowedError unless the caller has the basic permission. */
  async require(
    req: Request,
    permission: BasicPermission,
  ): Promise<BackstageCredentials> {
    const credentials = await this.credentials(req);
    await requirePermission(this.permissions, credentials, { permission });
    return credentials;
  }

  /**
   * Throws NotAllowedError unless the caller has the permission on the
   * entity; a conditional policy (owner only) is resolved against the catalog
   * by the permission backend.
   */
  async requireForEntity(
    req: Request,
    permission: EntityPermission,
    entityRef: string,
  ): Promise<BackstageCredentials> {
    const credentials = await this.credentials(req);
    await requirePermission(this.permissions, credentials, {
      permission,
      resourceRef: entityRef,
    });
    return credentials;
  }
}

/**
 * A permission to decide: a basic one, or a resource one with the entity it
 * is asked for. The type says which needs an entity, so no call can forget it.
 */
type PermissionRequest =
  | { permission: BasicPermission; resourceRef?: never }
  | { permission: EntityPermission; resourceRef: string };

/**
 * One decision for credentials already in hand (the router's, an action's):
 * throws NotAllowedError naming the permission (and entity) unless allowed.
 */
export async function requirePermission(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  request: PermissionRequest,
): Promise<void> {
  const [decision] = await permissions.authorize([request], { credentials });
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `Not allowed: ${request.permission.name}${
        request.resourceRef ? ` on ${request.resourceRef}` : ''
      }`,
    );
  }
}
