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

import { randomUUID } from 'node:crypto';
import { ActivityLog } from './ActivityLog';
import { ConnectApiError } from './ConnectApiError';
import { ConnectStore } from './ConnectStore';
import { ConnectTokens, ConnectTokenState, tokenCanSee } from './ConnectTokens';
import { deterministicId, isConnectId } from './ids';
import { parsePatch } from './itemPatch';
import { matchesScimFilter, parseScimFilter } from './scimFilter';
import { ConnectApiRequest, ConnectItemSummary, ConnectVault } from './types';

/** A request to `/v1/...`, already read from the socket. */
interface ApiRequest {
  method: string;
  /** Path without query and without a trailing slash, e.g. `/v1/vaults`. */
  path: string;
  query: URLSearchParams;
  authorization?: string;
  userAgent?: string;
  remoteAddress?: string;
  /** Raw request body, if any. */
  body?: string;
}

/** What to answer. */
export interface ApiResponse {
  status: number;
  json?: unknown;
  binary?: { content: Buffer; fileName: string };
  headers?: Record<string, string>;
  /** The token the request used, when the server knew it. */
  token?: ConnectTokenState;
}

interface ConnectApiContext {
  store: ConnectStore;
  tokens: ConnectTokens;
  activity: ActivityLog;
  clock: () => Date;
}

const ACCOUNT_ID = deterministicId('sandbox-account').toUpperCase();

type Action = ConnectApiRequest['action'];

function parseBody(body: string | undefined): unknown {
  if (!body) {
    throw ConnectApiError.badRequest('Invalid request body: the body is empty');
  }
  try {
    return JSON.parse(body);
  } catch {
    throw ConnectApiError.badRequest('Invalid request body: not valid JSON');
  }
}

function requireId(kind: 'Vault' | 'Item' | 'File', value: string): string {
  if (!isConnectId(value)) {
    throw ConnectApiError.badRequest(`Invalid ${kind} UUID`);
  }
  return value;
}

function nonNegativeInteger(
  query: URLSearchParams,
  name: string,
  fallback: number,
): number {
  const raw = query.get(name);
  if (raw === null || raw === '') {
    return fallback;
  }
  if (!/^\d+$/.test(raw)) {
    throw ConnectApiError.badRequest(
      `Invalid ${name} '${raw}': expected a non-negative integer`,
    );
  }
  return Number(raw);
}

/**
 * Answers one Connect API request: authentication, vault scope, ids, filters
 * and the store operations, with the status codes and messages of Connect.
 */
export async function handleApiRequest(
  context: ConnectApiContext,
  request: ApiRequest,
): Promise<ApiResponse> {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.authorization ?? '')?.[1];
  const token = bearer ? context.tokens.find(bearer) : undefined;
  try {
    if (!token) {
      throw ConnectApiError.invalidToken();
    }
    if (token.revoked) {
      throw ConnectApiError.revokedToken();
    }
    return { ...route(context, request, token), token };
  } catch (error) {
    if (error instanceof ConnectApiError) {
      return {
        status: error.status,
        json: { status: error.status, message: error.message },
        token,
      };
    }
    throw error;
  }
}

function route(
  context: ConnectApiContext,
  request: ApiRequest,
  token: ConnectTokenState,
): Omit<ApiResponse, 'token'> {
  const segments = request.path.split('/').slice(1);
  if (segments[0] !== 'v1') {
    throw new ConnectApiError(404, `Unknown path ${request.path}`);
  }
  const [, collection, vaultId, items, itemId, files, fileId, content] =
    segments;
  const method = request.method;
  const allow = (...methods: string[]) => {
    if (!methods.includes(method)) {
      throw new ConnectApiError(
        405,
        `Method ${method} is not allowed on ${request.path}`,
      );
    }
  };

  if (collection === 'activity' && segments.length === 2) {
    allow('GET');
    const limit = nonNegativeInteger(request.query, 'limit', 50);
    const offset = nonNegativeInteger(request.query, 'offset', 0);
    const page = context.activity.page(limit, offset);
    return {
      status: 200,
      json: page.requests,
      headers: { 'Content-Range': page.contentRange },
    };
  }
  if (
    collection !== 'vaults' ||
    segments.length > 8 ||
    (items !== undefined && items !== 'items')
  ) {
    throw new ConnectApiError(404, `Unknown path ${request.path}`);
  }
  if (segments.length === 2) {
    allow('GET');
    return { status: 200, json: listVaults(context, request, token) };
  }

  const vault = accessVault(
    context,
    request,
    token,
    requireId('Vault', vaultId),
    actionOf(method, segments.length),
  );
  if (segments.length === 3) {
    allow('GET');
    return { status: 200, json: vault };
  }
  if (segments.length === 4) {
    allow('GET', 'POST');
    if (method === 'GET') {
      return { status: 200, json: listItems(context, request, vault.id) };
    }
    const created = context.store.createItem(
      vault.id,
      parseBody(request.body),
      token.id,
    );
    recordItemAccess(
      context,
      request,
      token,
      'CREATE',
      vault.id,
      created.id,
      created.version,
    );
    return { status: 200, json: created };
  }

  const item = requireId('Item', itemId);
  if (segments.length === 5) {
    allow('GET', 'PUT', 'PATCH', 'DELETE');
    return itemOperation(context, request, token, vault.id, item);
  }
  if (files !== 'files') {
    throw new ConnectApiError(404, `Unknown path ${request.path}`);
  }
  allow('GET');
  const inline = request.query.get('inline_files') === 'true';
  const existing = context.store.getItem(vault.id, item);
  if (!existing) {
    throw ConnectApiError.itemNotFound(item);
  }
  recordItemAccess(
    context,
    request,
    token,
    'READ',
    vault.id,
    item,
    existing.version,
  );
  if (segments.length === 6) {
    return {
      status: 200,
      json: context.store.listFiles(vault.id, item, inline),
    };
  }
  const file = requireId('File', fileId);
  if (segments.length === 7) {
    const metadata = context.store.getFile(vault.id, item, file, inline);
    if (!metadata) {
      throw ConnectApiError.fileNotFound(file);
    }
    return { status: 200, json: metadata };
  }
  if (content !== 'content') {
    throw new ConnectApiError(404, `Unknown path ${request.path}`);
  }
  const download = context.store.getFileContent(vault.id, item, file);
  if (!download) {
    throw ConnectApiError.fileNotFound(file);
  }
  return {
    status: 200,
    binary: { content: download.content, fileName: download.name },
  };
}

function actionOf(method: string, depth: number): Action {
  if (depth !== 4 && depth !== 5) {
    return 'READ';
  }
  switch (method) {
    case 'POST':
      return 'CREATE';
    case 'PUT':
    case 'PATCH':
      return 'UPDATE';
    case 'DELETE':
      return 'DELETE';
    default:
      return 'READ';
  }
}

function listVaults(
  context: ConnectApiContext,
  request: ApiRequest,
  token: ConnectTokenState,
): ConnectVault[] {
  const filterText = request.query.get('filter');
  // The docs show `name eq`; both SDKs and the operator send `title eq`.
  const filter = filterText
    ? parseScimFilter(filterText, ['name', 'title', 'id'])
    : undefined;
  return context.store
    .listVaults()
    .filter(vault => tokenCanSee(token, vault))
    .filter(
      vault =>
        !filter ||
        matchesScimFilter(filter, attribute =>
          attribute === 'id' ? [vault.id] : [vault.name],
        ),
    );
}

function listItems(
  context: ConnectApiContext,
  request: ApiRequest,
  vaultId: string,
): ConnectItemSummary[] {
  const filterText = request.query.get('filter');
  const filter = filterText
    ? parseScimFilter(filterText, ['title', 'tag', 'id'])
    : undefined;
  return context.store.listItems(vaultId).filter(
    item =>
      !filter ||
      matchesScimFilter(filter, attribute => {
        if (attribute === 'tag') return item.tags;
        if (attribute === 'id') return [item.id];
        return [item.title];
      }),
  );
}

function accessVault(
  context: ConnectApiContext,
  request: ApiRequest,
  token: ConnectTokenState,
  vaultId: string,
  action: Action,
): ConnectVault {
  const vault = context.store.getVault(vaultId);
  if (!vault) {
    throw ConnectApiError.vaultNotFound(vaultId);
  }
  if (!tokenCanSee(token, vault)) {
    recordActivity(context, request, token, action, 'DENY', {
      type: 'VAULT',
      vault: { id: vaultId },
    });
    throw ConnectApiError.vaultNotInScope(vaultId);
  }
  if (action !== 'READ' && !token.write) {
    recordActivity(context, request, token, action, 'DENY', {
      type: 'VAULT',
      vault: { id: vaultId },
    });
    throw ConnectApiError.noWriteAccess(vaultId);
  }
  return vault;
}

function itemOperation(
  context: ConnectApiContext,
  request: ApiRequest,
  token: ConnectTokenState,
  vaultId: string,
  itemId: string,
): Omit<ApiResponse, 'token'> {
  const { store } = context;
  switch (request.method) {
    case 'GET': {
      const item = store.getItem(vaultId, itemId);
      if (!item) throw ConnectApiError.itemNotFound(itemId);
      recordItemAccess(
        context,
        request,
        token,
        'READ',
        vaultId,
        itemId,
        item.version,
      );
      return { status: 200, json: item };
    }
    case 'PUT':
    case 'PATCH': {
      const body = parseBody(request.body);
      const item =
        request.method === 'PUT'
          ? store.replaceItem(vaultId, itemId, body, token.id)
          : store.patchItem(vaultId, itemId, parsePatch(body), token.id);
      if (!item) throw ConnectApiError.itemNotFound(itemId);
      recordItemAccess(
        context,
        request,
        token,
        'UPDATE',
        vaultId,
        itemId,
        item.version,
      );
      return { status: 200, json: item };
    }
    default: {
      const existing = store.getItem(vaultId, itemId);
      if (!existing || !store.deleteItem(vaultId, itemId)) {
        throw ConnectApiError.itemNotFound(itemId);
      }
      recordItemAccess(
        context,
        request,
        token,
        'DELETE',
        vaultId,
        itemId,
        existing.version,
      );
      return { status: 204 };
    }
  }
}

function recordItemAccess(
  context: ConnectApiContext,
  request: ApiRequest,
  token: ConnectTokenState,
  action: Action,
  vaultId: string,
  itemId: string,
  itemVersion: number,
): void {
  recordActivity(context, request, token, action, 'SUCCESS', {
    type: 'ITEM',
    vault: { id: vaultId },
    item: { id: itemId },
    itemVersion,
  });
}

function recordActivity(
  context: ConnectApiContext,
  request: ApiRequest,
  token: ConnectTokenState,
  action: Action,
  result: ConnectApiRequest['result'],
  resource: ConnectApiRequest['resource'],
): void {
  context.activity.record({
    requestId: randomUUID(),
    timestamp: context.clock().toISOString(),
    action,
    result,
    actor: {
      id: uuidFromId(token.id),
      account: ACCOUNT_ID,
      jti: token.id,
      userAgent: request.userAgent ?? '',
      requestIp: request.remoteAddress ?? '',
    },
    resource,
  });
}

/** A stable UUID-shaped actor id for a token (the spec wants `format: uuid`). */
function uuidFromId(id: string): string {
  const hex = Buffer.from(id).toString('hex').padEnd(32, '0').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(
    13,
    16,
  )}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
