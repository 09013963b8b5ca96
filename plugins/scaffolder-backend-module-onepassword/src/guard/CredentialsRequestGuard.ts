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
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { onePasswordCredentialsRequestPermission } from '@secret-sync/backstage-plugin-onepassword-common';
import { VaultAllowList, VaultIdentity } from './VaultAllowList';

/** What an audit event records about one request: ids and names, never values. */
interface CredentialsRequestAuditDetails extends JsonObject {
  action: string;
  entityRef: string;
  server: string | null;
  vault: string | null;
  dryRun: boolean;
}

/**
 * The guard rails every credentials action passes: the initiator must hold
 * `onepassword.credentials.request`, the vault must be on the allow-list, and
 * every attempt, allowed or not, becomes an auditor event.
 */
export class CredentialsRequestGuard {
  static fromConfig(
    config: Config,
    options: { permissions: PermissionsService; auditor: AuditorService },
  ): CredentialsRequestGuard {
    return new CredentialsRequestGuard(
      options.permissions,
      options.auditor,
      VaultAllowList.fromConfig(config),
    );
  }

  constructor(
    private readonly permissions: PermissionsService,
    private readonly auditor: AuditorService,
    private readonly allowList: VaultAllowList,
  ) {}

  /**
   * Throws NotAllowedError unless the task initiator may request credentials
   * for the entity: a resource permission on it, so an owner-only policy
   * stops anyone creating items tagged for a service they do not own,
   * whatever the template's picker offered.
   */
  async authorize(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<void> {
    const permission = onePasswordCredentialsRequestPermission;
    const [decision] = await this.permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${describePrincipal(
          credentials,
        )} is not allowed to request 1Password credentials for ${entityRef} ` +
          `(permission '${permission.name}')`,
      );
    }
  }

  assertVaultAllowed(server: string, vault: VaultIdentity): void {
    this.allowList.assertAllowed(server, vault);
  }

  /**
   * Runs `fn` inside an auditor event. `fn` returns the ids to record on
   * success; a failure records the error, whose message never holds a value.
   */
  async audited<T>(
    credentials: BackstageCredentials,
    details: CredentialsRequestAuditDetails,
    fn: () => Promise<{ result: T; auditMeta: JsonObject }>,
  ): Promise<T> {
    const event = await this.auditor.createEvent({
      eventId: 'credentials-request',
      severityLevel: details.dryRun ? 'low' : 'medium',
      meta: { ...details, actor: describePrincipal(credentials) },
    });
    try {
      const { result, auditMeta } = await fn();
      await event.success({ meta: auditMeta });
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }
}

function describePrincipal(credentials: BackstageCredentials): string {
  const principal = credentials.principal as
    | { type: 'user'; userEntityRef: string }
    | { type: 'service'; subject: string }
    | { type: 'none' };
  switch (principal.type) {
    case 'user':
      return principal.userEntityRef;
    case 'service':
      return principal.subject;
    default:
      return 'an anonymous caller';
  }
}
