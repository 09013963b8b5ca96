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

/**
 * A Connect answer that was not a success, or a transport failure, with what
 * the `@1password/connect` SDK rejected with reduced to plain facts.
 * @public
 */
export class ConnectRequestError extends Error {
  readonly name = 'ConnectRequestError';
  /** The HTTP status, when Connect answered at all. */
  readonly status: number | undefined;
  /** A transport failure's code, e.g. `ECONNREFUSED`. */
  readonly code: string | undefined;
  /** What Connect or the transport said, as it said it; undefined when nothing. */
  readonly upstreamMessage: string | undefined;

  constructor(
    message: string,
    status?: number,
    details: { code?: string; upstreamMessage?: string } = {},
  ) {
    super(message);
    this.status = status;
    this.code = details.code;
    this.upstreamMessage = details.upstreamMessage;
  }

  /**
   * Normalises what the SDK rejects with: the raw `{ status, message }` body
   * of an HTTP error, a string body, or an axios transport error. The axios
   * error carries the request headers, token included, so only its message,
   * code and status are kept, and it is never attached as a cause.
   */
  static from(error: unknown): ConnectRequestError {
    if (error instanceof ConnectRequestError) return error;
    if (error && typeof error === 'object') {
      const e = error as {
        status?: unknown;
        message?: unknown;
        code?: unknown;
        response?: { status?: unknown };
      };
      const message = typeof e.message === 'string' ? e.message : undefined;
      const code = typeof e.code === 'string' ? e.code : undefined;
      if (typeof e.status === 'number') {
        return new ConnectRequestError(
          `status ${e.status}: ${message ?? 'no message'}`,
          e.status,
          { code, upstreamMessage: message },
        );
      }
      const status =
        typeof e.response?.status === 'number' ? e.response.status : undefined;
      const text = [code, message].filter(Boolean).join(': ');
      return new ConnectRequestError(text || 'request failed', status, {
        code,
        upstreamMessage: message,
      });
    }
    if (typeof error === 'string') {
      return new ConnectRequestError(
        `unexpected answer: ${error.slice(0, 200)}`,
        undefined,
        { upstreamMessage: error },
      );
    }
    return new ConnectRequestError('request failed', undefined, {
      upstreamMessage: String(error),
    });
  }
}
