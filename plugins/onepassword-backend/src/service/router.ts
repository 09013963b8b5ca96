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
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  Permission,
} from '@backstage/plugin-permission-common';
import {
  onepasswordAuditReadPermission,
  onepasswordRefreshPermission,
  onepasswordSecretsReadPermission,
} from '@secret-sync/backstage-plugin-onepassword-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseAuditQuery } from './request/parseAuditQuery';
import { RefreshRateLimitedError, RefreshTrigger } from './RefreshTrigger';
import { SecretSyncQueryService } from './SecretSyncQueryService';

/** @public */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  query: SecretSyncQueryService;
  refresh: RefreshTrigger;
}

/** The plugin's HTTP API; every route reads the stored snapshot. @public */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, auditor, query, refresh } = options;
  const router = Router();
  router.use(express.json());

  async function authorize(
    req: Request,
    permission: Permission,
    resourceRef?: string,
  ) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize(
      [
        resourceRef
          ? { permission: permission as any, resourceRef }
          : { permission: permission as any },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
    return credentials;
  }

  router.get('/entities/:namespace/:kind/:name/secrets', async (req, res) => {
    const { namespace, kind, name } = req.params;
    let entityRef: string;
    try {
      entityRef = stringifyEntityRef({ kind, namespace, name });
    } catch (e) {
      throw new InputError(`Invalid entity reference: ${(e as Error).message}`);
    }
    const credentials = await authorize(
      req,
      onepasswordSecretsReadPermission,
      entityRef,
    );
    res.json(await query.getEntitySecrets(entityRef, credentials));
  });

  router.get('/audit', async (req, res) => {
    const auditorEvent = await auditor.createEvent({
      eventId: 'audit-read',
      request: req,
      meta: { format: req.query.format === 'csv' ? 'csv' : 'json' },
    });
    try {
      await authorize(req, onepasswordAuditReadPermission);
      const format = req.query.format;
      if (format !== undefined && format !== 'csv' && format !== 'json') {
        throw new InputError(
          `Query parameter 'format' must be json or csv, not '${String(
            format,
          )}'`,
        );
      }
      const request = parseAuditQuery(req.query as Record<string, unknown>);
      if (format === 'csv') {
        const csv = await query.getAuditCsv(request);
        res.type('text/csv').attachment('onepassword-secrets.csv');
        await pipeline(Readable.from(csv), res);
        await auditorEvent.success();
        return;
      }
      const page = await query.getAudit(request);
      await auditorEvent.success({ meta: { total: page.total } });
      res.json(page);
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
  });

  router.get('/servers', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(await query.getServers());
  });

  router.get('/clusters', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(await query.getClusters());
  });

  router.get('/vaults', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(await query.getVaults());
  });

  router.post('/refresh', async (req, res) => {
    const auditorEvent = await auditor.createEvent({
      eventId: 'refresh',
      severityLevel: 'medium',
      request: req,
    });
    try {
      await authorize(req, onepasswordRefreshPermission);
      const result = await refresh.trigger();
      await auditorEvent.success();
      res.status(202).json(result);
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      if (error instanceof RefreshRateLimitedError) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
      }
      throw error;
    }
  });

  return router;
}
