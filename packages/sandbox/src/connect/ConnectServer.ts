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
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { ConnectServerSpec } from '../scenario/types';
import { SandboxLogger, silentLogger } from '../logger';
import { ActivityLog } from './ActivityLog';
import { ConnectFaultSwitch } from './ConnectFaultSwitch';
import { ConnectStore } from './ConnectStore';
import { ConnectTokens } from './ConnectTokens';
import { ApiResponse, handleApiRequest } from './connectApi';
import { handleControlRequest } from './controlApi';
import { RequestLog, RequestLogEntry, RequestStats } from './RequestLog';

/** What the server answers; text for the endpoints outside the JSON API. */
type Answer = Omit<ApiResponse, 'token'> & {
  token?: ApiResponse['token'];
  text?: { body: string; contentType: string };
};

/** The Connect version the sandbox reports; the API follows the 1.7.1 contract. */
const SANDBOX_CONNECT_VERSION = '1.7.1';
const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** Where the sandbox's own control endpoints live; real Connect has nothing here. */
export const CONTROL_PATH_PREFIX = '/__sandbox/';

/** @public */
export interface ConnectServerOptions {
  /** The server's scenario entry, with ids and times already resolved. */
  spec: ConnectServerSpec;
  /** Overrides `spec.port`; 0 = any free port. */
  port?: number;
  clock?: () => Date;
  logger?: SandboxLogger;
}

/** Default control-endpoint token of a server without `adminToken`. */
export function defaultAdminToken(serverName: string): string {
  return `sandbox-connect-${serverName}-control`;
}

/**
 * One fake 1Password Connect server listening on 127.0.0.1: the `/v1` API,
 * `/heartbeat`, `/health` and `/metrics`, plus control endpoints under
 * `/__sandbox/` to switch faults and revoke tokens from another process.
 * @public
 */
export class ConnectServer {
  readonly name: string;
  readonly store: ConnectStore;
  readonly tokens: ConnectTokens;
  readonly faults: ConnectFaultSwitch;
  readonly activity = new ActivityLog();
  /** Bearer token of the `/__sandbox/` control endpoints. */
  readonly adminToken: string;

  private readonly requests = new RequestLog();
  private readonly server: Server;
  private readonly clock: () => Date;
  private readonly logger: SandboxLogger;
  private readonly startedAt: Date;
  private readonly pendingDelays = new Set<{
    timer: NodeJS.Timeout;
    resolve: () => void;
  }>();
  private port: number;
  private listening = false;

  static async start(options: ConnectServerOptions): Promise<ConnectServer> {
    const server = new ConnectServer(options);
    await server.listen(options.port ?? options.spec.port);
    return server;
  }

  private constructor(options: ConnectServerOptions) {
    const { spec } = options;
    this.name = spec.name;
    this.clock = options.clock ?? (() => new Date());
    this.logger = options.logger ?? silentLogger;
    this.startedAt = this.clock();
    this.store = ConnectStore.create({
      serverName: spec.name,
      vaults: spec.vaults,
      clock: this.clock,
    });
    this.tokens = new ConnectTokens(spec.tokens);
    this.faults = new ConnectFaultSwitch(spec.faults);
    this.adminToken = spec.adminToken ?? defaultAdminToken(spec.name);
    this.port = options.port ?? spec.port;
    this.server = createServer((request, response) => {
      this.handle(request, response).catch(error => {
        this.logger.error(`Connect server ${this.name} failed to answer`, {
          error: isError(error) ? error.message : String(error),
        });
        if (!response.headersSent) {
          this.send(response, {
            status: 500,
            json: { status: 500, message: 'Something went wrong' },
          });
        } else {
          response.destroy();
        }
      });
    });
    this.server.keepAliveTimeout = 5_000;
  }

  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Requests answered since start (or the last reset), oldest first; control requests excluded. */
  get requestLog(): RequestLogEntry[] {
    return this.requests.list();
  }

  stats(): RequestStats {
    return this.requests.stats();
  }

  resetStats(): void {
    this.requests.reset();
  }

  /** Stops listening, so clients get ECONNREFUSED, until {@link ConnectServer.resume}. */
  async pause(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    await new Promise<void>(resolve => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Listens again on the same port after {@link ConnectServer.pause}. */
  async resume(): Promise<void> {
    if (!this.listening) {
      await this.listen(this.port);
    }
  }

  async stop(): Promise<void> {
    for (const delay of this.pendingDelays) {
      clearTimeout(delay.timer);
      delay.resolve();
    }
    this.pendingDelays.clear();
    await this.pause();
  }

  private async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.listening = true;
  }

  private async handle(
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const path =
      url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const method = request.method ?? 'GET';
    const body = await readBody(request);

    if (path.startsWith(CONTROL_PATH_PREFIX.slice(0, -1))) {
      this.send(
        response,
        handleControlRequest(this, {
          method,
          path,
          authorization: request.headers.authorization,
          body,
        }),
      );
      return;
    }

    const faults = this.faults.current;
    if (faults.refuse) {
      this.requests.record({
        at: this.clock().toISOString(),
        method,
        path,
        status: 0,
      });
      request.socket.destroy();
      return;
    }
    if (faults.delayMs) {
      await this.delay(faults.delayMs);
      if (!this.listening) return;
    }

    let answer: Answer;
    const vaultError = this.vaultError(path, method);
    if (this.faults.current.error500) {
      answer = {
        status: 500,
        json: { status: 500, message: 'Something went wrong' },
      };
    } else if (path.startsWith('/v1/') && this.faults.takeTransientError()) {
      answer = {
        status: 503,
        json: { status: 503, message: 'Service Unavailable' },
      };
    } else if (vaultError) {
      answer = vaultError;
    } else if (path === '/heartbeat' && method === 'GET') {
      answer = { status: 200, text: { body: '.', contentType: 'text/plain' } };
    } else if (path === '/health' && method === 'GET') {
      answer = { status: 200, json: this.health() };
    } else if (path === '/metrics' && method === 'GET') {
      answer = {
        status: 200,
        text: {
          body: this.metrics(),
          contentType: 'text/plain; version=0.0.4',
        },
      };
    } else if (path === '/v1' || path.startsWith('/v1/')) {
      answer = await handleApiRequest(
        {
          store: this.store,
          tokens: this.tokens,
          activity: this.activity,
          clock: this.clock,
        },
        {
          method,
          path,
          query: url.searchParams,
          authorization: request.headers.authorization,
          userAgent: request.headers['user-agent'],
          remoteAddress: request.socket.remoteAddress,
          body,
        },
      );
      if (
        this.faults.current.omitItemVersions &&
        method === 'GET' &&
        /^\/v1\/vaults\/[^/]+\/items$/.test(path) &&
        Array.isArray(answer.json)
      ) {
        answer = {
          ...answer,
          json: answer.json.map(({ version: _omitted, ...item }: any) => item),
        };
      }
    } else {
      answer = {
        status: 404,
        json: { status: 404, message: `Unknown path ${path}` },
      };
    }
    this.requests.record({
      at: this.clock().toISOString(),
      method,
      path,
      status: answer.status,
      ...(answer.token ? { tokenName: answer.token.name } : {}),
    });
    this.send(response, answer);
  }

  private delay(ms: number): Promise<void> {
    return new Promise(resolve => {
      const entry = {
        timer: setTimeout(() => {
          this.pendingDelays.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.pendingDelays.add(entry);
    });
  }

  private baseHeaders(
    extra: Record<string, string> = {},
  ): Record<string, string> {
    return { '1Password-Connect-Version': SANDBOX_CONNECT_VERSION, ...extra };
  }

  private send(response: ServerResponse, answer: Answer): void {
    if (answer.text) {
      response.writeHead(
        answer.status,
        this.baseHeaders({ 'Content-Type': answer.text.contentType }),
      );
      response.end(answer.text.body);
      return;
    }
    if (answer.binary) {
      response.writeHead(
        answer.status,
        this.baseHeaders({
          'Content-Type': 'application/octet-stream',
          'Content-Disposition': `attachment; filename="${answer.binary.fileName.replace(
            /"/g,
            '',
          )}"`,
          'Content-Length': String(answer.binary.content.length),
          ...answer.headers,
        }),
      );
      response.end(answer.binary.content);
      return;
    }
    if (answer.json === undefined) {
      response.writeHead(answer.status, this.baseHeaders(answer.headers));
      response.end();
      return;
    }
    response.writeHead(
      answer.status,
      this.baseHeaders({
        'Content-Type': 'application/json',
        ...answer.headers,
      }),
    );
    response.end(JSON.stringify(answer.json));
  }

  private health() {
    const lagging = this.faults.current.syncLagging;
    return {
      name: '1Password Connect API',
      version: SANDBOX_CONNECT_VERSION,
      dependencies: [
        {
          service: 'sqlite',
          status: 'ACTIVE',
          message: 'Connected to /home/opuser/.op/data/1password.sqlite',
        },
        { service: 'account_data', status: 'ACTIVE' },
        lagging
          ? {
              service: 'sync',
              status: 'NOT_SYNCED',
              message: 'Synchronization with 1Password has not completed',
            }
          : { service: 'sync', status: 'ACTIVE' },
      ],
    };
  }

  /** The answer of a vault the `vaultErrors` fault breaks, for its item list. */
  private vaultError(path: string, method: string): Answer | undefined {
    const errors = this.faults.current.vaultErrors;
    const match = /^\/v1\/vaults\/([^/]+)\/items$/.exec(path);
    if (!errors || !match || method !== 'GET') return undefined;
    const vault = (() => {
      try {
        return this.store.findVault(match[1]);
      } catch {
        return undefined;
      }
    })();
    const status =
      errors[match[1]] ??
      (vault ? errors[vault.id] ?? errors[vault.name] : undefined);
    if (status === undefined) return undefined;
    let message = `vault ${match[1]} answered ${status}`;
    if (status === 403) {
      message = 'Authorization: token does not have access to vault';
    } else if (status >= 500) {
      message = 'Something went wrong';
    }
    return { status, json: { status, message } };
  }

  private metrics(): string {
    const counts = new Map<string, number>();
    for (const entry of this.requests.list()) {
      const key = `method="${entry.method}",code="${entry.status}"`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [
      '# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.',
      '# TYPE process_start_time_seconds gauge',
      `process_start_time_seconds ${Math.floor(
        this.startedAt.getTime() / 1000,
      )}`,
      '# HELP sandbox_connect_http_requests_total Requests answered by this sandbox Connect server.',
      '# TYPE sandbox_connect_http_requests_total counter',
      ...[...counts].map(
        ([labels, count]) =>
          `sandbox_connect_http_requests_total{${labels}} ${count}`,
      ),
      '',
    ].join('\n');
  }
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      request.socket.destroy();
      throw new Error('Request body too large');
    }
    chunks.push(chunk as Buffer);
  }
  return chunks.length > 0 ? Buffer.concat(chunks).toString('utf8') : undefined;
}
