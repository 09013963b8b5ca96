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

import { FullItem, OnePasswordConnect, OPConnect } from '@1password/connect';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { isOnePasswordId } from '@secret-sync/backstage-plugin-onepassword-common';
import { readConnectServers } from '@secret-sync/backstage-plugin-onepassword-node';
import { ConnectItemCreateBody, PasswordRecipe } from '../items/itemRequest';
import { toConnectError } from './connectErrors';

/** A vault as Connect names it. */
export interface ConnectVault {
  id: string;
  name: string;
}

/** An item by ids and metadata only: values never leave this class. */
export interface ConnectItemSummary {
  vaultId: string;
  itemId: string;
  title: string;
  category: string;
  version: number;
  tags: string[];
}

/** What a rotation reports: the item's new version, never its value. */
export interface RotatedItem {
  vaultId: string;
  itemId: string;
  version: number;
  updatedAt: string | null;
}

interface ConnectServer {
  name: string;
  url: string;
  token: string;
  client: OPConnect;
}

const REQUEST_TIMEOUT_MS = 15_000;

/**
 * Writes items through the Connect servers of `onepassword.connect.servers`
 * (the same configuration the backend plugin reads). Every method returns ids
 * and metadata only; Connect's create response, which holds the generated
 * value, is reduced to its ids before anything else sees it.
 */
export class ConnectCredentialsClient {
  static fromConfig(config: Config): ConnectCredentialsClient {
    return new ConnectCredentialsClient(
      readConnectServers(config).map(({ name, url, token }) => ({
        name,
        url,
        token,
        client: OnePasswordConnect({
          serverURL: url,
          token,
          timeout: REQUEST_TIMEOUT_MS,
        }),
      })),
    );
  }

  private constructor(private readonly servers: ConnectServer[]) {}

  /** The configured server name to use; the only one when `name` is omitted. */
  resolveServerName(name?: string): string {
    const names = this.servers.map(server => server.name);
    if (name) {
      if (!names.includes(name)) {
        throw new InputError(
          `Unknown 1Password Connect server '${name}'; configured servers: ${
            names.join(', ') || 'none'
          }`,
        );
      }
      return name;
    }
    if (names.length !== 1) {
      throw new InputError(
        names.length === 0
          ? 'No 1Password Connect server is configured (onepassword.connect.servers)'
          : `Several 1Password Connect servers are configured; pass 'server' (one of ${names.join(
              ', ',
            )})`,
      );
    }
    return names[0];
  }

  /**
   * Resolves a vault by id or by name. Names are matched here rather than with
   * Connect's `filter`, which the SDK does not URL-encode.
   */
  async getVault(serverName: string, vaultRef: string): Promise<ConnectVault> {
    return this.call(
      serverName,
      `look up vault '${vaultRef}'`,
      async client => {
        if (isOnePasswordId(vaultRef)) {
          const vault = await client.getVaultById(vaultRef);
          return { id: vault.id!, name: vault.name! };
        }
        const vaults = await client.listVaults();
        const exact = vaults.filter(vault => vault.name === vaultRef);
        const matches = exact.length
          ? exact
          : vaults.filter(
              vault =>
                vault.name?.toLocaleLowerCase('en-US') ===
                vaultRef.toLocaleLowerCase('en-US'),
            );
        if (matches.length === 0) {
          throw new InputError(
            `Vault '${vaultRef}' does not exist on 1Password Connect server '${serverName}', or its token was not granted it`,
          );
        }
        if (matches.length > 1) {
          throw new InputError(
            `Several vaults are named '${vaultRef}' on 1Password Connect server '${serverName}'; pass the vault id instead`,
          );
        }
        return { id: matches[0].id!, name: matches[0].name! };
      },
    );
  }

  /**
   * Item summaries (no fields) with exactly this title. Filtered here: the
   * SDK's `listItemsByTitle` fetches every match in full, values included.
   */
  async findItemsByTitle(
    serverName: string,
    vaultId: string,
    title: string,
  ): Promise<ConnectItemSummary[]> {
    return this.call(
      serverName,
      `list items of vault '${vaultId}'`,
      async client => {
        const items = await client.listItems(vaultId);
        return items
          .filter(item => item.title === title)
          .map(item => ({
            vaultId,
            itemId: item.id!,
            title: item.title!,
            category: String(item.category),
            version: item.version ?? 1,
            tags: item.tags ?? [],
          }));
      },
    );
  }

  /** The summary (no fields) of the item with this id, or else this exact title. */
  async findItem(
    serverName: string,
    vaultId: string,
    itemRef: string,
  ): Promise<ConnectItemSummary[]> {
    return this.call(
      serverName,
      `list items of vault '${vaultId}'`,
      async client => {
        const items = await client.listItems(vaultId);
        const byId = items.filter(item => item.id === itemRef);
        return (
          byId.length ? byId : items.filter(i => i.title === itemRef)
        ).map(item => ({
          vaultId,
          itemId: item.id!,
          title: item.title!,
          category: String(item.category),
          version: item.version ?? 1,
          tags: item.tags ?? [],
        }));
      },
    );
  }

  /**
   * Asks Connect to generate a new value for one field by recipe, with a
   * PATCH that removes the field's value and sets `generate` (the spec:
   * "if value is not present then a new value should be generated"), so the
   * old value is never read either. The SDK has no PATCH, hence the request
   * here. Connect answers with the full item, value included: only its
   * version is kept, the body is dropped before anything else sees it.
   */
  async regenerateField(
    serverName: string,
    target: { vaultId: string; itemId: string; fieldId: string },
    recipe: PasswordRecipe,
  ): Promise<RotatedItem> {
    const { vaultId, itemId, fieldId } = target;
    const field = `/fields/${fieldId}`;
    return this.call(
      serverName,
      `generate a new value for field '${fieldId}' of item '${itemId}'`,
      async (_client, server) => {
        const response = await fetch(
          `${server.url.replace(/\/+$/, '')}/v1/vaults/${encodeURIComponent(
            vaultId,
          )}/items/${encodeURIComponent(itemId)}`,
          {
            method: 'PATCH',
            headers: {
              authorization: `Bearer ${server.token}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify([
              { op: 'remove', path: `${field}/value` },
              { op: 'add', path: `${field}/generate`, value: true },
              { op: 'add', path: `${field}/recipe`, value: recipe },
            ]),
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          },
        ).catch(error => {
          // fetch's TypeError names the cause (ECONNREFUSED, timeout) in `cause`.
          const cause = (error as { cause?: { code?: string } }).cause;
          throw new Error(cause?.code ?? (error as Error).message);
        });
        if (!response.ok) {
          const text = await response.text();
          let message = text;
          try {
            message = String(JSON.parse(text).message ?? text);
          } catch {
            // A proxy's text or HTML body is the message itself.
          }
          // The shape the SDK rejects with, so toConnectError reads it alike.
          throw Object.assign(new Error(message), { status: response.status });
        }
        const updated = (await response.json()) as {
          id?: string;
          version?: number;
          updatedAt?: string;
          vault?: { id?: string };
        };
        return {
          vaultId: updated.vault?.id ?? vaultId,
          itemId: updated.id ?? itemId,
          version: updated.version ?? 0,
          updatedAt: updated.updatedAt ?? null,
        };
      },
    );
  }

  /** Creates the item and returns its ids; the generated value is dropped here. */
  async createItem(
    serverName: string,
    vaultId: string,
    body: ConnectItemCreateBody,
  ): Promise<ConnectItemSummary> {
    return this.call(
      serverName,
      `create item '${body.title}' in vault '${vaultId}'`,
      async client => {
        const created = await client.createItem(
          vaultId,
          body as unknown as FullItem,
        );
        return {
          vaultId: created.vault?.id ?? vaultId,
          itemId: created.id!,
          title: created.title!,
          category: String(created.category),
          version: created.version ?? 1,
          tags: created.tags ?? [],
        };
      },
    );
  }

  private async call<T>(
    serverName: string,
    operation: string,
    fn: (
      client: OPConnect,
      server: { url: string; token: string },
    ) => Promise<T>,
  ): Promise<T> {
    const server = this.servers.find(s => s.name === serverName);
    if (!server) {
      throw new InputError(`Unknown 1Password Connect server '${serverName}'`);
    }
    try {
      return await fn(server.client, server);
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw toConnectError(error, {
        server: serverName,
        operation,
        redact: [server.token],
      });
    }
  }
}
