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
  AuditorServiceCreateEventOptions,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import {
  onePasswordAuditReadPermission,
  onePasswordHealthReadPermission,
  onePasswordRefreshPermission,
  onePasswordSecretsReadPermission,
} from '@secret-sync/backstage-plugin-onepassword-common';
import express from 'express';
import Router from 'express-promise-router';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RequestableVaults } from '../permissions/RequestableVaults';
import { RoutePermissions } from '../permissions/RoutePermissions';
import { errorResponder } from './errorResponder';
import { parseAuditQuery } from './request/parseAuditQuery';
import { parseEntityRoute } from './request/parseEntityRoute';
import { parseHistoryQuery } from './request/parseHistoryQuery';
import { rejectControlCharacters } from './request/rejectControlCharacters';
import { RefreshRateLimitedError, RefreshTrigger } from './RefreshTrigger';
import { SecretSyncQueryService } from './SecretSyncQueryService';
import type { NamingAuditService } from '../naming/NamingAuditService';

/** @public */
interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  catalog: CatalogService;
  query: SecretSyncQueryService;
  refresh: RefreshTrigger;
  /** Serves `GET /naming`; without it the route answers no rules. */
  naming?: NamingAuditService;
}

/** Who is asking, for the per-caller refresh limit. */
function principalRef(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject ?? principal.type;
}

/**
 * Runs one route as one auditor event, as kubernetes-backend does: every
 * route, reads included, so who read which Secrets' state is on record. The
 * work answers the request and returns what the success event should add.
 */
async function audited(
  auditor: AuditorService,
  event: AuditorServiceCreateEventOptions,
  work: () => Promise<JsonObject | undefined>,
): Promise<void> {
  const auditorEvent = await auditor.createEvent(event);
  try {
    const meta = await work();
    await auditorEvent.success(meta ? { meta } : undefined);
  } catch (error) {
    await auditorEvent.fail({ error: error as Error });
    throw error;
  }
}

/** The plugin's HTTP API; every route reads the stored snapshot. @public */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { auditor, query, refresh } = options;
  const access = RoutePermissions.create(options);
  const requestableVaults = RequestableVaults.create(options);
  const router = Router();
  router.use(express.json());
  router.use((req, _res, next) => {
    rejectControlCharacters(req.query as Record<string, unknown>);
    next();
  });

  router.get('/entities/:namespace/:kind/:name/secrets', async (req, res) => {
    await audited(
      auditor,
      { eventId: 'entity-secrets-read', request: req },
      async () => {
        const entityRef = parseEntityRoute(req.params);
        const credentials = await access.requireForEntity(
          req,
          onePasswordSecretsReadPermission,
          entityRef,
        );
        const answer = await query.getEntitySecretsJson(entityRef, credentials);
        res.type('application/json').send(answer.body);
        return { entityRef, total: answer.total };
      },
    );
  });

  router.get(
    '/entities/:namespace/:kind/:name/secrets/history',
    async (req, res) => {
      const entityRef = parseEntityRoute(req.params);
      const credentials = await access.requireForEntity(
        req,
        onePasswordSecretsReadPermission,
        entityRef,
      );
      const request = parseHistoryQuery(req.query as Record<string, unknown>);
      res.json(
        await query.getEntitySecretHistory(entityRef, credentials, request),
      );
    },
  );

  router.get('/audit', async (req, res) => {
    await audited(
      auditor,
      {
        eventId: 'audit-read',
        request: req,
        meta: { format: req.query.format === 'csv' ? 'csv' : 'json' },
      },
      async () => {
        await access.require(req, onePasswordAuditReadPermission);
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
          return undefined;
        }
        const page = await query.getAudit(request);
        res.json(page);
        return { total: page.total };
      },
    );
  });

  router.get('/naming', async (req, res) => {
    const credentials = await access.require(
      req,
      onePasswordAuditReadPermission,
    );
    res.json(
      options.naming
        ? await options.naming.listViolations(credentials)
        : { rules: {}, items: [] },
    );
  });

  // Which entities' Secrets come from which vault, for the catalog module's
  // vault entities: an audit of every record, so the audit permission.
  router.get('/vault-usage', async (req, res) => {
    await access.require(req, onePasswordAuditReadPermission);
    res.json(await query.getVaultUsage());
  });

  router.get('/servers', async (req, res) => {
    await audited(
      auditor,
      { eventId: 'servers-read', request: req },
      async () => {
        await access.require(req, onePasswordHealthReadPermission);
        const servers = await query.getServers();
        res.json(servers);
        return { total: servers.items.length };
      },
    );
  });

  router.get('/clusters', async (req, res) => {
    await audited(
      auditor,
      { eventId: 'clusters-read', request: req },
      async () => {
        await access.require(req, onePasswordHealthReadPermission);
        const clusters = await query.getClusters();
        res.json(clusters);
        return { total: clusters.items.length };
      },
    );
  });

  router.get('/vaults', async (req, res) => {
    await audited(
      auditor,
      { eventId: 'vaults-read', request: req },
      async () => {
        const credentials = await access.credentials(req);
        const scope = await requestableVaults.forCaller(credentials);
        const vaults = await query.getVaults(scope);
        res.json(vaults);
        return { total: vaults.items.length };
      },
    );
  });

  router.post('/refresh', async (req, res) => {
    await audited(
      auditor,
      { eventId: 'refresh', severityLevel: 'medium', request: req },
      async () => {
        const credentials = await access.require(
          req,
          onePasswordRefreshPermission,
        );
        try {
          res
            .status(202)
            .json(await refresh.trigger(principalRef(credentials)));
        } catch (error) {
          if (error instanceof RefreshRateLimitedError) {
            res.setHeader('Retry-After', String(error.retryAfterSeconds));
          }
          throw error;
        }
        return undefined;
      },
    );
  });

  router.use(errorResponder(options.logger));
  return router;
}
