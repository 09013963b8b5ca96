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

import type { PermissionsService } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  onePasswordAuditReadPermission,
  onePasswordSecretsReadPermission,
  SecretSyncRecord,
  SYNC_STATUSES,
  SyncStatus,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { requirePermission } from '../permissions/RoutePermissions';
import { parseAuditQuery } from '../service/request/parseAuditQuery';
import type { SecretSyncQueryService } from '../service/SecretSyncQueryService';

/** Statuses that need someone's attention, what "which Secrets are wrong" means. */
const UNHEALTHY: SyncStatus[] = SYNC_STATUSES.filter(
  status => status !== 'in-sync' && status !== 'pending',
);
const MAX_LISTED = 200;

/** What an agent is told about one synced Secret: the same facts as the HTTP API, never a value. */
function describeRecord(
  record: SecretSyncRecord & { entityRef?: string | null },
) {
  return {
    cluster: record.cluster,
    namespace: record.namespace,
    secretName: record.secretName,
    ...(record.entityRef !== undefined ? { entityRef: record.entityRef } : {}),
    status: record.status,
    message: record.message,
    hint: record.hint,
    itemPath: record.itemPath,
    vaultName: record.vaultName,
    itemTitle: record.itemTitle,
    connectServer: record.connectServer,
    itemVersion: record.itemVersion,
    secretVersion: record.secretVersion,
    itemUpdatedAt: record.itemUpdatedAt,
    syncedAt: record.syncedAt,
    statusSince: record.statusSince,
    pollingIntervalSeconds: record.pollingIntervalSeconds,
    nextPollBy: record.nextPollBy,
    autoRestart: record.autoRestart.enabled,
    restartNeeded: record.restartNeeded ?? null,
    restartHint: record.restartHint ?? null,
    connectHint: record.connectHint ?? null,
  };
}

/** The zod the actions registry hands its schema callbacks (its own copy). */
type ActionsZod = Parameters<
  Parameters<ActionsRegistryService['register']>[0]['schema']['input']
>[0];

const recordSchema = (z: ActionsZod) =>
  z.object({
    cluster: z.string(),
    namespace: z.string(),
    secretName: z.string(),
    entityRef: z
      .string()
      .nullable()
      .optional()
      .describe('The owning catalog entity; null for an orphan'),
    status: z.enum(SYNC_STATUSES),
    message: z.string().nullable(),
    hint: z.string().nullable().describe('What to do about a non-green status'),
    itemPath: z.string(),
    vaultName: z.string().nullable(),
    itemTitle: z.string().nullable(),
    connectServer: z.string().nullable(),
    itemVersion: z.number().nullable(),
    secretVersion: z.number().nullable(),
    itemUpdatedAt: z.string().nullable(),
    syncedAt: z.string().nullable(),
    statusSince: z.string().nullable(),
    pollingIntervalSeconds: z.number(),
    nextPollBy: z.string().nullable(),
    autoRestart: z.boolean(),
    restartNeeded: z
      .boolean()
      .nullable()
      .describe(
        'Pods that read the Secret at start run its previous value; null: not known',
      ),
    restartHint: z.string().nullable(),
    connectHint: z
      .string()
      .nullable()
      .describe(
        "What is wrong with the operator's Connect deployment or token, and what to do",
      ),
  });

/**
 * Registers the plugin's read actions in Backstage's actions registry, so
 * MCP clients and other agents ask "what is the secret sync status of this
 * service" and "which Secrets are stale" with the same permission checks as
 * the HTTP API and the same records, never a value.
 */
export function registerSecretSyncActions(options: {
  actionsRegistry: ActionsRegistryService;
  permissions: PermissionsService;
  query: SecretSyncQueryService;
}) {
  const { actionsRegistry, permissions, query } = options;

  actionsRegistry.register({
    name: 'get-entity-secret-sync-status',
    title: 'Get the 1Password secret sync status of an entity',
    description: `Returns every Kubernetes Secret the 1Password operator syncs for one catalog entity (usually a Component), with its sync status (in-sync, pending, stale, error, missing, item-not-found, access-denied, unknown), what is wrong and what to do (message, hint), and when it last synced. Never returns a secret value. Use it to answer "is the secret of this service up to date, and if not, why".`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe(
              'The entity, e.g. component:default/payments-api (kind defaults to component)',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          asOf: z
            .string()
            .nullable()
            .describe('When the stored state was last refreshed'),
          total: z.number(),
          secrets: z.array(recordSchema(z)),
        }),
    },
    action: async ({ input, credentials }) => {
      let entityRef: string;
      try {
        entityRef = stringifyEntityRef(
          parseEntityRef(input.entityRef, { defaultKind: 'component' }),
        );
      } catch (error) {
        throw new InputError(
          `Invalid entityRef '${input.entityRef}': ${(error as Error).message}`,
        );
      }
      await requirePermission(permissions, credentials, {
        permission: onePasswordSecretsReadPermission,
        resourceRef: entityRef,
      });
      const response = await query.getEntitySecrets(entityRef, credentials);
      return {
        output: {
          entityRef: response.entityRef,
          asOf: response.asOf,
          total: response.summary.total,
          secrets: response.items.map(describeRecord),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'list-unhealthy-secrets',
    title: 'List 1Password-synced Secrets that need attention',
    description: `Lists synced Secrets across every cluster whose status needs attention (stale, error, missing, item-not-found, access-denied, unknown by default), with the owning entity, the message and the hint. Filter by status, cluster and whether consuming pods need a restart. Never returns a secret value. Use it to answer "which Secrets are stale" for a platform owner.`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    visibilityPermission: onePasswordAuditReadPermission,
    schema: {
      input: z =>
        z.object({
          status: z
            .array(z.enum(SYNC_STATUSES))
            .optional()
            .describe(
              'Statuses to list; default every status needing attention',
            ),
          cluster: z.array(z.string()).optional(),
          restartNeeded: z
            .boolean()
            .optional()
            .describe(
              'true: only Secrets whose consuming pods need a restart (any status)',
            ),
          limit: z.number().int().min(1).max(MAX_LISTED).optional(),
        }),
      output: z =>
        z.object({
          total: z
            .number()
            .describe(
              'How many Secrets match, of which `secrets` holds the first `limit`',
            ),
          secrets: z.array(recordSchema(z)),
        }),
    },
    action: async ({ input, credentials }) => {
      await requirePermission(permissions, credentials, {
        permission: onePasswordAuditReadPermission,
      });
      // The same parsing as GET /audit, so both take the same filters.
      const page = await query.getAudit(
        parseAuditQuery({
          // Asked for restarts, every status counts: an in-sync Secret can need one.
          ...(input.restartNeeded === undefined
            ? { status: (input.status ?? UNHEALTHY).join(',') }
            : {
                restartNeeded: String(input.restartNeeded),
                ...(input.status ? { status: input.status.join(',') } : {}),
              }),
          ...(input.cluster?.length
            ? { cluster: input.cluster.join(',') }
            : {}),
          sort: 'status',
          limit: String(input.limit ?? 50),
        }),
      );
      return {
        output: {
          total: page.total,
          secrets: page.items.map(describeRecord),
        },
      };
    },
  });
}
