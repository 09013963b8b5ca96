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
  MiddlewareFactory,
  RootHttpRouterConfigureContext,
  rootHttpRouterServiceFactory,
} from '@backstage/backend-defaults/rootHttpRouter';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { isError, toError } from '@backstage/errors';
import type { ErrorRequestHandler } from 'express';
import { randomBytes } from 'node:crypto';

/** The `@backstage/errors` types whose messages are written for the caller. */
const CALLER_FACING = new Set([
  'InputError',
  'AuthenticationError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
  'NotModifiedError',
  'NotImplementedError',
  'ServiceUnavailableError',
]);

function statusOf(error: unknown): number {
  for (const field of ['statusCode', 'status'] as const) {
    const status = (error as Record<string, unknown> | undefined)?.[field];
    if (typeof status === 'number' && status >= 100 && status <= 599) {
      return status;
    }
  }
  return 500;
}

/**
 * Backstage's error handler with what a production answer must not carry
 * taken out, for every plugin's routes: never a stack trace (Backstage
 * shows them whenever NODE_ENV is `development`); the request's path
 * without its query string (Backstage echoes `req.url` whole, and a query
 * can carry what the caller typed, tokens included); and, for an unexpected
 * error (a 5xx that is no `@backstage/errors` type), a log id instead of a
 * message that may name files, hosts or SQL; the error is logged in full.
 */
export function safeErrorHandler(
  backstageError: MiddlewareFactory['error'],
  logger: LoggerService,
): ErrorRequestHandler {
  const handler = backstageError({ showStackTraces: false });
  return (error, req, res, next) => {
    const queryAt = req.url.indexOf('?');
    if (queryAt >= 0) req.url = req.url.slice(0, queryAt);
    if (
      statusOf(error) >= 500 &&
      !(isError(error) && CALLER_FACING.has(error.name))
    ) {
      const logId = randomBytes(10).toString('hex');
      logger.error(`Request failed logId=${logId}`, toError(error));
      const replaced = new Error(`An internal error occurred logId=${logId}`);
      delete replaced.stack;
      handler(replaced, req, res, next);
      return;
    }
    handler(error, req, res, next);
  };
}

/** Backstage's defaults, with {@link safeErrorHandler} as the error handler. */
export function configureSafeErrors(context: RootHttpRouterConfigureContext) {
  const { middleware, logger } = context;
  const backstageError = middleware.error.bind(middleware);
  // applyDefaults installs `middleware.error()` last: this is what it gets.
  middleware.error = () => safeErrorHandler(backstageError, logger);
  context.applyDefaults();
}

/** The root HTTP router of the demo backend, with safe error bodies. */
export const safeErrorsRootHttpRouter = rootHttpRouterServiceFactory({
  configure: configureSafeErrors,
});
