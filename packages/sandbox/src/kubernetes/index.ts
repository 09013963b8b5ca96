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
  stop(): Promise<void>;
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

  // `running: false` seeds the operator Deployment with 0 replicas: the
  // simulator then runs nothing until it is scaled up, as the real one.
  const operator = await OperatorSimulator.start({
    store,
    ...operatorLocation(spec),
    logger: prefixed(logger, `operator ${spec.name}`),
    resyncPeriodSeconds: spec.operator.resyncPeriodSeconds,
    onPolled: options.onOperatorPoll,
  });
  const eventExpiry = startEventExpiry(store, spec.eventTtlSeconds);
  const workloadPods = WorkloadPods.start({
    store,
    // The simulator shows the operator's own Pod, crash loops included.
    skip: deployment =>
      (deployment.spec?.template?.spec?.containers ?? []).some(
        (container: { image?: string }) =>
          container.image?.startsWith('1password/onepassword-operator'),
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
        store.mergePatch(
          'secrets',
          operatorLocation(spec).namespace,
          TOKEN_SECRET_NAME,
          {
            data: { [TOKEN_SECRET_KEY]: Buffer.from(token).toString('base64') },
          },
          { manager: 'helm' },
        );
        await operator?.restartProcess();
      },
    },
    stop: async () => {
      workloadPods.stop();
      eventExpiry.stop();
      operator?.stop();
      await server.stop();
    },
  };
}

function prefixed(logger: SandboxLogger, prefix: string): SandboxLogger {
  return {
    info: (message, meta) => logger.info(`[${prefix}] ${message}`, meta),
    warn: (message, meta) => logger.warn(`[${prefix}] ${message}`, meta),
    error: (message, meta) => logger.error(`[${prefix}] ${message}`, meta),
  };
}
