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

import { OnePasswordConnect } from '@1password/connect';
import type { ConnectServerSettings } from '../config';

/** A vault as Connect lists it: no item, and so no value, in it. */
export interface ListedVault {
  id: string;
  title: string;
  description: string | null;
}

/** A vault list that could not be read, with a message safe to log. */
export class VaultListError extends Error {
  readonly name = 'VaultListError';
}

/**
 * The SDK rejects with the raw body of an HTTP error (`{ status, message }`)
 * or an axios error, which carries the request headers and so the token:
 * only the status, code and message are kept.
 */
function describeFailure(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { status?: unknown; message?: unknown; code?: unknown };
    if (typeof e.status === 'number') {
      return `status ${e.status}: ${
        typeof e.message === 'string' ? e.message : 'no message'
      }`;
    }
    const parts = [e.code, e.message].filter(
      (part): part is string => typeof part === 'string' && part !== '',
    );
    if (parts.length) return parts.join(': ');
  }
  return typeof error === 'string'
    ? `unexpected answer: ${error.slice(0, 200)}`
    : 'request failed';
}

/** Lists the vaults of one Connect server with the `@1password/connect` SDK. */
export class ConnectVaultReader {
  static create(options: {
    server: ConnectServerSettings;
    timeoutMs?: number;
  }): ConnectVaultReader {
    return new ConnectVaultReader(options.server, options.timeoutMs ?? 15_000);
  }

  private constructor(
    private readonly server: ConnectServerSettings,
    private readonly timeoutMs: number,
  ) {}

  get serverName(): string {
    return this.server.name;
  }

  async listVaults(): Promise<ListedVault[]> {
    const client = OnePasswordConnect({
      serverURL: this.server.url,
      token: this.server.token,
      keepAlive: true,
      timeout: this.timeoutMs,
    });
    let body: unknown;
    try {
      body = await client.listVaults();
    } catch (e) {
      throw new VaultListError(describeFailure(e));
    }
    // The SDK turns any 2xx body into a "list": a proxy's HTML error page
    // would read as a server without vaults, and delete them all.
    if (
      !Array.isArray(body) ||
      body.some(v => typeof v?.id !== 'string' || v.id === '')
    ) {
      throw new VaultListError(
        'the answer to GET /v1/vaults is not a JSON list of vaults (a proxy error page?)',
      );
    }
    return body.map(v => ({
      id: String(v.id),
      title: String(v.name ?? v.id),
      description:
        typeof v.description === 'string' && v.description !== ''
          ? v.description
          : null,
    }));
  }
}
