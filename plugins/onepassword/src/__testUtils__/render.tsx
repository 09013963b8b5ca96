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

import { ReactElement } from 'react';
import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { OnePasswordApi, onePasswordApiRef } from '../api';
import { requestCredentialsRouteRef } from '../routes';

/** The error the client throws for a backend answer with this status. */
export function responseError(statusCode: number, message: string) {
  const body = {
    error: { name: statusCode === 403 ? 'NotAllowedError' : 'Error', message },
    request: { method: 'GET', url: '/api/onepassword/entities' },
    response: { statusCode },
  };
  return ResponseError.fromResponse({
    status: statusCode,
    statusText: statusCode === 403 ? 'Forbidden' : 'Internal Server Error',
    headers: { get: () => 'application/json' },
    text: async () => JSON.stringify(body),
  } as unknown as Response);
}

/**
 * Renders an entity component in a new-frontend-system test app with the
 * given API and permission decision.
 */
export function renderForEntity(
  element: ReactElement,
  options: {
    entity: Entity;
    api: OnePasswordApi;
    allowRefresh?: boolean;
    /** A signals API, as the signals plugin installs it; default none. */
    signals?: SignalApi;
    /** Where the element is rendered, e.g. the Secrets tab of the entity. */
    path?: string;
  },
) {
  const { entity, api, allowRefresh = true, signals, path } = options;
  return renderInTestApp(
    <EntityProvider entity={entity}>{element}</EntityProvider>,
    {
      apis: [
        [onePasswordApiRef, api],
        mockApis.permission({
          authorize: allowRefresh
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
        }),
        ...(signals ? [[signalApiRef, signals] as const] : []),
      ],
      ...(path ? { initialRouteEntries: [path] } : {}),
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/create/templates/:namespace/:templateName':
          requestCredentialsRouteRef,
      },
    },
  );
}
