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

import { OnePasswordConnect, OPConnect } from '@1password/connect';
import type { ItemSummary } from '@secret-sync/backstage-plugin-onepassword-common';
import {
  ConnectRequestError,
  type ConnectServerConfig,
} from '@secret-sync/backstage-plugin-onepassword-node';

/** A vault as listed: names, ids and versions only. @public */
export interface VaultSummary {
  id: string;
  name: string;
  contentVersion: number | null;
  /** The operator picks the oldest of vaults with equal titles. */
  createdAt?: string | null;
}

/** What `/health` says. @public */
export interface ConnectHealth {
  healthy: boolean;
  version: string | null;
  dependencies: Array<{ service: string; status: string; message?: string }>;
  error: string | null;
}

/**
 * The few read calls the plugin makes to one Connect server. Never asks for a
 * full item, so no field value ever reaches the plugin.
 * @public
 */
export interface ConnectGateway {
  listVaults(): Promise<VaultSummary[]>;
  listItems(vaultId: string): Promise<ItemSummary[]>;
  /** The HTTP status of `GET /v1/vaults/{id}`: 200, 403 or 404. */
  probeVault(vaultId: string): Promise<number>;
  health(): Promise<ConnectHealth>;
}

/** Called for every request, for metrics. @public */
type ConnectRequestObserver = (event: {
  server: string;
  operation: string;
  error?: ConnectRequestError;
  /** True when the failed request will be tried again. */
  retrying?: boolean;
}) => void;

/** How often a transient failure is tried again within one refresh. @public */
interface ConnectRetryPolicy {
  /** Tries after the first; default 2. */
  retries: number;
  /** Wait before the first retry, doubled for each next one; default 250 ms. */
  backoffMs: number;
}

const DEFAULT_RETRY: ConnectRetryPolicy = { retries: 2, backoffMs: 250 };

/** No answer, 429 or 5xx: worth another try. 401/403/404 are answers. */
function isTransient(error: ConnectRequestError): boolean {
  return (
    error.status === undefined || error.status === 429 || error.status >= 500
  );
}

/**
 * {@link ConnectGateway} over the `@1password/connect` SDK, with `/health`
 * fetched directly as the SDK has no call for it.
 * @public
 */
export class SdkConnectGateway implements ConnectGateway {
  static create(options: {
    server: ConnectServerConfig;
    timeoutMs?: number;
    observe?: ConnectRequestObserver;
    retry?: ConnectRetryPolicy;
  }): SdkConnectGateway {
    const client = OnePasswordConnect({
      serverURL: options.server.url,
      token: options.server.token,
      keepAlive: true,
      timeout: options.timeoutMs ?? 15_000,
    });
    return new SdkConnectGateway(
      options.server,
      client,
      options.timeoutMs ?? 15_000,
      options.observe,
      options.retry ?? options.server.retry ?? DEFAULT_RETRY,
    );
  }

  private constructor(
    private readonly server: ConnectServerConfig,
    private readonly client: OPConnect,
    private readonly timeoutMs: number,
    private readonly observe: ConnectRequestObserver = () => {},
    private readonly retry: ConnectRetryPolicy = DEFAULT_RETRY,
  ) {}

  /**
   * One SDK call, tried again with backoff on transient failures (bounded by
   * the retry policy), so a blip does not turn records unknown.
   */
  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await fn();
        this.observe({ server: this.server.name, operation });
        return result;
      } catch (e) {
        const error = ConnectRequestError.from(e);
        const retrying = attempt < this.retry.retries && isTransient(error);
        this.observe({ server: this.server.name, operation, error, retrying });
        if (!retrying) throw error;
        await new Promise(resolve =>
          setTimeout(resolve, this.retry.backoffMs * 2 ** attempt),
        );
      }
    }
  }

  async listVaults(): Promise<VaultSummary[]> {
    const vaults = await this.call('listVaults', async () =>
      jsonList(await this.client.listVaults(), 'vaults'),
    );
    return vaults.map(v => ({
      id: String(v.id),
      name: String(v.name ?? v.id),
      contentVersion:
        typeof v.contentVersion === 'number' ? v.contentVersion : null,
      createdAt: toIso(v.createdAt),
    }));
  }

  async listItems(vaultId: string): Promise<ItemSummary[]> {
    const items = await this.call('listItems', async () =>
      jsonList(await this.client.listItems(vaultId), 'items'),
    );
    return items.map(i => ({
      id: String(i.id),
      title: String(i.title ?? ''),
      vaultId,
      // Not every capture confirms a version on every summary: none is
      // unknown, never version 0.
      version:
        typeof i.version === 'number' && Number.isFinite(i.version)
          ? i.version
          : null,
      updatedAt: toIso(i.updatedAt),
      createdAt: toIso(i.createdAt),
      tags: Array.isArray(i.tags) ? i.tags.map(String) : [],
      category: typeof i.category === 'string' ? i.category : null,
    }));
  }

  async probeVault(vaultId: string): Promise<number> {
    try {
      await this.call('getVault', () => this.client.getVaultById(vaultId));
      return 200;
    } catch (e) {
      const error = ConnectRequestError.from(e);
      if (error.status === 403 || error.status === 404) return error.status;
      throw error;
    }
  }

  async health(): Promise<ConnectHealth> {
    try {
      const response = await fetch(`${this.server.url}/health`, {
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const body = (await response.json().catch(() => ({}))) as {
        version?: string;
        dependencies?: ConnectHealth['dependencies'];
      };
      this.observe({ server: this.server.name, operation: 'health' });
      return {
        healthy: response.ok,
        version: typeof body.version === 'string' ? body.version : null,
        dependencies: Array.isArray(body.dependencies)
          ? body.dependencies.map(d => ({
              service: String(d.service),
              status: String(d.status),
              ...(d.message ? { message: String(d.message) } : {}),
            }))
          : [],
        error: response.ok ? null : `/health answered ${response.status}`,
      };
    } catch (e) {
      const error = new ConnectRequestError(
        `/health failed: ${(e as Error).message}`,
      );
      this.observe({ server: this.server.name, operation: 'health', error });
      return {
        healthy: false,
        version: null,
        dependencies: [],
        error: error.message,
      };
    }
  }
}

function toIso(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * The SDK deserialises whatever body came with a 2xx: an HTML error page from
 * a proxy in front of Connect becomes a list of empty objects, one per
 * character, which would read as a server without the vaults.
 */
function jsonList<T extends { id?: unknown }>(body: T[], what: string): T[] {
  if (
    !Array.isArray(body) ||
    body.some(entry => typeof entry?.id !== 'string' || entry.id === '')
  ) {
    throw new ConnectRequestError(
      `Connect answered the list of ${what} with a body that is not a JSON list of ${what} (a proxy's error page?)`,
    );
  }
  return body;
}
