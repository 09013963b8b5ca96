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

import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { randomBytes } from 'node:crypto';
import { ErrorRequestHandler } from 'express';

/** The `@backstage/errors` types whose messages are written for the caller. */
const STATUS_BY_NAME: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  NotImplementedError: 501,
  ServiceUnavailableError: 503,
};

/**
 * Answers the plugin's errors in Backstage's error shape, but never with a
 * stack trace, a cause, or the request's query string (which can carry what
 * the caller typed); an unexpected error's message (file paths, SQL) is
 * replaced by a log id and logged in full instead.
 */
export function errorResponder(logger: LoggerService): ErrorRequestHandler {
  return (rawError, req, res, next) => {
    if (res.headersSent) {
      next(rawError);
      return;
    }
    const error = isError(rawError) ? rawError : new Error(String(rawError));
    const known = STATUS_BY_NAME[error.name];
    const statusCode = known ?? explicitStatus(error) ?? 500;
    let body = { name: error.name, message: error.message };
    if (known === undefined && isDatabaseUnavailable(error)) {
      const logId = randomBytes(10).toString('hex');
      logger.warn(`The plugin database is unavailable logId=${logId}`, error);
      res.status(503).json({
        error: {
          name: 'ServiceUnavailableError',
          message: `The onepassword plugin's database is unavailable; try again shortly logId=${logId}`,
        },
        request: { method: req.method, url: `${req.baseUrl}${req.path}` },
        response: { statusCode: 503 },
      });
      return;
    }
    if (known === undefined && statusCode >= 500) {
      const logId = randomBytes(10).toString('hex');
      logger.error(
        `Request failed with status ${statusCode} logId=${logId}`,
        error,
      );
      body = {
        name: 'Error',
        message: `An internal error occurred logId=${logId}`,
      };
    }
    res.status(statusCode).json({
      error: body,
      request: { method: req.method, url: `${req.baseUrl}${req.path}` },
      response: { statusCode },
    });
  };
}

/** Connection failures and shutdowns, as `pg`, Node and knex report them. */
const DATABASE_DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  // PostgreSQL: admin shutdown, crash shutdown, cannot connect now, and the
  // connection exceptions of class 08.
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);

/**
 * Whether an error means the database cannot be reached right now (it
 * restarts, or the network to it is down), rather than a fault of the
 * request: the caller may retry, and is told so.
 */
export function isDatabaseUnavailable(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    (typeof code === 'string' && DATABASE_DOWN_CODES.has(code)) ||
    error.name === 'KnexTimeoutError' ||
    /^Connection terminated|^Client has encountered a connection error/.test(
      error.message,
    )
  );
}

/** A status set by a library error (e.g. body-parser's 400/413), if sane. */
function explicitStatus(error: Error): number | undefined {
  const status =
    (error as { status?: unknown; statusCode?: unknown }).statusCode ??
    (error as { status?: unknown }).status;
  return typeof status === 'number' &&
    Number.isInteger(status) &&
    status >= 400 &&
    status <= 599
    ? status
    : undefined;
}
