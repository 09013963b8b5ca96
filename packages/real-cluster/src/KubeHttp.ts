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

import { request as httpsRequest } from 'node:https';

/** One answer of the API server: status, headers and the body as text and JSON. */
export interface KubeResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: any;
}

export interface KubeRequest {
  method?: string;
  path: string;
  body?: unknown;
  /** Defaults to the client's token. */
  token?: string;
  headers?: Record<string, string>;
  /** Milliseconds; default 30 s. */
  timeoutMs?: number;
}

/**
 * A small JSON client for a Kubernetes API server over HTTPS with a bearer
 * token: enough to set up and inspect a test cluster without a kubectl.
 */
export class KubeHttp {
  constructor(
    readonly url: string,
    private readonly caPem: string,
    readonly token: string,
  ) {}

  withToken(token: string): KubeHttp {
    return new KubeHttp(this.url, this.caPem, token);
  }

  request(options: KubeRequest): Promise<KubeResponse> {
    const payload =
      options.body === undefined
        ? undefined
        : Buffer.from(
            typeof options.body === 'string'
              ? options.body
              : JSON.stringify(options.body),
          );
    return new Promise((resolve, reject) => {
      const request = httpsRequest(
        `${this.url}${options.path}`,
        {
          method: options.method ?? 'GET',
          ca: this.caPem,
          headers: {
            Accept: 'application/json',
            Authorization: `Bearer ${options.token ?? this.token}`,
            ...(payload
              ? {
                  'Content-Type':
                    options.method === 'PATCH'
                      ? 'application/merge-patch+json'
                      : 'application/json',
                  'Content-Length': String(payload.length),
                }
              : {}),
            ...options.headers,
          },
          timeout: options.timeoutMs ?? 30_000,
        },
        response => {
          const chunks: Buffer[] = [];
          response.on('data', chunk => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: any;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              body = undefined;
            }
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              text,
              body,
            });
          });
          response.on('error', reject);
        },
      );
      request.on('timeout', () =>
        request.destroy(new Error(`${options.path}: timed out`)),
      );
      request.on('error', reject);
      if (payload) request.write(payload);
      request.end();
    });
  }

  /** Like {@link KubeHttp.request}, but an answer outside 2xx throws with the Status message. */
  async expectOk(options: KubeRequest): Promise<any> {
    const response = await this.request(options);
    if (response.status < 200 || response.status >= 300) {
      throw new Error(
        `${options.method ?? 'GET'} ${options.path}: ${response.status} ${
          response.body?.message ?? response.text
        }`,
      );
    }
    return response.body;
  }
}

/** Polls `check` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${
          lastError ? ` (last error: ${String(lastError)})` : ''
        }`,
      );
    }
    await new Promise(resolve =>
      setTimeout(resolve, options.intervalMs ?? 200),
    );
  }
}
