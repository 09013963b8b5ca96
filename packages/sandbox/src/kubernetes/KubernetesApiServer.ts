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

import { isError } from '@backstage/errors';
import { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, Server } from 'node:https';
import { AddressInfo, Socket } from 'node:net';
import { SandboxLogger, silentLogger } from '../logger';
import {
  badRequest,
  forbidden,
  KubernetesApiError,
  methodNotAllowed,
  pathNotFound,
  unauthorized,
  unsupportedMediaType,
} from './apiErrors';
import {
  apiGroup,
  apiGroupList,
  apiResourceList,
  coreVersions,
  versionInfo,
} from './kubectl/discovery';
import { openApiV3Document, openApiV3Index } from './kubectl/openApi';
import {
  APPLY_PATCH,
  JSON_PATCH,
  MERGE_PATCH,
  STRATEGIC_PATCH,
} from './kubectl/patchContentTypes';
import { readBody, readJson, readObjectBody, readYaml } from './requestBodies';
import { ResourceStore, WriteOptions } from './ResourceStore';
import {
  apiVersionOf,
  qualifiedResource,
  resourceTypeAt,
  ResourceType,
} from './resourceTypes';
import { toTable } from './kubectl/tables';
import type { ClusterSpec } from '../scenario/types';
import { KubeObject, WatchEvent } from './types';

/** Who a bearer token authenticates as; only the admin may write. */
interface Caller {
  user: string;
  canWrite: boolean;
}

/** The REST target a path names. */
interface ResourceRequest {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

type Representation = 'full' | 'metadata' | 'table';

interface KubernetesApiServerOptions {
  store: ResourceStore;
  /** Accepted bearer tokens; the first may write, the others only read. */
  tokens: string[];
  tls: { certPem: string; keyPem: string };
  logger?: SandboxLogger;
  /** Narrower RBAC for some tokens (see {@link ClusterSpec.rbac}). */
  rbac?: ClusterSpec['rbac'];
  /** False: the OnePasswordItem CRD is not installed; its paths answer 404. */
  crdInstalled?: boolean;
}

const JSON_TYPE = 'application/json';

/**
 * The HTTPS front of one fake cluster: the REST paths of the kinds in
 * {@link RESOURCE_TYPES}, discovery, bearer-token authentication, watches and
 * metadata-only representations, answering errors with `Status` objects.
 */
export class KubernetesApiServer {
  private readonly store: ResourceStore;
  private readonly callers: Map<string, Caller>;
  private readonly server: Server;
  private readonly logger: SandboxLogger;
  private rbac: NonNullable<ClusterSpec['rbac']>;
  /** Tokens answered 401 from now on, as after their ServiceAccount is deleted. */
  private readonly revoked = new Set<string>();
  /** How long each list waits before it answers, as a loaded API server. */
  private listDelayMs = 0;
  private readonly crdInstalled: boolean;
  private readonly sockets = new Set<Socket>();
  private readonly watches = new Set<() => void>();
  private down = false;
  /** Resource requests by verb (list, watch, get, ...), for tests that count what a client costs. */
  private requestsByVerb: Record<string, number> = {};

  static async start(
    options: KubernetesApiServerOptions & { port: number },
  ): Promise<KubernetesApiServer> {
    const server = new KubernetesApiServer(options);
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.server.listen(options.port, '127.0.0.1', () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    return server;
  }

  private constructor(options: KubernetesApiServerOptions) {
    this.store = options.store;
    this.logger = options.logger ?? silentLogger;
    this.rbac = options.rbac ?? {};
    this.crdInstalled = options.crdInstalled ?? true;
    this.callers = new Map(
      options.tokens.map((token, index) => [
        token,
        index === 0
          ? {
              user: 'system:serviceaccount:kube-system:sandbox-admin',
              canWrite: true,
            }
          : {
              user: 'system:serviceaccount:kube-system:sandbox-reader',
              canWrite: false,
            },
      ]),
    );
    this.server = createServer(
      { cert: options.tls.certPem, key: options.tls.keyPem },
      (request, response) => {
        this.handle(request, response).catch(error =>
          this.fail(response, error),
        );
      },
    );
    this.server.on('connection', (socket: Socket) => {
      if (this.down) {
        socket.destroy();
        return;
      }
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** Resource requests served since the last reset, by verb. */
  stats(): { total: number; byVerb: Record<string, number> } {
    const byVerb = { ...this.requestsByVerb };
    return {
      total: Object.values(byVerb).reduce((sum, n) => sum + n, 0),
      byVerb,
    };
  }

  resetStats(): void {
    this.requestsByVerb = {};
  }

  /** Answers 401 to `token` (or serves it again), as a deleted or restored ServiceAccount. */
  setTokenRevoked(token: string, revoked: boolean): void {
    if (revoked) this.revoked.add(token);
    else this.revoked.delete(token);
  }

  /**
   * Replaces the RBAC rule of one token (undefined: full read access), as
   * an edited Role does. Like a real API server, open watches are not
   * re-checked: they see the rule when they reconnect (see {@link endWatches}).
   */
  setRbacRule(
    token: string,
    rule: NonNullable<ClusterSpec['rbac']>[string] | undefined,
  ): void {
    const { [token]: _previous, ...others } = this.rbac;
    this.rbac = rule ? { ...others, [token]: rule } : others;
  }

  /** Makes every list wait this long before answering; 0 answers at once. */
  setListDelay(ms: number): void {
    this.listDelayMs = ms;
  }

  /** Ends every open watch cleanly, as its timeout does; clients reconnect. */
  endWatches(): void {
    for (const stopWatch of [...this.watches]) stopWatch();
  }

  /** While down, every connection is closed at once, as by a dead API server. */
  setDown(down: boolean): void {
    this.down = down;
    if (down) {
      for (const stopWatch of [...this.watches]) stopWatch();
      for (const socket of this.sockets) socket.destroy();
      this.sockets.clear();
    }
  }

  async stop(): Promise<void> {
    for (const stopWatch of [...this.watches]) stopWatch();
    await new Promise<void>(resolve => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'https://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (['/healthz', '/livez', '/readyz'].includes(path)) {
      this.sendText(response, 200, 'ok');
      return;
    }
    if (path === '/version') {
      this.sendJson(response, 200, versionInfo());
      return;
    }
    const caller = this.authenticate(request);
    if (request.method === 'GET') {
      const document = this.discovery(path);
      if (document) {
        this.sendJson(response, 200, document);
        return;
      }
    }
    const target = parseResourcePath(path);
    if (!target) throw pathNotFound();
    const verb = verbOf(request.method ?? 'GET', target.name, url.searchParams);
    this.requestsByVerb[verb] = (this.requestsByVerb[verb] ?? 0) + 1;
    if (!this.crdInstalled && target.type.group === 'onepassword.com') {
      throw pathNotFound();
    }
    const bearer = /^Bearer\s+(.+)$/i
      .exec(request.headers.authorization ?? '')?.[1]
      ?.trim();
    const rule = bearer ? this.rbac[bearer] : undefined;
    if (rule) {
      const resource = qualifiedResource(target.type);
      const denied =
        rule.deny?.includes(resource) ||
        (rule.namespaces !== undefined &&
          target.type.namespaced &&
          (!target.namespace || !rule.namespaces.includes(target.namespace)));
      if (denied) {
        throw forbidden(
          caller.user,
          verb,
          target.type,
          target.namespace,
          target.name,
        );
      }
    }
    await this.serveResource(request, response, url, caller, target);
  }

  private authenticate(request: IncomingMessage): Caller {
    const match = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
    const token = match?.[1].trim();
    const caller =
      token && !this.revoked.has(token) ? this.callers.get(token) : undefined;
    if (!caller) throw unauthorized();
    return caller;
  }

  private discovery(path: string): unknown {
    if (path === '/api') return coreVersions(`127.0.0.1:${this.port}`);
    if (path === '/apis') return apiGroupList();
    if (path === '/openapi/v3') return openApiV3Index();
    if (path.startsWith('/openapi/v3/'))
      return openApiV3Document(path.slice('/openapi/v3/'.length));
    if (path === '/api/v1') return apiResourceList('', 'v1');
    const group = /^\/apis\/([^/]+)$/.exec(path);
    if (group) return apiGroup(group[1]);
    const groupVersion = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
    if (groupVersion) return apiResourceList(groupVersion[1], groupVersion[2]);
    return undefined;
  }

  private async serveResource(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    caller: Caller,
    target: ResourceRequest,
  ) {
    const { type, namespace, name, subresource } = target;
    const query = url.searchParams;
    const method = request.method ?? 'GET';
    const verb = verbOf(method, name, query);
    if (!['get', 'list', 'watch'].includes(verb) && !caller.canWrite) {
      throw forbidden(caller.user, verb, type, namespace, name);
    }
    if (subresource && subresource !== 'status') throw pathNotFound();
    if (subresource === 'status' && !type.statusSubresource)
      throw pathNotFound();
    if (!['get', 'list', 'watch'].includes(verb) && !type.writable)
      throw methodNotAllowed();
    const representation = representationOf(request.headers.accept);
    const resource = qualifiedResource(type);
    const write: WriteOptions = {
      manager: fieldManager(request, query),
      fieldValidation: query.get('fieldValidation') ?? undefined,
      ...(subresource === 'status' ? { subresource: 'status' as const } : {}),
    };

    switch (verb) {
      case 'watch': {
        this.serveWatch(
          request,
          response,
          type,
          namespace,
          name,
          query,
          representation,
        );
        return;
      }
      case 'list': {
        if (this.listDelayMs > 0) {
          await new Promise(resolve => setTimeout(resolve, this.listDelayMs));
        }
        const limit = Number(query.get('limit') ?? 0);
        const fieldSelector = [
          query.get('fieldSelector'),
          name && `metadata.name=${name}`,
        ]
          .filter(Boolean)
          .join(',');
        const result = this.store.list(resource, {
          namespace,
          labelSelector: query.get('labelSelector') ?? undefined,
          fieldSelector: fieldSelector || undefined,
          limit: Number.isFinite(limit) ? limit : 0,
          continue: query.get('continue') ?? undefined,
        });
        // Lists of custom resources (served as unstructured objects) always
        // carry `continue`, empty on the last page; built-in kinds omit it.
        const custom = type.group === 'onepassword.com';
        const metadata = {
          resourceVersion: result.resourceVersion,
          ...(result.continue
            ? {
                continue: result.continue,
                remainingItemCount: result.remainingItemCount,
              }
            : {}),
          ...(custom && !result.continue && representation === 'full'
            ? { continue: '' }
            : {}),
        };
        if (representation === 'table') {
          this.sendJson(
            response,
            200,
            {
              ...toTable(type, result.items, { now: new Date() }),
              metadata,
            },
            JSON_TYPE,
          );
        } else if (representation === 'metadata') {
          this.sendJson(
            response,
            200,
            {
              kind: 'PartialObjectMetadataList',
              apiVersion: 'meta.k8s.io/v1',
              metadata,
              items: result.items.map(partialMetadata),
            },
            JSON_TYPE,
          );
        } else {
          this.sendJson(response, 200, {
            kind: `${type.kind}List`,
            apiVersion: apiVersionOf(type),
            metadata,
            items: result.items,
          });
        }
        return;
      }
      case 'get': {
        const object = this.store.require(resource, namespace, name!);
        this.sendObject(response, 200, type, object, representation);
        return;
      }
      case 'create': {
        const body = await readObjectBody(request);
        const bodyNamespace = body?.metadata?.namespace;
        if (type.namespaced && bodyNamespace && bodyNamespace !== namespace) {
          throw badRequest(
            'the namespace of the provided object does not match the namespace sent on the request',
          );
        }
        const object = { ...body, metadata: { ...body?.metadata, namespace } };
        const created = this.store.create(resource, object, write);
        this.sendObject(response, 201, type, created, representation);
        return;
      }
      case 'update': {
        const body = await readObjectBody(request);
        if (body?.metadata?.name && body.metadata.name !== name) {
          throw badRequest(
            `the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`,
          );
        }
        const object = {
          ...body,
          metadata: { ...body?.metadata, name, namespace },
        };
        const updated = this.store.replace(resource, object, write);
        this.sendObject(response, 200, type, updated, representation);
        return;
      }
      case 'patch': {
        const contentType = (request.headers['content-type'] ?? '')
          .split(';')[0]
          .trim();
        if (contentType === APPLY_PATCH) {
          if (!query.get('fieldManager')) {
            throw badRequest(
              'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
            );
          }
          const applied = await readYaml(request);
          this.sendObject(
            response,
            200,
            type,
            this.store.apply(resource, namespace, name!, applied, write),
            representation,
          );
          return;
        }
        const mergeTypes =
          type.group === 'onepassword.com'
            ? [MERGE_PATCH]
            : [MERGE_PATCH, STRATEGIC_PATCH];
        if (![JSON_PATCH, ...mergeTypes].includes(contentType)) {
          throw unsupportedMediaType(contentType, [
            JSON_PATCH,
            ...mergeTypes,
            APPLY_PATCH,
          ]);
        }
        const body = await readJson(request);
        let patched: KubeObject;
        if (mergeTypes.includes(contentType)) {
          // Strategic merge differs from a merge patch only for lists with merge keys.
          patched = this.store.mergePatch(
            resource,
            namespace,
            name!,
            body,
            write,
          );
        } else if (contentType === JSON_PATCH) {
          patched = this.store.jsonPatch(
            resource,
            namespace,
            name!,
            body,
            write,
          );
        } else {
          throw unsupportedMediaType(contentType, [
            JSON_PATCH,
            ...mergeTypes,
            APPLY_PATCH,
          ]);
        }
        this.sendObject(response, 200, type, patched, representation);
        return;
      }
      case 'delete': {
        await readBody(request);
        const deleted = this.store.delete(resource, namespace, name!, {
          manager: write.manager,
        });
        this.sendObject(response, 200, type, deleted, representation);
        return;
      }
      default:
        throw methodNotAllowed();
    }
  }

  private serveWatch(
    request: IncomingMessage,
    response: ServerResponse,
    type: ResourceType,
    namespace: string | undefined,
    name: string | undefined,
    query: URLSearchParams,
    representation: Representation,
  ) {
    const fieldSelector = [
      query.get('fieldSelector'),
      name && `metadata.name=${name}`,
    ]
      .filter(Boolean)
      .join(',');
    let first = true;
    const send = (event: WatchEvent | { type: 'ERROR'; object: unknown }) => {
      let object = event.object;
      if (event.type !== 'ERROR' && representation === 'metadata') {
        object = partialMetadata(event.object as KubeObject);
      } else if (event.type !== 'ERROR' && representation === 'table') {
        // Column definitions come with the first event only, as the API server sends them.
        object = toTable(type, [event.object as KubeObject], {
          now: new Date(),
          withColumns: first,
        });
        first = false;
      }
      response.write(`${JSON.stringify({ type: event.type, object })}\n`);
    };
    // Whatever the representation, the real server labels the stream
    // application/json, as it does lists, tables and metadata answers.
    response.writeHead(200, {
      'Content-Type': JSON_TYPE,
      'Cache-Control': 'no-cache, private',
    });
    response.flushHeaders();
    const pending: WatchEvent[] = [];
    let ready = false;
    let unsubscribe = () => {};
    try {
      unsubscribe = this.store.watch(
        qualifiedResource(type),
        {
          namespace,
          labelSelector: query.get('labelSelector') ?? undefined,
          fieldSelector: fieldSelector || undefined,
          resourceVersion: query.get('resourceVersion') ?? undefined,
        },
        event => (ready ? send(event) : pending.push(event)),
      );
    } catch (error) {
      if (error instanceof KubernetesApiError) {
        send({ type: 'ERROR', object: error.status });
        response.end();
        return;
      }
      throw error;
    }
    ready = true;
    pending.forEach(send);
    const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 0);
    let timer: NodeJS.Timeout | undefined;
    const stop = () => {
      if (timer) clearTimeout(timer);
      unsubscribe();
      this.watches.delete(stop);
      if (!response.writableEnded) response.end();
    };
    if (timeoutSeconds > 0) timer = setTimeout(stop, timeoutSeconds * 1000);
    this.watches.add(stop);
    request.on('close', stop);
    response.on('close', stop);
  }

  private sendObject(
    response: ServerResponse,
    code: number,
    type: ResourceType,
    object: KubeObject,
    representation: Representation,
  ) {
    if (representation === 'table') {
      this.sendJson(
        response,
        code,
        toTable(type, [object], { now: new Date() }),
        JSON_TYPE,
      );
      return;
    }
    if (representation === 'metadata') {
      this.sendJson(response, code, partialMetadata(object), JSON_TYPE);
    } else {
      this.sendJson(response, code, object);
    }
  }

  private sendJson(
    response: ServerResponse,
    code: number,
    body: unknown,
    contentType = JSON_TYPE,
  ) {
    const text = JSON.stringify(body);
    response.writeHead(code, {
      'Content-Type': contentType,
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-cache, private',
    });
    response.end(text);
  }

  private sendText(response: ServerResponse, code: number, text: string) {
    response.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(text);
  }

  private fail(response: ServerResponse, error: unknown) {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    if (error instanceof KubernetesApiError) {
      this.sendJson(response, error.code, error.status);
      return;
    }
    this.logger.error('Kubernetes API server failed to answer', {
      error: isError(error) ? error.message : String(error),
    });
    const internal = new KubernetesApiError(
      500,
      'InternalError',
      'Internal error occurred',
    );
    this.sendJson(response, 500, internal.status);
  }
}

/**
 * `/api/v1/namespaces/<ns>/<plural>/<name>/<sub>`,
 * `/apis/<group>/<version>/<plural>`, ...
 */
function parseResourcePath(path: string): ResourceRequest | undefined {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    [group, version, rest] = ['', parts[1], parts.slice(2)];
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
  } else {
    return undefined;
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const type = resourceTypeAt(group, version, rest[2]);
    if (type?.namespaced) {
      return { type, namespace: rest[1], name: rest[3], subresource: rest[4] };
    }
  }
  const type = resourceTypeAt(group, version, rest[0]);
  if (!type || rest.length > 3) return undefined;
  return { type, name: rest[1], subresource: rest[2] };
}

function verbOf(
  method: string,
  name: string | undefined,
  query: URLSearchParams,
): string {
  const watch = ['true', '1'].includes(query.get('watch') ?? '');
  switch (method) {
    case 'GET':
      if (watch) return 'watch';
      return name ? 'get' : 'list';
    case 'POST':
      return name ? 'unsupported' : 'create';
    case 'PUT':
      return name ? 'update' : 'unsupported';
    case 'PATCH':
      return name ? 'patch' : 'unsupported';
    case 'DELETE':
      return name ? 'delete' : 'deletecollection';
    default:
      return 'unsupported';
  }
}

/**
 * Picks the representation from `Accept`, in the client's order:
 * `as=PartialObjectMetadata[List];g=meta.k8s.io`, `as=Table;v=v1;g=meta.k8s.io`
 * or a plain object.
 */
function representationOf(accept: string | undefined): Representation {
  for (const clause of (accept ?? '').split(',')) {
    const [mediaType, ...parameters] = clause
      .split(';')
      .map(part => part.trim());
    const params = new Map(
      parameters.map(parameter => {
        const [key, value = ''] = parameter.split('=');
        return [key.trim(), value.trim()] as const;
      }),
    );
    if (mediaType !== JSON_TYPE && mediaType !== '*/*') continue;
    const as = params.get('as');
    if (!as) return 'full';
    if (params.get('g') !== 'meta.k8s.io') continue;
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') {
      return 'metadata';
    }
    if (as === 'Table' && params.get('v') === 'v1') return 'table';
  }
  return 'full';
}

/** Metadata only: what a `PartialObjectMetadata` carries (never `data` or `spec`). */
function partialMetadata(object: KubeObject) {
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: object.metadata,
  };
}

/**
 * The field manager of a write: the `fieldManager` parameter, else the
 * User-Agent up to its first `/`, as the API server derives it.
 */
function fieldManager(
  request: IncomingMessage,
  query: URLSearchParams,
): string {
  const explicit = query.get('fieldManager');
  if (explicit) return explicit;
  const agent = request.headers['user-agent'] ?? '';
  return agent.split('/')[0].slice(0, 128) || 'unknown';
}
