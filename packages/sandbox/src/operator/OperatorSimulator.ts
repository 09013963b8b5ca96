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

import { isDeepStrictEqual } from 'node:util';
import { randomBytes } from 'node:crypto';
import { SandboxLogger, silentLogger } from '../logger';
import { kubernetesTime, ResourceStore } from '../kubernetes/ResourceStore';
import { KubeObject, WatchEvent } from '../kubernetes/types';
import {
  OperatorConfig,
  OperatorStartError,
  readOperatorConfig,
} from './helmManifests';
import {
  operatorDeploymentStatus,
  operatorPod,
  OperatorProcessState,
} from './operatorPods';
import { OperatorConnectClient, OperatorItem } from './OperatorConnectClient';
import {
  autoRestartEnabled,
  AUTO_RESTART_ANNOTATION,
  buildSecret,
  buildSecretData,
  deploymentOperatorAnnotations,
  FINALIZER,
  formatSecretName,
  IGNORE_SECRET_TAG,
  itemIdPath,
  ITEM_NAME_ANNOTATION,
  ITEM_PATH_ANNOTATION,
  ITEM_VERSION_ANNOTATION,
  LAST_RESTARTED_ANNOTATION,
  readyStatus,
  referencedSecretNames,
  secretAnnotations,
} from './operatorModel';

/** The operator writes as controller-runtime's binary, `manager`. */
export const OPERATOR_FIELD_MANAGER = 'manager';
/** Reporting component of the Deployment controller's events. */
export const DEPLOYMENT_EVENT_COMPONENT = 'onepassword-operator-deployment';

const OPI = 'onepassworditems.onepassword.com';
const DEPLOYMENTS = 'deployments.apps';
/** controller-runtime's default per-item backoff after a failed reconcile: 5 ms doubling to 1000 s. */
const RETRY_BASE_MS = 5;
const RETRY_MAX_MS = 1000 * 1000;
const RATE_LIMIT_REQUEUE_MS = 15 * 60 * 1000;
/** controller-runtime's default cache `SyncPeriod`: every object is reconciled again. */
const DEFAULT_RESYNC_PERIOD_SECONDS = 10 * 60 * 60;

/** How a reconcile ended, which decides when it runs again. */
type Outcome = 'done' | 'failed' | 'rateLimited';

const RATE_LIMIT_MESSAGE =
  '1Password rate limit hit. Requeuing after 15 minutes.';

/** The bare message, as Go's `err.Error()` renders the operator's errors. */
const errorMessage = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

interface OperatorSimulatorOptions {
  store: ResourceStore;
  /** Where the operator Deployment (and its token Secret) live. */
  namespace: string;
  deploymentName: string;
  logger?: SandboxLogger;
  clock?: () => Date;
  /** controller-runtime's resync period; default 10 hours. */
  resyncPeriodSeconds?: number;
  /** Called after each poll, for scenario activity (see `reEditAfterPollsOf`). */
  onPolled?: () => void;
  /**
   * The cluster's DNS for `OP_CONNECT_HOST`: where an in-cluster Service
   * name answers. Hosts it does not know are used as they are.
   */
  resolveConnectHost?: (host: string) => string;
  /** When the operator pod that runs at the start was created (scenario history). */
  startedAt?: Date;
}

/**
 * Does what onepassword-operator 1.12 does inside one cluster: the
 * `onepassworditem` and `onepassword-deployment` controllers and the poller
 * of `secret_update_handler.go`, reading its configuration from its own
 * Deployment. Work runs one task at a time, like a single worker.
 */
export class OperatorSimulator {
  private readonly store: ResourceStore;
  private readonly namespace: string;
  private readonly deploymentName: string;
  private readonly logger: SandboxLogger;
  private readonly clock: () => Date;
  /** Host and token are set from the operator Deployment by `loadConfig`. */
  private readonly connect = new OperatorConnectClient('', '');
  private readonly fingerprints = new Map<string, string>();
  private readonly unwatch: Array<() => void> = [];
  private readonly retries = new Map<
    string,
    { failures: number; timer?: NodeJS.Timeout }
  >();
  private config!: OperatorConfig;
  private operatorGeneration?: number;
  private queue: Promise<void> = Promise.resolve();
  private pollTimer?: NodeJS.Timeout;
  private resyncTimer?: NodeJS.Timeout;
  private readonly resyncPeriodSeconds: number;
  private readonly onPolled: () => void;
  private process: OperatorProcessState = { kind: 'stopped' };
  private firstPodAt?: Date;
  private readonly resolveConnectHost?: (host: string) => string;
  private stopped = false;

  /**
   * Attaches to an operator that was already running when the scenario
   * starts: reconciles the OnePasswordItems that have no `Ready` condition yet
   * (those with one were reconciled by that earlier run, and the next cache
   * resync is hours away) and every annotated Deployment, then polls one
   * interval after start. A later process start (a restart, a scale-up, a
   * recovered crash loop) reconciles everything, as controller-runtime does.
   * Scaled to 0 it does nothing; with a setting the real process exits on
   * (`POLLING_INTERVAL` <= 0, a non-boolean `AUTO_RESTART`) it crash-loops.
   */
  static async start(
    options: OperatorSimulatorOptions,
  ): Promise<OperatorSimulator> {
    const operator = new OperatorSimulator(options);
    operator.watch();
    if (operator.boot()) {
      for (const item of operator.store.list(OPI).items) {
        const ready = item.status?.conditions?.some(
          (c: { type: string }) => c.type === 'Ready',
        );
        if (!ready) operator.enqueueItem(item);
      }
      for (const deployment of operator.store.list(DEPLOYMENTS).items) {
        operator.enqueueDeployment(deployment);
      }
    }
    await operator.queue;
    return operator;
  }

  private constructor(options: OperatorSimulatorOptions) {
    this.store = options.store;
    this.namespace = options.namespace;
    this.deploymentName = options.deploymentName;
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? (() => new Date());
    this.resyncPeriodSeconds =
      options.resyncPeriodSeconds ?? DEFAULT_RESYNC_PERIOD_SECONDS;
    this.onPolled = options.onPolled ?? (() => {});
    this.resolveConnectHost = options.resolveConnectHost;
    this.firstPodAt = options.startedAt;
  }

  /** Whether the process runs, is scaled to 0, or crash-loops. */
  get processState(): OperatorProcessState {
    return this.process;
  }

  /** The configuration read from the operator Deployment at (re)start. */
  get currentConfig(): OperatorConfig {
    return this.config;
  }

  /** Runs one poll now, after any queued work. */
  pollNow(): Promise<void> {
    return this.enqueue(async () => {
      if (this.process.kind !== 'running') return;
      await this.poll();
      this.onPolled();
    });
  }

  /** Reconciles every OnePasswordItem and annotated Deployment, as a cache resync does. */
  async reconcileNow(): Promise<void> {
    this.enqueueAll();
    await this.queue;
  }

  private enqueueAll() {
    for (const item of this.store.list(OPI).items) this.enqueueItem(item);
    for (const deployment of this.store.list(DEPLOYMENTS).items)
      this.enqueueDeployment(deployment);
  }

  /** Waits until queued work (e.g. reconciles triggered by watches) is done. */
  async idle(): Promise<void> {
    // Work may queue more work (a restart queues every reconcile).
    let queue: Promise<void>;
    do {
      queue = this.queue;
      await queue;
    } while (queue !== this.queue);
  }

  /**
   * Restarts the operator process, which re-reads its Deployment's env and
   * token Secret (it reads them only at start) and restarts its poll timer.
   */
  restartProcess(): Promise<void> {
    return this.enqueue(async () => this.restart());
  }

  stop(): void {
    this.stopped = true;
    this.stopTimers();
    this.unwatch.forEach(stop => stop());
  }

  private stopTimers() {
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    for (const retry of this.retries.values()) clearTimeout(retry.timer);
    this.retries.clear();
  }

  /**
   * A new operator pod (or none): reads the Deployment, starts the process
   * unless it is scaled to 0 or exits on its settings, and shows the outcome
   * in the Deployment's status and the Pod. Returns whether it runs.
   */
  private boot(): boolean {
    this.stopTimers();
    const deployment = this.store.require(
      DEPLOYMENTS,
      this.namespace,
      this.deploymentName,
    );
    this.operatorGeneration = deployment.metadata.generation;
    const previous = this.process;
    if (deployment.spec?.replicas === 0) {
      this.process = { kind: 'stopped' };
    } else {
      try {
        this.loadConfig(deployment);
        this.process = { kind: 'running', startedAt: this.clock() };
      } catch (error) {
        if (!(error instanceof OperatorStartError)) throw error;
        this.logger.error(error.message, { exitCode: error.exitCode });
        this.process = {
          kind: 'crash-loop',
          message: error.message,
          exitCode: error.exitCode,
          restarts: previous.kind === 'crash-loop' ? previous.restarts + 1 : 5,
          lastExitAt: this.clock(),
        };
      }
    }
    this.publishProcess(deployment);
    if (this.process.kind !== 'running') return false;
    this.schedulePoll();
    this.scheduleResync();
    return true;
  }

  /** The kubelet's Pod and the Deployment controller's status for the process. */
  private publishProcess(deployment: KubeObject) {
    const system = { manager: 'kube-controller-manager' };
    const pod = operatorPod(deployment, this.process);
    for (const old of this.store.list('pods', { namespace: this.namespace })
      .items) {
      const owned = old.metadata.ownerReferences?.some(o =>
        o.name.startsWith(`${this.deploymentName}-`),
      );
      if (owned && old.metadata.name !== pod?.metadata.name) {
        this.store.delete('pods', this.namespace, old.metadata.name!, system);
      }
    }
    if (pod) {
      const current = this.store.get(
        'pods',
        this.namespace,
        pod.metadata.name!,
      );
      if (current) {
        this.store.replace(
          'pods',
          { ...current, status: pod.status },
          { manager: 'kubelet', subresource: 'status' },
        );
      } else {
        this.store.create('pods', pod, { ...system, at: this.firstPodAt });
        this.firstPodAt = undefined;
      }
    }
    this.store.replace(
      DEPLOYMENTS,
      {
        ...deployment,
        status: operatorDeploymentStatus(
          deployment,
          this.process,
          this.clock(),
        ),
      },
      { ...system, subresource: 'status' },
    );
  }

  private scheduleResync() {
    if (this.stopped) return;
    this.resyncTimer = setTimeout(() => {
      this.logger.info('cache resync: reconciling every object again');
      this.enqueueAll();
      this.scheduleResync();
    }, this.resyncPeriodSeconds * 1000);
    this.resyncTimer.unref();
  }

  private loadConfig(deployment: KubeObject) {
    this.config = readOperatorConfig(deployment);
    let token = '';
    if ('value' in this.config.token) {
      token = this.config.token.value;
    } else {
      const secret = this.store.get(
        'secrets',
        this.namespace,
        this.config.token.secretName,
      );
      const encoded = secret?.data?.[this.config.token.key];
      token = encoded ? Buffer.from(encoded, 'base64').toString('utf8') : '';
    }
    this.connect.setBaseUrl(
      this.resolveConnectHost?.(this.config.connectHost) ??
        this.config.connectHost,
    );
    this.connect.setToken(token);
    this.logger.info('Using 1Password Connect', {
      pollingInterval: this.config.pollingIntervalSeconds,
      watchNamespaces: this.config.watchNamespaces ?? 'all',
    });
  }

  /** A new operator pod: configuration re-read, everything reconciled, poll timer restarted. */
  private restart() {
    if (this.boot()) this.enqueueAll();
  }

  /**
   * A `time.Ticker` from process start, as `secret_update_handler.go` runs
   * it: ticks keep the start's phase, and a tick that falls while a poll
   * runs is dropped (Go's ticker channel holds one tick and the loop is busy).
   */
  private schedulePoll() {
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.stopped) return;
    if (this.process.kind !== 'running') return;
    let polling = false;
    this.pollTimer = setInterval(() => {
      if (polling) return;
      polling = true;
      this.pollNow()
        .catch(error =>
          this.logger.error('error running update kubernetes secret task', {
            error: errorMessage(error),
          }),
        )
        .finally(() => {
          polling = false;
        });
    }, this.config.pollingIntervalSeconds * 1000);
    this.pollTimer.unref();
  }

  private watch() {
    const from = this.store.resourceVersion;
    this.unwatch.push(
      this.store.watch(OPI, { resourceVersion: from }, event => {
        if (this.changed(event)) this.enqueueItem(event.object);
      }),
      this.store.watch(DEPLOYMENTS, { resourceVersion: from }, event => {
        const { metadata } = event.object;
        if (
          metadata.namespace === this.namespace &&
          metadata.name === this.deploymentName
        ) {
          if (
            event.type === 'MODIFIED' &&
            metadata.generation !== this.operatorGeneration
          ) {
            this.logger.info(
              'operator Deployment changed; the operator pod restarts',
            );
            this.enqueue(async () => this.restart());
          }
          return;
        }
        // The Deployment controller has no event filter: every update,
        // status updates included, reconciles (and re-reads the item).
        if (event.type !== 'DELETED') this.enqueueDeployment(event.object);
      }),
    );
    for (const item of this.store.list(OPI).items)
      this.changed({ type: 'ADDED', object: item });
  }

  /** Whether an event changes what a controller reconciles from (not just status or versions). */
  private changed(event: WatchEvent): boolean {
    const { metadata } = event.object;
    if (event.type === 'DELETED') {
      this.fingerprints.delete(metadata.uid!);
      return false;
    }
    const fingerprint = JSON.stringify([
      metadata.generation,
      metadata.labels,
      metadata.annotations,
      metadata.deletionTimestamp,
      event.object.kind === 'Deployment'
        ? deploymentOperatorAnnotations(event.object)
        : event.object.type,
    ]);
    const before = this.fingerprints.get(metadata.uid!);
    this.fingerprints.set(metadata.uid!, fingerprint);
    return before !== fingerprint;
  }

  private watches(namespace: string | undefined): boolean {
    const watched = this.config.watchNamespaces;
    return !watched || (namespace !== undefined && watched.includes(namespace));
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(() => (this.stopped ? undefined : task()));
    this.queue = run.catch(error =>
      this.logger.error('operator task failed', { error: errorMessage(error) }),
    );
    return run;
  }

  private enqueueItem(item: KubeObject) {
    const { namespace, name } = item.metadata;
    this.enqueueReconcile(`item/${namespace}/${name}`, namespace, () =>
      this.reconcileItem(namespace!, name!),
    );
  }

  private enqueueDeployment(deployment: KubeObject) {
    const { namespace, name } = deployment.metadata;
    if (!deploymentOperatorAnnotations(deployment)[ITEM_PATH_ANNOTATION]) {
      return;
    }
    this.enqueueReconcile(`deployment/${namespace}/${name}`, namespace, () =>
      this.reconcileDeployment(namespace!, name!),
    );
  }

  /**
   * Queues a reconcile and, as controller-runtime does, runs it again after
   * a failure with exponential backoff, or after 15 minutes when rate limited.
   */
  private enqueueReconcile(
    key: string,
    namespace: string | undefined,
    reconcile: () => Promise<Outcome>,
  ) {
    if (this.process.kind !== 'running' || !this.watches(namespace)) return;
    this.enqueue(async () => {
      const outcome = await reconcile();
      const retry = this.retries.get(key) ?? { failures: 0 };
      clearTimeout(retry.timer);
      if (outcome === 'done' || this.stopped) {
        this.retries.delete(key);
        return;
      }
      if (outcome === 'failed') retry.failures += 1;
      const delay =
        outcome === 'rateLimited'
          ? RATE_LIMIT_REQUEUE_MS
          : Math.min(RETRY_BASE_MS * 2 ** (retry.failures - 1), RETRY_MAX_MS);
      retry.timer = setTimeout(
        () => this.enqueueReconcile(key, namespace, reconcile),
        delay,
      );
      retry.timer.unref();
      this.retries.set(key, retry);
    });
  }

  /** The `onepassworditem` controller. */
  private async reconcileItem(
    namespace: string,
    name: string,
  ): Promise<Outcome> {
    const item = this.store.get(OPI, namespace, name);
    if (!item) return 'done';
    if (item.metadata.deletionTimestamp) {
      if (item.metadata.finalizers?.includes(FINALIZER)) {
        this.deleteSecret(namespace, formatSecretName(name));
        this.removeFinalizer(OPI, item);
      }
      return 'done';
    }
    this.addFinalizer(OPI, item);
    let error: string | undefined;
    try {
      let found: OperatorItem;
      try {
        found = await this.connect.getItemByPath(item.spec?.itemPath ?? '');
      } catch (cause) {
        throw new Error(`failed to retrieve item: ${errorMessage(cause)}`);
      }
      const autoRestart = item.metadata.annotations?.[AUTO_RESTART_ANNOTATION];
      this.applySecret(
        buildSecret({
          name,
          namespace,
          item: found,
          annotations: autoRestart
            ? { [AUTO_RESTART_ANNOTATION]: autoRestart }
            : {},
          labels: item.metadata.labels,
          type: item.type,
          owner: item,
        }),
      );
    } catch (cause) {
      error = errorMessage(cause);
    }
    if (error?.includes('rate limit')) {
      this.logger.info(RATE_LIMIT_MESSAGE, { namespace, name });
      return 'rateLimited';
    }
    if (error) {
      this.logger.error('Reconciler error', {
        controller: 'onepassworditem',
        namespace,
        name,
        error,
      });
    }
    const current = this.store.get(OPI, namespace, name);
    if (!current) return 'done';
    this.store.mergePatch(
      OPI,
      namespace,
      name,
      {
        status: readyStatus(
          current.status,
          error,
          kubernetesTime(this.clock()),
        ),
      },
      { manager: OPERATOR_FIELD_MANAGER, subresource: 'status' },
    );
    return error ? 'failed' : 'done';
  }

  /** The `onepassword-deployment` controller. */
  private async reconcileDeployment(
    namespace: string,
    name: string,
  ): Promise<Outcome> {
    const deployment = this.store.get(DEPLOYMENTS, namespace, name);
    if (!deployment) return 'done';
    const annotations = deploymentOperatorAnnotations(deployment);
    if (Object.keys(annotations).length === 0) return 'done';
    const secretName = annotations[ITEM_NAME_ANNOTATION];
    if (deployment.metadata.deletionTimestamp) {
      if (deployment.metadata.finalizers?.includes(FINALIZER)) {
        const usedElsewhere = this.store
          .list(DEPLOYMENTS, { namespace })
          .items.some(
            other =>
              other.metadata.name !== name &&
              referencedSecretNames(other).has(secretName),
          );
        if (secretName && !usedElsewhere)
          this.deleteSecret(namespace, secretName);
        this.removeFinalizer(DEPLOYMENTS, deployment);
      }
      return 'done';
    }
    this.addFinalizer(DEPLOYMENTS, deployment);
    if (!secretName) {
      this.logger.info(
        "No 'item-name' annotation set. 'item-path' and 'item-name' must be set as annotations to add new secret.",
        { namespace, name },
      );
      return 'done';
    }
    try {
      let found: OperatorItem;
      try {
        found = await this.connect.getItemByPath(
          annotations[ITEM_PATH_ANNOTATION],
        );
      } catch (cause) {
        throw new Error(`failed to retrieve item: ${errorMessage(cause)}`);
      }
      const owner = this.store.get(DEPLOYMENTS, namespace, name);
      if (!owner) return 'done';
      this.applySecret(
        buildSecret({
          name: secretName,
          namespace,
          item: found,
          annotations,
          type: 'Opaque',
          owner,
        }),
      );
    } catch (cause) {
      const error = errorMessage(cause);
      if (error.includes('rate limit')) {
        this.logger.info(RATE_LIMIT_MESSAGE, { namespace, name });
        this.recordEvent(deployment, 'RateLimited', RATE_LIMIT_MESSAGE);
        return 'rateLimited';
      }
      this.logger.error('Reconciler error', {
        controller: 'onepassword-deployment',
        namespace,
        name,
        error,
      });
      this.recordEvent(
        deployment,
        'ReconcileError',
        `Failed to sync secret from 1Password: ${error}`,
      );
      return 'failed';
    }
    return 'done';
  }

  /**
   * `CreateKubernetesSecretFromItem`: creates the Secret, or rewrites it when
   * its annotations or labels differ from the wanted ones.
   */
  private applySecret(wanted: KubeObject) {
    const { namespace, name } = wanted.metadata;
    const current = this.store.get('secrets', namespace, name!);
    if (!current) {
      this.logger.info(`Creating Secret ${name} at namespace '${namespace}'`);
      this.store.create('secrets', wanted, { manager: OPERATOR_FIELD_MANAGER });
      return;
    }
    if ((current.type || 'Opaque') !== (wanted.type || 'Opaque')) {
      throw new Error('cannot change secret type: secret type is immutable');
    }
    const sameAnnotations = isDeepStrictEqual(
      current.metadata.annotations ?? {},
      wanted.metadata.annotations ?? {},
    );
    const sameLabels = isDeepStrictEqual(
      current.metadata.labels ?? {},
      wanted.metadata.labels ?? {},
    );
    if (sameAnnotations && sameLabels) {
      this.logger.info(
        `Secret with name ${name} and version ${wanted.metadata.annotations?.[ITEM_VERSION_ANNOTATION]} already exists`,
      );
      return;
    }
    this.logger.info(`Updating Secret ${name} at namespace '${namespace}'`);
    try {
      this.store.replace(
        'secrets',
        {
          ...current,
          metadata: {
            ...current.metadata,
            annotations: wanted.metadata.annotations,
            labels: wanted.metadata.labels,
          },
          data: wanted.data,
        },
        { manager: OPERATOR_FIELD_MANAGER },
      );
    } catch (error) {
      throw new Error(
        `kubernetes secret update failed: ${errorMessage(error)}`,
      );
    }
  }

  /** The poller (`secret_update_handler.go`): errors are only logged. */
  private async poll() {
    if (this.process.kind !== 'running') return;
    const updated = new Map<string, Map<string, KubeObject>>();
    for (const secret of this.store.list('secrets').items) {
      const { namespace, name, annotations = {} } = secret.metadata;
      if (!this.watches(namespace)) continue;
      const currentPath = annotations[ITEM_PATH_ANNOTATION];
      const currentVersion = annotations[ITEM_VERSION_ANNOTATION];
      if (!currentPath || !currentVersion) continue;
      const owner = this.store.get(OPI, namespace, name!);
      const path = owner ? owner.spec?.itemPath ?? '' : currentPath;
      let item: OperatorItem;
      try {
        item = await this.connect.getItemByPath(path);
      } catch (error) {
        this.logger.error(
          `failed to retrieve 1Password item at path ${path} for secret ${name}`,
          { namespace, error: errorMessage(error) },
        );
        continue;
      }
      if (
        currentVersion === String(item.version) &&
        currentPath === itemIdPath(item)
      )
        continue;
      const latest = this.store.get('secrets', namespace, name!);
      if (!latest) continue;
      const newAnnotations = secretAnnotations(
        item,
        latest.metadata.annotations,
      );
      if (item.tags.includes(IGNORE_SECRET_TAG)) {
        this.logger.info(
          `Secret '${name}' has been updated in 1Password but is set to be ignored. Updates to an ignored secret will not trigger an update to a kubernetes secret or a rolling restart.`,
        );
        this.store.replace(
          'secrets',
          {
            ...latest,
            metadata: { ...latest.metadata, annotations: newAnnotations },
          },
          { manager: OPERATOR_FIELD_MANAGER },
        );
        continue;
      }
      this.logger.info(`Updating kubernetes secret '${name}'`);
      const written = this.store.replace(
        'secrets',
        {
          ...latest,
          metadata: { ...latest.metadata, annotations: newAnnotations },
          data: buildSecretData(item),
        },
        { manager: OPERATOR_FIELD_MANAGER },
      );
      const inNamespace =
        updated.get(namespace!) ?? new Map<string, KubeObject>();
      inNamespace.set(name!, written);
      updated.set(namespace!, inNamespace);
    }
    this.restartDeployments(updated);
  }

  /** Stamps `last-restarted` on Deployments that use an updated Secret and auto-restart. */
  private restartDeployments(updated: Map<string, Map<string, KubeObject>>) {
    for (const [namespace, secrets] of updated) {
      const namespaceObject = this.store.get(
        'namespaces',
        undefined,
        namespace,
      );
      for (const deployment of this.store.list(DEPLOYMENTS, { namespace })
        .items) {
        const references = referencedSecretNames(deployment);
        const restart = [...secrets.values()].some(
          secret =>
            references.has(secret.metadata.name!) &&
            autoRestartEnabled(
              secret,
              deployment,
              namespaceObject,
              this.config.autoRestart,
            ),
        );
        if (!restart) continue;
        this.logger.info(
          `*v1.Deployment "${deployment.metadata.name}" in namespace "${namespace}" references an updated secret. Restarting`,
        );
        this.store.mergePatch(
          DEPLOYMENTS,
          namespace,
          deployment.metadata.name!,
          {
            spec: {
              template: {
                metadata: {
                  annotations: {
                    [LAST_RESTARTED_ANNOTATION]: kubernetesTime(this.clock()),
                  },
                },
              },
            },
          },
          { manager: OPERATOR_FIELD_MANAGER },
        );
      }
    }
  }

  /** client-go's event recorder: a repeated event bumps `count` instead of adding one. */
  private recordEvent(deployment: KubeObject, reason: string, message: string) {
    const { namespace, name, uid } = deployment.metadata;
    const now = kubernetesTime(this.clock());
    const existing = this.store
      .list('events', {
        namespace,
        fieldSelector: `involvedObject.uid=${uid},reason=${reason}`,
      })
      .items.find(event => event.message === message);
    if (existing) {
      this.store.mergePatch(
        'events',
        namespace,
        existing.metadata.name!,
        { count: (existing.count ?? 1) + 1, lastTimestamp: now },
        { manager: OPERATOR_FIELD_MANAGER },
      );
      return;
    }
    this.store.create(
      'events',
      {
        metadata: {
          name: `${name}.${randomBytes(8).toString('hex')}`,
          namespace,
        },
        involvedObject: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name,
          namespace,
          uid,
          resourceVersion: deployment.metadata.resourceVersion,
        },
        reason,
        message,
        source: { component: DEPLOYMENT_EVENT_COMPONENT },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        type: 'Warning',
        eventTime: null,
        reportingComponent: DEPLOYMENT_EVENT_COMPONENT,
        reportingInstance: '',
      },
      { manager: OPERATOR_FIELD_MANAGER },
    );
  }

  private addFinalizer(resource: string, object: KubeObject) {
    const finalizers = object.metadata.finalizers ?? [];
    if (finalizers.includes(FINALIZER)) return;
    this.store.mergePatch(
      resource,
      object.metadata.namespace,
      object.metadata.name!,
      { metadata: { finalizers: [...finalizers, FINALIZER] } },
      { manager: OPERATOR_FIELD_MANAGER },
    );
  }

  private removeFinalizer(resource: string, object: KubeObject) {
    const current = this.store.get(
      resource,
      object.metadata.namespace,
      object.metadata.name!,
    );
    if (!current) return;
    this.store.mergePatch(
      resource,
      object.metadata.namespace,
      object.metadata.name!,
      {
        metadata: {
          finalizers: (current.metadata.finalizers ?? []).filter(
            f => f !== FINALIZER,
          ),
        },
      },
      { manager: OPERATOR_FIELD_MANAGER },
    );
  }

  private deleteSecret(namespace: string, name: string) {
    if (this.store.get('secrets', namespace, name)) {
      this.store.delete('secrets', namespace, name, {
        manager: OPERATOR_FIELD_MANAGER,
      });
    }
  }
}
