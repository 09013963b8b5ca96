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
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ConnectRequestError } from '@secret-sync/backstage-plugin-onepassword-node';

/** Where a Connect call failed, to name it in the message. */
interface ConnectErrorContext {
  server: string;
  /** What was being done, e.g. `look up vault 'payments'`. */
  operation: string;
  /** Strings that must never appear in a message (the server's token). */
  redact: string[];
}

const MAX_UPSTREAM_MESSAGE = 200;

/**
 * Turns what the `@1password/connect` SDK rejects with (normalised by
 * {@link ConnectRequestError.from}) into a Backstage error with a message a
 * developer can act on. The original is never attached as a cause: an
 * AxiosError carries the request config.
 */
export function toConnectError(
  error: unknown,
  context: ConnectErrorContext,
): Error {
  const { server, operation } = context;
  const failure = ConnectRequestError.from(error);
  const status = failure.status;
  const upstream = redact(upstreamMessage(failure), context.redact);
  const prefix = `Could not ${operation} on 1Password Connect server '${server}'`;

  if (
    status === 401 ||
    (status === 403 && /invalid bearer token/i.test(upstream))
  ) {
    return new AuthenticationError(
      `${prefix}: the server rejected Backstage's token (${status} ${upstream}). ` +
        `Check the token configured in onepassword.connect.servers for '${server}'.`,
    );
  }
  if (status === 403) {
    return new NotAllowedError(
      `${prefix}: Backstage's token was not granted this vault (403 ${upstream}). ` +
        `Grant the vault to the Connect server and use a token that includes it with write access ` +
        `(op connect vault grant / op connect token create --vault).`,
    );
  }
  if (status === 404) {
    return new NotFoundError(`${prefix}: not found (404 ${upstream}).`);
  }
  if (status === 409) {
    return new ConflictError(`${prefix}: conflict (409 ${upstream}).`);
  }
  if (status === 400 || status === 413) {
    return new InputError(
      `${prefix}: the request was refused (${status} ${upstream}).`,
    );
  }
  if (status !== undefined) {
    return new ServiceUnavailableError(
      `${prefix}: the server failed (${status} ${upstream}). ` +
        `Try again later; if it persists check the Connect server's /health.`,
    );
  }
  return new ServiceUnavailableError(
    `${prefix}: the server could not be reached (${upstream}). ` +
      `Check that it is running and that onepassword.connect.servers has its URL.`,
  );
}

/** What Connect or the transport said, on one line, bounded in length. */
function upstreamMessage(failure: ConnectRequestError): string {
  const message = [failure.code, failure.upstreamMessage]
    .filter(part => typeof part === 'string' && part.length > 0)
    .join(' ');
  const oneLine = message.replace(/\s+/g, ' ').trim() || 'no message';
  return oneLine.length > MAX_UPSTREAM_MESSAGE
    ? `${oneLine.slice(0, MAX_UPSTREAM_MESSAGE)}…`
    : oneLine;
}

function redact(message: string, secrets: string[]): string {
  return secrets
    .filter(secret => secret.length > 0)
    .reduce((text, secret) => text.split(secret).join('[REDACTED]'), message);
}
