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
 * A Connect server deployed in the cluster next to the operator, as the
 * `connect` Helm chart did before 2.3.0 (and the operator's own
 * `config/connect` still does): Deployment and Service `onepassword-connect`,
 * the credentials file in Secret `op-credentials`, handed to the container
 * as `OP_SESSION` from the environment. Connect reads `OP_SESSION` as the
 * base64 of the credentials JSON, so the Secret's value must be that base64
 * (the file encoded twice in the Secret's data); a hand-made Secret of the
 * raw file makes Connect exit at start and the pod crash-loop.
 *
 * The Service is a local HTTP listener in front of the sandbox Connect
 * server: it refuses connections while no pod is ready, and while the pods
 * run credentials the Secret no longer holds (the server was re-created with
 * the CLI and the Deployment not rolled) it answers what such a Connect
 * answers: the operator's token does not verify.
 */

import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { SandboxLogger, silentLogger } from '../logger';
import { ResourceStore } from '../kubernetes/ResourceStore';
import { KubeObject } from '../kubernetes/types';
import {
  operatorDeploymentStatus,
  operatorPod,
  OperatorProcessState,
} from './operatorPods';

export const CONNECT_NAME = 'onepassword-connect';
export const CONNECT_VERSION = '1.8.2';
export const CREDENTIALS_SECRET_NAME = 'op-credentials';
export const CREDENTIALS_KEY = '1password-credentials.json';
/** The operator's `OP_CONNECT_HOST` for the chart's Connect (`connect.host`). */
export const IN_CLUSTER_CONNECT_HOST = `http://${CONNECT_NAME}:8080`;

const DEPLOYMENTS = 'deployments.apps';
const SYSTEM = { manager: 'kube-controller-manager' };

/** How the credentials file is stored in the Secret's data. */
export type CredentialsEncoding = 'twice' | 'once';

/**
 * A fake `1password-credentials.json` of a Connect server: the shape of the
 * real file, its secrets replaced by canaries so leak scans find them.
 */
export function credentialsFile(deviceUuid: string): string {
  return JSON.stringify({
    verifier: { salt: 'salt-CANARY', localHash: 'hash-CANARY' },
    encCredentials: {
      kid: 'localauthv2keykid',
      enc: 'A256GCM',
      cty: 'b5+jwk+json',
      iv: 'iv-CANARY',
      data: 'credentials-CANARY',
    },
    version: '2',
    deviceUuid,
    uniqueKey: { alg: 'A256GCM', kid: deviceUuid, k: 'key-CANARY' },
  });
}

/** The Secret's `data` value for a credentials file. */
export function encodeCredentials(
  json: string,
  encoding: CredentialsEncoding,
): string {
  const once = Buffer.from(json).toString('base64');
  return encoding === 'twice' ? Buffer.from(once).toString('base64') : once;
}

/** Secret `op-credentials`, as `kubectl create secret` or the chart writes it. */
export function credentialsSecret(
  namespace: string,
  json: string,
  encoding: CredentialsEncoding,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: CREDENTIALS_SECRET_NAME, namespace },
    type: 'Opaque',
    data: { [CREDENTIALS_KEY]: encodeCredentials(json, encoding) },
  };
}

/** Service `onepassword-connect` of the chart's `service.yaml`. */
export function connectService(namespace: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: CONNECT_NAME,
      namespace,
      labels: { 'app.kubernetes.io/component': 'connect' },
    },
    spec: {
      type: 'ClusterIP',
      selector: { app: CONNECT_NAME },
      ports: [
        { name: 'connect-sync', port: 8081, targetPort: 8081 },
        { name: 'connect-api', port: 8080, targetPort: 8080 },
      ],
    },
  };
}

/** The Connect Deployment: API and sync containers, `OP_SESSION` from the Secret. */
export function connectDeployment(namespace: string): KubeObject {
  const session = {
    name: 'OP_SESSION',
    valueFrom: {
      secretKeyRef: { name: CREDENTIALS_SECRET_NAME, key: CREDENTIALS_KEY },
    },
  };
  const container = (kind: 'api' | 'sync', port: number, bus: number) => ({
    name: `connect-${kind}`,
    image: `1password/connect-${kind}:${CONNECT_VERSION}`,
    env: [
      session,
      { name: 'OP_HTTP_PORT', value: String(port) },
      { name: 'OP_BUS_PORT', value: String(bus) },
      { name: 'OP_LOG_LEVEL', value: 'info' },
    ],
    volumeMounts: [{ name: 'shared-data', mountPath: '/home/opuser/.op/data' }],
    readinessProbe: { httpGet: { path: '/health', port } },
    livenessProbe: {
      httpGet: { path: '/heartbeat', port },
      failureThreshold: 3,
      periodSeconds: 30,
      initialDelaySeconds: 15,
    },
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: CONNECT_NAME,
      namespace,
      labels: {
        app: CONNECT_NAME,
        'app.kubernetes.io/component': 'connect',
        'app.kubernetes.io/managed-by': 'Helm',
      },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: CONNECT_NAME } },
      template: {
        metadata: {
          labels: { app: CONNECT_NAME, version: CONNECT_VERSION },
        },
        spec: {
          volumes: [{ name: 'shared-data', emptyDir: {} }],
          containers: [
            container('api', 8080, 11220),
            container('sync', 8081, 11221),
          ],
        },
      },
    },
  };
}

/** Why Connect exits at start, as it logs it. */
export class ConnectStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectStartError';
  }
}

/**
 * What Connect makes of `OP_SESSION`: base64 of the credentials JSON. Raw
 * JSON fails as Go's base64 decoder fails on its first byte.
 * @throws ConnectStartError where Connect exits
 */
export function loadCredentials(opSession: string): { deviceUuid: string } {
  const text = opSession.trim();
  const invalid = text.search(/[^A-Za-z0-9+/=]/);
  if (invalid >= 0 || text.length === 0) {
    throw new ConnectStartError(
      `Server: (LoadLocalAuthV2 failed to credentialsDataFromBase64), Wrapped: (illegal base64 data at input byte ${Math.max(
        invalid,
        0,
      )})`,
    );
  }
  try {
    const json = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
    if (typeof json?.deviceUuid !== 'string') throw new Error('no deviceUuid');
    return { deviceUuid: json.deviceUuid };
  } catch {
    throw new ConnectStartError(
      'Server: (LoadLocalAuthV2 failed to credentialsDataFromBase64), Wrapped: (failed to unmarshal credentials file)',
    );
  }
}

type ConnectProcess =
  | { kind: 'running'; deviceUuid: string; startedAt: Date }
  | { kind: 'crash-loop'; message: string; restarts: number; at: Date };

/**
 * The Connect Deployment's pods and Service in one cluster. Its pods load
 * the credentials when they start (a rollout of the Deployment starts new
 * ones); the Service forwards to `upstreamUrl`, the sandbox Connect server
 * these credentials belong to.
 */
export class InClusterConnect {
  static async start(options: {
    store: ResourceStore;
    namespace: string;
    upstreamUrl: string;
    logger?: SandboxLogger;
    /** When the pods first started (scenario history); default now. */
    startedAt?: Date;
    clock?: () => Date;
  }): Promise<InClusterConnect> {
    const connect = new InClusterConnect(options);
    await connect.boot(options.startedAt);
    connect.unwatch = options.store.watch(
      DEPLOYMENTS,
      { resourceVersion: options.store.resourceVersion },
      event => {
        const { metadata } = event.object;
        if (
          event.type === 'MODIFIED' &&
          metadata.namespace === options.namespace &&
          metadata.name === CONNECT_NAME &&
          metadata.generation !== connect.generation
        ) {
          queueMicrotask(() => {
            connect.settled = connect.settled.then(() => connect.boot());
          });
        }
      },
    );
    await connect.listen();
    return connect;
  }

  private process!: ConnectProcess;
  private generation?: number;
  private server?: Server;
  private port = 0;
  private unwatch: () => void = () => {};
  private readonly logger: SandboxLogger;
  private readonly clock: () => Date;
  private stopped = false;
  private settled: Promise<void> = Promise.resolve();

  private constructor(
    private readonly options: {
      store: ResourceStore;
      namespace: string;
      upstreamUrl: string;
    } & { logger?: SandboxLogger; clock?: () => Date },
  ) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? (() => new Date());
  }

  /** Where the Service answers, for the operator's `OP_CONNECT_HOST`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Whether a pod runs, and with which server's credentials. */
  get state(): Readonly<ConnectProcess> {
    return this.process;
  }

  /** Waits for a rollout that started to be served. */
  async idle(): Promise<void> {
    await new Promise(resolve => setImmediate(resolve));
    await this.settled;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unwatch();
    await this.close();
  }

  /** The credentials as the Secret holds them now, or why Connect would not start. */
  private currentCredentials(): { deviceUuid: string } {
    const secret = this.options.store.get(
      'secrets',
      this.options.namespace,
      CREDENTIALS_SECRET_NAME,
    );
    const encoded = secret?.data?.[CREDENTIALS_KEY];
    if (!encoded) {
      throw new ConnectStartError(
        `secret "${CREDENTIALS_SECRET_NAME}" not found`,
      );
    }
    return loadCredentials(Buffer.from(encoded, 'base64').toString('utf8'));
  }

  /** New pods: credentials read from the Secret; a crash loop if Connect exits. */
  private async boot(startedAt?: Date): Promise<void> {
    const deployment = this.options.store.require(
      DEPLOYMENTS,
      this.options.namespace,
      CONNECT_NAME,
    );
    this.generation = deployment.metadata.generation;
    const previous = this.process;
    const at = startedAt ?? this.clock();
    try {
      const { deviceUuid } = this.currentCredentials();
      this.process = { kind: 'running', deviceUuid, startedAt: at };
      this.logger.info('Connect started', { deviceUuid });
    } catch (error) {
      if (!(error instanceof ConnectStartError)) throw error;
      this.logger.error(error.message);
      this.process = {
        kind: 'crash-loop',
        message: error.message,
        restarts: previous?.kind === 'crash-loop' ? previous.restarts + 1 : 6,
        at,
      };
    }
    this.publish(deployment, at);
    if (!this.stopped && this.port) {
      // The Service follows the pods' readiness.
      if (this.process.kind === 'running') await this.listen();
      else await this.close();
    }
  }

  /** The kubelet's Pod and the Deployment controller's status, as for the operator. */
  private publish(deployment: KubeObject, at: Date) {
    const { store, namespace } = this.options;
    const state: OperatorProcessState =
      this.process.kind === 'running'
        ? { kind: 'running', startedAt: this.process.startedAt }
        : {
            kind: 'crash-loop',
            message: this.process.message,
            exitCode: 1,
            restarts: this.process.restarts,
            lastExitAt: this.process.at,
          };
    const pod = operatorPod(deployment, state)!;
    for (const old of store.list('pods', { namespace }).items) {
      // `onepassword-connect-<hash>`, not the operator's `onepassword-connect-operator-<hash>`.
      const owned = old.metadata.ownerReferences?.some(
        o =>
          o.kind === 'ReplicaSet' &&
          /^[a-z0-9]{10}$/.test(o.name.slice(CONNECT_NAME.length + 1)) &&
          o.name.startsWith(`${CONNECT_NAME}-`),
      );
      if (owned && old.metadata.name !== pod.metadata.name) {
        store.delete('pods', namespace, old.metadata.name!, SYSTEM);
      }
    }
    const current = store.get('pods', namespace, pod.metadata.name!);
    if (current) {
      store.replace(
        'pods',
        { ...current, status: pod.status },
        { manager: 'kubelet', subresource: 'status' },
      );
    } else {
      store.create('pods', pod, { ...SYSTEM, at });
    }
    store.replace(
      DEPLOYMENTS,
      {
        ...deployment,
        status: operatorDeploymentStatus(deployment, state, this.clock()),
      },
      { ...SYSTEM, subresource: 'status' },
    );
  }

  private async listen(): Promise<void> {
    if (this.server || this.stopped) return;
    if (this.process.kind !== 'running' && this.port) return;
    const server = createServer((request, response) => {
      this.handle(request, response).catch(error => {
        response.writeHead(502);
        response.end(String(error));
      });
    });
    this.server = server;
    await new Promise<void>(resolve =>
      server.listen(this.port, '127.0.0.1', () => resolve()),
    );
    this.port = (server.address() as AddressInfo).port;
    // Seeded with credentials Connect exits on: no endpoint from the start.
    if (this.process.kind !== 'running') await this.close();
  }

  private async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>(resolve => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse) {
    if (this.process.kind !== 'running') {
      request.socket.destroy();
      return;
    }
    let stale = false;
    try {
      stale = this.currentCredentials().deviceUuid !== this.process.deviceUuid;
    } catch {
      // The Secret changed into something Connect would not start from;
      // the running pods still hold the credentials they started with.
      stale = true;
    }
    const path = request.url ?? '/';
    if (stale && path.startsWith('/v1')) {
      // The pods run the deleted server's credentials: a token of the
      // re-created server does not verify, and nothing syncs.
      response.writeHead(401, { 'Content-Type': 'application/json' });
      response.end(
        JSON.stringify({ status: 401, message: 'Invalid token signature' }),
      );
      return;
    }
    const body = await new Promise<Buffer>(resolve => {
      const chunks: Buffer[] = [];
      request.on('data', chunk => chunks.push(chunk));
      request.on('end', () => resolve(Buffer.concat(chunks)));
    });
    const headers = Object.fromEntries(
      Object.entries(request.headers)
        .filter(([key]) => key !== 'host' && key !== 'content-length')
        .map(([key, value]) => [key, String(value)]),
    );
    const upstream = await fetch(`${this.options.upstreamUrl}${path}`, {
      method: request.method,
      headers,
      body: body.length ? body : undefined,
    });
    if (stale && path === '/health') {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(staleHealth(await upstream.json())));
      return;
    }
    const out: Record<string, string> = {};
    upstream.headers.forEach((value, key) => {
      if (key !== 'content-length' && key !== 'transfer-encoding') {
        out[key] = value;
      }
    });
    response.writeHead(upstream.status, out);
    response.end(Buffer.from(await upstream.arrayBuffer()));
  }
}

/** `/health` of a Connect whose credentials belong to a deleted server. */
function staleHealth(health: { dependencies?: unknown[] }) {
  return {
    ...health,
    dependencies: [
      ...(health.dependencies ?? []).filter(
        d => (d as { service?: string }).service !== 'sync',
      ),
      {
        service: 'sync',
        status: 'ERROR',
        message:
          'failed to Decrypt localAuthv2: Authentication failed, invalid bearer token',
      },
    ],
  };
}
