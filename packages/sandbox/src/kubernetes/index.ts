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

import { SandboxLogger, silentLogger } from '../logger';
import { TOKEN_SECRET_KEY, TOKEN_SECRET_NAME } from '../operator/helmManifests';
import { OperatorSimulator } from '../operator/OperatorSimulator';
import { randomUUID } from 'node:crypto';
import {
  CONNECT_NAME,
  CREDENTIALS_KEY,
  CREDENTIALS_SECRET_NAME,
  credentialsFile,
  CredentialsEncoding,
  encodeCredentials,
  InClusterConnect,
} from '../operator/inClusterConnect';
import { ClusterSpec } from '../scenario/types';
import { KubernetesApiServer } from './KubernetesApiServer';
import { ResourceStore } from './ResourceStore';
import { startEventExpiry } from './eventTtl';
import { WorkloadPods } from './workloadPods';
import { operatorLocation, seedCluster } from './scenarioSeed';
import { CertificateAuthority, issueServerCertificate } from './tls';

export { loadOrCreateCa, createCa } from './tls';
export type { CertificateAuthority } from './tls';
export { ResourceStore } from './ResourceStore';
export type { KubeObject, WatchEvent } from './types';
export { KubernetesApiError } from './apiErrors';

/** @public */
export interface KubernetesClusterOptions {
  /** The cluster's scenario entry, with times already resolved to ISO strings. */
  spec: ClusterSpec;
  /** The CA that signs the API server's certificate. */
  ca: CertificateAuthority;
  /** The Connect server the operator talks to, and the operator's token. */
  connect: {
    url: string;
    token: string;
    /** Reads items to seed scenario history the operator token can no longer see; defaults to `token`. */
    seedToken?: string;
    /** The value of `operator.rotatedToken`, written after the operator started. */
    rotatedToken?: string;
  };
  /** Overrides `spec.port`; 0 = any free port. */
  port?: number;
  logger?: SandboxLogger;
  /** Called after each poll of the cluster's operator. */
  onOperatorPoll?: () => void;
}

/** Test and CLI handles on the cluster's operator. */
export interface OperatorControls {
  /** Runs one poll of the operator now (no-op when the operator is not running). */
  pollNow(): Promise<void>;
  /** Reconciles every OnePasswordItem and annotated Deployment now. */
  reconcileNow(): Promise<void>;
  /** Waits for the reconciles the operator has queued (e.g. after an API write). */
  idle(): Promise<void>;
  /** Replaces the operator's Connect token (Secret `onepassword-token`) and restarts it. */
  setConnectToken(token: string): Promise<void>;
  /**
   * Replaces the token in Secret `onepassword-token` only, as a rotation
   * that forgets the restart: the running operator keeps the old token.
   */
  rotateConnectToken(token: string): void;
  /** Rolls the operator Deployment (`kubectl rollout restart`): a new pod reads its token again. */
  restart(): Promise<void>;
  /** Deletes the events older than the API server's `--event-ttl` now. */
  expireEvents(): void;
}

/** @public */
export interface KubernetesCluster {
  name: string;
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** The first token of the spec; may write. */
  adminToken: string;
  /** Base64 of the CA's PEM, as kubeconfig's `certificate-authority-data`. */
  caData: string;
  /** Direct access to the cluster's objects, for tests and tools. */
  api: ResourceStore;
  faults: {
    setDown(down: boolean): void;
    /** Answers 401 to this token (true) or accepts it again (false). */
    setTokenRevoked(token: string, revoked: boolean): void;
    /** Narrows (or with undefined restores) one token's access; see the scenario's `rbac`. */
    setRbacRule(
      token: string,
      rule: { namespaces?: string[]; deny?: string[] } | undefined,
    ): void;
    /** Every list answers after this many milliseconds. */
    setListDelay(ms: number): void;
    /** Ends the open watches, as their timeout does. */
    endWatches(): void;
  };
  /** Resource requests (list, watch, get, ...) served since the last reset. */
  stats(): { total: number; byVerb: Record<string, number> };
  resetStats(): void;
  operator: OperatorControls;
  /** The in-cluster Connect Deployment, where the scenario has one. */
  connect?: InClusterConnectControls;
  stop(): Promise<void>;
}

/** Test and CLI handles on an in-cluster Connect. */
export interface InClusterConnectControls {
  /** Writes new credentials to Secret `op-credentials`, as re-creating the server with the CLI and updating the Secret does. */
  recreateServer(options?: { encoding?: CredentialsEncoding }): void;
  /** Rolls the Connect Deployment (`kubectl rollout restart`) and waits for its new pods. */
  rollout(): Promise<void>;
  /** Whether its pods run, and with which server's credentials. */
  state(): InClusterConnect['state'];
}

/**
 * Starts one fake cluster: an HTTPS Kubernetes API server on 127.0.0.1 with
 * the scenario's objects, and (unless `operator.running` is false) the
 * 1Password operator simulator inside it.
 * @public
 */
export async function startKubernetesCluster(
  options: KubernetesClusterOptions,
): Promise<KubernetesCluster> {
  const { spec } = options;
  const logger = options.logger ?? silentLogger;
  const store = ResourceStore.create();
  await seedCluster({ store, spec, connect: options.connect, logger });
  const { namespace: operatorNamespace } = operatorLocation(spec);
  const connectSpec = spec.operator.inClusterConnect;
  const inClusterConnect = connectSpec
    ? await InClusterConnect.start({
        store,
        namespace: operatorNamespace,
        upstreamUrl: options.connect.url,
        logger: prefixed(logger, `connect ${spec.name}`),
        startedAt: connectSpec.startedAt
          ? new Date(connectSpec.startedAt)
          : undefined,
      })
    : undefined;
  if (inClusterConnect && connectSpec?.recreatedAt) {
    writeCredentials(store, operatorNamespace, 'twice', {
      manager: 'kubectl-edit',
      at: new Date(connectSpec.recreatedAt),
    });
  }

  // `running: false` seeds the operator Deployment with 0 replicas: the
  // simulator then runs nothing until it is scaled up, as the real one.
  const operator = await OperatorSimulator.start({
    store,
    ...operatorLocation(spec),
    logger: prefixed(logger, `operator ${spec.name}`),
    resyncPeriodSeconds: spec.operator.resyncPeriodSeconds,
    onPolled: options.onOperatorPoll,
    startedAt: spec.operator.startedAt
      ? new Date(spec.operator.startedAt)
      : undefined,
    resolveConnectHost: host =>
      inClusterConnect && isServiceHost(host, operatorNamespace)
        ? inClusterConnect.url
        : host,
  });
  const writeToken = (token: string, at?: Date) =>
    store.mergePatch(
      'secrets',
      operatorNamespace,
      TOKEN_SECRET_NAME,
      { data: { [TOKEN_SECRET_KEY]: Buffer.from(token).toString('base64') } },
      { manager: 'helm', at },
    );
  if (options.connect.rotatedToken && spec.operator.rotatedToken) {
    writeToken(
      options.connect.rotatedToken,
      new Date(spec.operator.rotatedToken.at),
    );
  }
  const eventExpiry = startEventExpiry(store, spec.eventTtlSeconds);
  const podsStartedAt = new Map(
    spec.namespaces.flatMap(namespace =>
      (namespace.deployments ?? [])
        .filter(d => d.podsStartedAt)
        .map(d => [`${namespace.name}/${d.name}`, new Date(d.podsStartedAt!)]),
    ),
  );
  const workloadPods = WorkloadPods.start({
    store,
    startedAt: deployment =>
      podsStartedAt.get(
        `${deployment.metadata.namespace}/${deployment.metadata.name}`,
      ),
    // The simulator shows the operator's own Pod, crash loops included, and
    // the in-cluster Connect its own.
    skip: deployment =>
      (deployment.spec?.template?.spec?.containers ?? []).some(
        (container: { image?: string }) =>
          container.image?.startsWith('1password/onepassword-operator') ||
          container.image?.startsWith('1password/connect-'),
      ),
  });

  const server = await KubernetesApiServer.start({
    store,
    tokens: spec.tokens,
    tls: issueServerCertificate(options.ca, `sandbox-${spec.name}`),
    port: options.port ?? spec.port,
    logger,
    rbac: spec.rbac,
    crdInstalled: spec.crdInstalled,
  });
  if (spec.down) server.setDown(true);

  return {
    name: spec.name,
    url: server.url,
    adminToken: spec.tokens[0],
    caData: Buffer.from(options.ca.certPem).toString('base64'),
    api: store,
    faults: {
      setDown: down => server.setDown(down),
      setTokenRevoked: (token, revoked) =>
        server.setTokenRevoked(token, revoked),
      setRbacRule: (token, rule) => server.setRbacRule(token, rule),
      setListDelay: ms => server.setListDelay(ms),
      endWatches: () => server.endWatches(),
    },
    stats: () => server.stats(),
    resetStats: () => server.resetStats(),
    operator: {
      pollNow: async () => operator?.pollNow(),
      reconcileNow: async () => operator?.reconcileNow(),
      idle: async () => operator?.idle(),
      expireEvents: () => eventExpiry.sweep(),
      setConnectToken: async token => {
        // What `helm upgrade --set operator.token.value=...` and a pod restart do.
        writeToken(token);
        await operator?.restartProcess();
      },
      rotateConnectToken: token => {
        writeToken(token);
      },
      restart: async () => {
        // A new pod template: the simulator restarts the process in a new pod.
        store.mergePatch(
          'deployments.apps',
          operatorNamespace,
          operatorLocation(spec).deploymentName,
          { spec: { template: { metadata: { annotations: restartedNow() } } } },
          { manager: 'kubectl-rollout' },
        );
        await new Promise(resolve => setImmediate(resolve));
        await operator?.idle();
      },
    },
    connect: inClusterConnect && {
      recreateServer: ({ encoding = 'twice' } = {}) =>
        writeCredentials(store, operatorNamespace, encoding, {
          manager: 'kubectl-edit',
        }),
      rollout: async () => {
        store.mergePatch(
          'deployments.apps',
          operatorNamespace,
          CONNECT_NAME,
          {
            spec: { template: { metadata: { annotations: restartedNow() } } },
          },
          { manager: 'kubectl-rollout' },
        );
        await inClusterConnect.idle();
      },
      state: () => inClusterConnect.state,
    },
    stop: async () => {
      await inClusterConnect?.stop();
      workloadPods.stop();
      eventExpiry.stop();
      operator?.stop();
      await server.stop();
    },
  };
}

/** `onepassword-connect`, `onepassword-connect.<ns>` or `….svc(.cluster.local)` of its namespace. */
function isServiceHost(host: string, namespace: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(host).hostname;
  } catch {
    return false;
  }
  const [name, ns = namespace, ...rest] = hostname.split('.');
  return (
    name === CONNECT_NAME &&
    ns === namespace &&
    ['', 'svc', 'svc.cluster.local'].includes(rest.join('.'))
  );
}

/** What `kubectl rollout restart` stamps on a pod template. */
function restartedNow() {
  return { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() };
}

/** New credentials of a re-created server, written to the Secret. */
function writeCredentials(
  store: ResourceStore,
  namespace: string,
  encoding: CredentialsEncoding,
  write: { manager: string; at?: Date },
) {
  const json = credentialsFile(randomUUID());
  store.mergePatch(
    'secrets',
    namespace,
    CREDENTIALS_SECRET_NAME,
    { data: { [CREDENTIALS_KEY]: encodeCredentials(json, encoding) } },
    write,
  );
}

function prefixed(logger: SandboxLogger, prefix: string): SandboxLogger {
  return {
    info: (message, meta) => logger.info(`[${prefix}] ${message}`, meta),
    warn: (message, meta) => logger.warn(`[${prefix}] ${message}`, meta),
    error: (message, meta) => logger.error(`[${prefix}] ${message}`, meta),
  };
}
