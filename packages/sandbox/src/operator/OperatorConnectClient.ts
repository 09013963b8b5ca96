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
 * The operator's 1Password Connect client: plain HTTP with the operator's own
 * token, resolving `vaults/<vault>/items/<item>` the way onepassword-operator
 * 1.12 does (titles first for vaults, ids first for items, oldest wins) and
 * failing with the same error chains, which end up in OnePasswordItem status.
 */

/** The Connect Go SDK's User-Agent, which the operator sends. */
const USER_AGENT = 'connect-sdk-go/1.5.3';
const FILE_RETRIES = 5;
const FILE_RETRY_DELAY_MS = 1000;

/** What the operator reads from a full Connect item. */
export interface OperatorItem {
  id: string;
  title: string;
  vaultId: string;
  version: number;
  tags: string[];
  fields: Array<{ label: string; value: string }>;
  urls: Array<{ label: string; primary: boolean; href: string }>;
  files: Array<{ name: string; content: Buffer }>;
}

interface Summary {
  id: string;
  name?: string;
  title?: string;
  createdAt?: string;
}

/** A Connect error, rendered as the Go SDK renders it: `status <code>: <message>`. */
export class ConnectRequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(`status ${status}: ${message}`);
    this.name = 'ConnectRequestError';
  }
}

/** Connect item and vault ids: 26 lowercase alphanumerics. */
export function isConnectId(value: string): boolean {
  return /^[a-z0-9]{26}$/.test(value);
}

/**
 * `vaults/<vault>/items/<item>` as `ParseVaultAndItemFromPath` (1.8.0 to
 * 1.12.0) splits it: on `/`, into exactly four parts, so a title with `/`
 * cannot be named.
 */
export function parseItemPath(path: string): { vault: string; item: string } {
  const parts = path.split('/');
  if (parts.length !== 4 || parts[0] !== 'vaults' || parts[2] !== 'items') {
    throw new Error(
      `"${path}" is not an acceptable path for One Password item. Must be of the format: \`vaults/{vault_id}/items/{item_id}\``,
    );
  }
  return { vault: parts[1], item: parts[3] };
}

/** Go's `url.QueryEscape`: spaces become `+`. */
function queryEscape(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

const oldest = <T extends Summary>(candidates: T[]): T =>
  candidates.reduce((best, candidate) =>
    Date.parse(candidate.createdAt ?? '') < Date.parse(best.createdAt ?? '')
      ? candidate
      : best,
  );

const wrap = (message: string, cause: unknown) =>
  new Error(
    `${message}: ${cause instanceof Error ? cause.message : String(cause)}`,
  );

/** HTTP client of the operator towards one Connect server. */
export class OperatorConnectClient {
  private baseUrl: string;

  constructor(baseUrl: string, private token: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** The operator restarted with another `OP_CONNECT_HOST`. */
  setBaseUrl(baseUrl: string): void {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** The operator restarted with another `OP_CONNECT_TOKEN`. */
  setToken(token: string): void {
    this.token = token;
  }

  /** `GetOnePasswordItemByPath`: the item with its files' contents. */
  async getItemByPath(path: string): Promise<OperatorItem> {
    const { vault, item } = parseItemPath(path);
    let vaultId: string;
    try {
      vaultId = await this.getVaultId(vault);
    } catch (error) {
      throw wrap(`failed to 'getVaultID' for vaultNameOrID='${vault}'`, error);
    }
    if (isConnectId(item)) {
      try {
        return await this.loadFiles(
          vaultId,
          await this.getItemById(vaultId, item),
        );
      } catch {
        // The operator falls back to a title lookup when the id lookup fails.
      }
    }
    let itemId: string;
    try {
      itemId = await this.getItemIdByTitle(vaultId, item);
    } catch (error) {
      throw wrap(
        `failed to get item for vaultID='${vaultId}' and itemNameOrID='${item}'`,
        error,
      );
    }
    let found: OperatorItem;
    try {
      found = await this.getItemById(vaultId, itemId);
    } catch (error) {
      throw wrap(
        `failed to get item by ID for vaultID='${vaultId}' and itemID='${itemId}'`,
        error,
      );
    }
    try {
      return await this.loadFiles(vaultId, found);
    } catch (error) {
      throw wrap(
        `failed to load item files for vaultID='${vaultId}' and itemID='${itemId}'`,
        error,
      );
    }
  }

  private async getVaultId(vaultNameOrId: string): Promise<string> {
    let vaults: Summary[] = [];
    let failure: unknown;
    try {
      const listed = await this.get<Summary[]>(
        `/v1/vaults?filter=${queryEscape(`title eq "${vaultNameOrId}"`)}`,
      );
      vaults = listed.filter(
        vault =>
          (vault.name ?? '').toLowerCase() === vaultNameOrId.toLowerCase(),
      );
    } catch (error) {
      failure = wrap(
        'failed to GetVaultsByTitle using 1Password Connect',
        error,
      );
    }
    if (!failure && vaults.length > 0) return oldest(vaults).id;
    if (isConnectId(vaultNameOrId)) return vaultNameOrId;
    if (failure)
      throw wrap(`failed to get vault by title "${vaultNameOrId}"`, failure);
    throw new Error(`no vaults found with identifier "${vaultNameOrId}"`);
  }

  private async getItemIdByTitle(
    vaultId: string,
    title: string,
  ): Promise<string> {
    let items: Summary[];
    try {
      items = await this.get<Summary[]>(
        `/v1/vaults/${vaultId}/items?filter=${queryEscape(
          `title eq "${title}"`,
        )}`,
      );
    } catch (error) {
      throw wrap('failed to GetItemsByTitle using 1Password Connect', error);
    }
    const matching = items;
    if (matching.length === 0) {
      throw new Error(
        `no items found with identifier "${title}" in vault "${vaultId}"`,
      );
    }
    return oldest(matching).id;
  }

  private async getItemById(
    vaultId: string,
    itemId: string,
  ): Promise<OperatorItem> {
    let item: any;
    try {
      item = await this.get<any>(`/v1/vaults/${vaultId}/items/${itemId}`);
    } catch (error) {
      throw wrap('failed to GetItemByID using 1Password Connect', error);
    }
    return {
      id: item.id,
      title: item.title,
      vaultId: item.vault?.id ?? vaultId,
      version: item.version ?? 0,
      tags: item.tags ?? [],
      fields: (item.fields ?? []).map((field: any) => ({
        label: field.label ?? '',
        value: field.value ?? '',
      })),
      urls: (item.urls ?? []).map((url: any) => ({
        label: url.label ?? '',
        primary: Boolean(url.primary),
        href: url.href ?? '',
      })),
      files: (item.files ?? []).map((file: any) => ({
        name: file.name,
        id: file.id,
      })),
    };
  }

  private async loadFiles(
    vaultId: string,
    item: OperatorItem,
  ): Promise<OperatorItem> {
    const files = [];
    for (const file of item.files as Array<{ name: string; id?: string }>) {
      const content = await this.getFileContent(
        `/v1/vaults/${vaultId}/items/${item.id}/files/${file.id}/content`,
      );
      files.push({ name: file.name, content });
    }
    return { ...item, files };
  }

  private async getFileContent(path: string): Promise<Buffer> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.request(path, response =>
          response.arrayBuffer().then(Buffer.from),
        );
      } catch (error) {
        const retryable =
          error instanceof ConnectRequestError && error.status === 500;
        if (!retryable || attempt >= FILE_RETRIES) throw error;
        await new Promise(resolve => setTimeout(resolve, FILE_RETRY_DELAY_MS));
      }
    }
  }

  private get<T>(path: string): Promise<T> {
    return this.request(path, response => response.json() as Promise<T>);
  }

  private async request<T>(
    path: string,
    read: (response: Response) => Promise<T>,
  ): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: {
          Authorization: `Bearer ${this.token}`,
          'Content-Type': 'application/json',
          'User-Agent': USER_AGENT,
        },
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      // Go's net/http: `Get "<url>": dial tcp <addr>: connect: connection refused`.
      const cause = (
        error as {
          cause?: {
            code?: string;
            message?: string;
            address?: string;
            port?: number;
          };
        }
      ).cause;
      const detail =
        cause?.code === 'ECONNREFUSED'
          ? `dial tcp ${cause.address}:${cause.port}: connect: connection refused`
          : cause?.message ?? cause?.code ?? String(error);
      throw new Error(`Get "${url}": ${detail}`);
    }
    if (!response.ok) {
      const text = await response.text();
      let message = response.statusText;
      try {
        const body = JSON.parse(text);
        if (typeof body?.message === 'string') message = body.message;
      } catch {
        // a non-JSON body: the SDK falls back to the status text
      }
      throw new ConnectRequestError(response.status, message);
    }
    return read(response);
  }
}
