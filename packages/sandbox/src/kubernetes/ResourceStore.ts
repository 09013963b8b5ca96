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

import { applyPatch, JsonPatchError, Operation } from 'fast-json-patch';
import { randomUUID } from 'node:crypto';
import {
  KubernetesApiError,
  alreadyExists,
  badRequest,
  conflict,
  gone,
  invalid,
  notFound,
} from './apiErrors';
import {
  apiVersionOf,
  qualifiedResource,
  requireResourceType,
  ResourceType,
} from './resourceTypes';
import {
  fieldValue,
  matchesSelector,
  parseFieldSelector,
  parseLabelSelector,
  Selector,
} from './selectors';
import { ManagedFieldsEntry, KubeObject, WatchEvent } from './types';
import {
  pruneOnePasswordItem,
  unknownOnePasswordItemFields,
  validateObject,
} from './validation';

/** Who writes, and how; the API server records it in `managedFields`. */
export interface WriteOptions {
  /** Field manager, e.g. `kubectl-edit`, or `manager` for the operator. */
  manager: string;
  /** The request's `fieldValidation`: `Strict` refuses unknown fields; otherwise they are pruned. */
  fieldValidation?: string;
  /** `Apply` for server-side apply; default `Update`. */
  operation?: 'Update' | 'Apply';
  /** `status` to write the status subresource. */
  subresource?: 'status';
  /** Time of the write; defaults to the store's clock (scenarios seed history with it). */
  at?: Date;
}

/** Which objects a list or watch returns. */
export interface ListOptions {
  /** Omitted: all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * Start after this version; unset or `0` starts with an `ADDED` event for
   * every existing object, as the API server does.
   */
  resourceVersion?: string;
}

type Listener = (event: WatchEvent) => void;

interface Subscription {
  resource: string;
  namespace?: string;
  labels: Selector;
  fields: Selector;
  listener: Listener;
}

interface LoggedEvent {
  resourceVersion: number;
  resource: string;
  event: WatchEvent;
}

/** How many past changes a watch can resume from before it gets 410 Gone. */
const EVENT_HISTORY = 10_000;

/** Objects are plain JSON; a JSON round trip copies them several times faster than structuredClone. */
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

const keyOf = (namespace: string | undefined, name: string) =>
  `${namespace ?? ''}/${name}`;

/** `managedFields[].fieldsV1` of what a write set, one level of `f:` keys per object level. */
function fieldSet(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return {};
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [`f:${key}`, fieldSet(child)]),
  );
}

function writtenFields(
  object: KubeObject,
  subresource?: string,
): Record<string, unknown> {
  if (subresource === 'status') return { 'f:status': fieldSet(object.status) };
  const {
    metadata,
    apiVersion: _apiVersion,
    kind: _kind,
    status: _status,
    ...rest
  } = object;
  const kept: Record<string, unknown> = {};
  for (const key of [
    'labels',
    'annotations',
    'finalizers',
    'ownerReferences',
  ] as const) {
    if (metadata[key] !== undefined) kept[key] = metadata[key];
  }
  return {
    ...(Object.keys(kept).length > 0 ? { 'f:metadata': fieldSet(kept) } : {}),
    ...fieldSet(rest),
  };
}

/** The part of an object whose change bumps `metadata.generation`. */
function specOf(object: KubeObject): string {
  const { metadata: _metadata, status: _status, ...rest } = object;
  return JSON.stringify(rest);
}

/** RFC 3339 with seconds, as Kubernetes serialises `metav1.Time`. */
export function kubernetesTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The objects of one fake cluster, with the API server's bookkeeping:
 * a cluster-wide `resourceVersion`, `uid`, `generation`, `managedFields`,
 * finalizers, owner-reference garbage collection and watches.
 * Resources are named like `secrets`, `deployments.apps` or `OnePasswordItem`.
 */
export class ResourceStore {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly subscriptions = new Set<Subscription>();
  private readonly history: LoggedEvent[] = [];
  private readonly clock: () => Date;
  private version = 1;

  static create(options: { clock?: () => Date } = {}): ResourceStore {
    return new ResourceStore(options.clock ?? (() => new Date()));
  }

  private constructor(clock: () => Date) {
    this.clock = clock;
  }

  /** The latest `resourceVersion` of the cluster. */
  get resourceVersion(): string {
    return String(this.version);
  }

  get(
    resource: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const type = requireResourceType(resource);
    const found = this.bucket(type).get(
      keyOf(this.scope(type, namespace), name),
    );
    return found ? clone(found) : undefined;
  }

  /** Like {@link ResourceStore.get}, but throws the API server's 404. */
  require(
    resource: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject {
    const found = this.get(resource, namespace, name);
    if (!found) throw notFound(requireResourceType(resource), name);
    return found;
  }

  list(resource: string, options: ListOptions = {}): ListResult {
    const type = requireResourceType(resource);
    const labels = parseLabelSelector(options.labelSelector);
    const fields = parseFieldSelector(options.fieldSelector);
    const start = options.continue
      ? this.decodeContinue(options.continue)
      : undefined;
    const matching = [...this.bucket(type).entries()]
      .filter(([key]) => start === undefined || key > start)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, object]) => object)
      .filter(object =>
        this.matches(object, options.namespace, labels, fields),
      );
    const limit =
      options.limit && options.limit > 0 ? options.limit : undefined;
    const page = limit ? matching.slice(0, limit) : matching;
    const remaining = matching.length - page.length;
    const last = page[page.length - 1];
    return {
      items: page.map(clone),
      resourceVersion: this.resourceVersion,
      ...(remaining > 0 && last
        ? {
            continue: Buffer.from(
              JSON.stringify({
                start: keyOf(last.metadata.namespace, last.metadata.name!),
              }),
            ).toString('base64'),
            remainingItemCount: remaining,
          }
        : {}),
    };
  }

  create(
    resource: string,
    object: KubeObject,
    options: WriteOptions,
  ): KubeObject {
    const type = requireResourceType(resource);
    const namespace = this.scope(type, object.metadata?.namespace);
    const incoming = this.normalise(type, object, options);
    const metadata = incoming.metadata;
    if (!metadata.name && metadata.generateName) {
      metadata.name = `${metadata.generateName}${randomUUID().slice(0, 5)}`;
    }
    const name = metadata.name ?? '';
    const causes = validateObject(type, incoming);
    if (causes.length > 0) throw invalid(type, name, causes);
    if (
      type.namespaced &&
      !this.bucket(requireResourceType('namespaces')).has(
        keyOf(undefined, namespace!),
      )
    ) {
      throw notFound(requireResourceType('namespaces'), namespace!);
    }
    const key = keyOf(namespace, name);
    if (this.bucket(type).has(key)) throw alreadyExists(type, name);
    const at = options.at ?? this.clock();
    const stored: KubeObject = {
      ...incoming,
      metadata: {
        ...metadata,
        name,
        ...(namespace !== undefined ? { namespace } : {}),
        uid: randomUUID(),
        resourceVersion: '',
        ...(type.tracksGeneration ? { generation: 1 } : {}),
        creationTimestamp: metadata.creationTimestamp ?? kubernetesTime(at),
        managedFields: [],
      },
    };
    delete stored.metadata.deletionTimestamp;
    if (type.statusSubresource) delete stored.status;
    return this.commit(type, stored, undefined, options);
  }

  /** PUT: replaces the object (or its status), refusing a stale `resourceVersion`. */
  replace(
    resource: string,
    object: KubeObject,
    options: WriteOptions,
  ): KubeObject {
    const type = requireResourceType(resource);
    const name = object.metadata?.name ?? '';
    const old = this.bucket(type).get(
      keyOf(this.scope(type, object.metadata?.namespace), name),
    );
    if (!old) throw notFound(type, name);
    const wanted = object.metadata.resourceVersion;
    if (wanted && wanted !== old.metadata.resourceVersion)
      throw conflict(type, name);
    return this.update(
      type,
      old,
      this.normalise(type, object, options),
      options,
    );
  }

  /** JSON merge patch (RFC 7386) of the object or its status. */
  mergePatch(
    resource: string,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    options: WriteOptions,
  ): KubeObject {
    const type = requireResourceType(resource);
    const old = this.requireStored(type, namespace, name);
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
      throw badRequest('the patch is not a JSON object');
    }
    const patched = applyMergePatch(clone(old), patch) as KubeObject;
    const wanted = (patch as KubeObject).metadata?.resourceVersion;
    if (wanted && wanted !== old.metadata.resourceVersion)
      throw conflict(type, name);
    return this.update(
      type,
      old,
      this.normalise(type, patched, options),
      options,
    );
  }

  /** JSON patch (RFC 6902). */
  jsonPatch(
    resource: string,
    namespace: string | undefined,
    name: string,
    operations: unknown,
    options: WriteOptions,
  ): KubeObject {
    const type = requireResourceType(resource);
    const old = this.requireStored(type, namespace, name);
    const patched = applyJsonPatch(clone(old), operations) as KubeObject;
    return this.update(
      type,
      old,
      this.normalise(type, patched, options),
      options,
    );
  }

  /**
   * Server-side apply, simplified: creates the object, or merges the applied
   * configuration into it (without field ownership or conflict detection).
   */
  apply(
    resource: string,
    namespace: string | undefined,
    name: string,
    object: KubeObject,
    options: WriteOptions,
  ): KubeObject {
    const type = requireResourceType(resource);
    const applied = { ...options, operation: 'Apply' as const };
    if (!this.bucket(type).has(keyOf(this.scope(type, namespace), name))) {
      return this.create(
        resource,
        { ...object, metadata: { ...object?.metadata, name, namespace } },
        applied,
      );
    }
    return this.mergePatch(resource, namespace, name, object, applied);
  }

  /**
   * Deletes the object, or, while it has finalizers, marks it with a
   * `deletionTimestamp` and leaves it to whoever owns the finalizers.
   */
  delete(
    resource: string,
    namespace: string | undefined,
    name: string,
    options: Partial<WriteOptions> = {},
  ): KubeObject {
    const type = requireResourceType(resource);
    const old = this.requireStored(type, namespace, name);
    if ((old.metadata.finalizers ?? []).length > 0) {
      if (old.metadata.deletionTimestamp) return clone(old);
      const marked = clone(old);
      marked.metadata.deletionTimestamp = kubernetesTime(
        options.at ?? this.clock(),
      );
      return this.store(type, marked, 'MODIFIED');
    }
    return this.remove(type, old);
  }

  /** Streams changes; returns the function that stops the stream. */
  watch(
    resource: string,
    options: WatchOptions,
    listener: Listener,
  ): () => void {
    const type = requireResourceType(resource);
    const subscription: Subscription = {
      resource: qualifiedResource(type),
      namespace: options.namespace,
      labels: parseLabelSelector(options.labelSelector),
      fields: parseFieldSelector(options.fieldSelector),
      listener,
    };
    const from = options.resourceVersion;
    const replay: WatchEvent[] = [];
    if (!from || from === '0') {
      for (const object of this.bucket(type).values()) {
        if (
          this.matches(
            object,
            options.namespace,
            subscription.labels,
            subscription.fields,
          )
        ) {
          replay.push({ type: 'ADDED', object: clone(object) });
        }
      }
    } else {
      const since = Number(from);
      const oldest = this.history[0]?.resourceVersion ?? this.version + 1;
      if (!Number.isInteger(since) || since < oldest - 1) {
        throw gone(`too old resource version: ${from} (${oldest - 1})`);
      }
      for (const logged of this.history) {
        if (
          logged.resourceVersion > since &&
          logged.resource === subscription.resource
        ) {
          if (this.subscriptionMatches(subscription, logged.event.object)) {
            replay.push(clone(logged.event));
          }
        }
      }
    }
    this.subscriptions.add(subscription);
    for (const event of replay) listener(event);
    return () => {
      this.subscriptions.delete(subscription);
    };
  }

  private update(
    type: ResourceType,
    old: KubeObject,
    incoming: KubeObject,
    options: WriteOptions,
  ): KubeObject {
    const name = old.metadata.name!;
    let next: KubeObject;
    if (options.subresource === 'status') {
      next = { ...clone(old), status: incoming.status };
    } else {
      next = {
        ...incoming,
        metadata: {
          ...incoming.metadata,
          name,
          namespace: old.metadata.namespace,
          uid: old.metadata.uid,
          creationTimestamp: old.metadata.creationTimestamp,
          deletionTimestamp: old.metadata.deletionTimestamp,
          generation: old.metadata.generation,
          managedFields: old.metadata.managedFields,
        },
      };
      if (next.metadata.namespace === undefined) delete next.metadata.namespace;
      if (next.metadata.deletionTimestamp === undefined)
        delete next.metadata.deletionTimestamp;
      if (next.metadata.generation === undefined)
        delete next.metadata.generation;
      if (type.statusSubresource) {
        if (old.status === undefined) delete next.status;
        else next.status = clone(old.status);
      }
      if (type.tracksGeneration && specOf(next) !== specOf(old)) {
        next.metadata.generation = (old.metadata.generation ?? 0) + 1;
      }
    }
    const causes = validateObject(type, next, old);
    if (causes.length > 0) throw invalid(type, name, causes);
    if (
      next.metadata.deletionTimestamp &&
      (next.metadata.finalizers ?? []).length === 0
    ) {
      return this.remove(type, old);
    }
    return this.commit(type, next, old, options);
  }

  private commit(
    type: ResourceType,
    next: KubeObject,
    old: KubeObject | undefined,
    options: WriteOptions,
  ): KubeObject {
    const at = kubernetesTime(options.at ?? this.clock());
    const entry: ManagedFieldsEntry = {
      manager: options.manager,
      operation: options.operation ?? 'Update',
      apiVersion: apiVersionOf(type),
      time: at,
      fieldsType: 'FieldsV1',
      fieldsV1: writtenFields(next, options.subresource),
      ...(options.subresource ? { subresource: options.subresource } : {}),
    };
    next.metadata.managedFields = [
      ...(next.metadata.managedFields ?? []).filter(
        existing =>
          existing.manager !== entry.manager ||
          existing.operation !== entry.operation ||
          existing.subresource !== entry.subresource,
      ),
      entry,
    ];
    // An idealised Deployment controller, for Deployments whose status no
    // simulated controller writes (the operator simulator writes its own).
    if (
      qualifiedResource(type) === 'deployments.apps' &&
      !next.metadata.managedFields.some(f => f.subresource === 'status')
    ) {
      next.status = deploymentStatus(next);
    }
    return this.store(type, next, old ? 'MODIFIED' : 'ADDED');
  }

  private store(
    type: ResourceType,
    object: KubeObject,
    eventType: WatchEvent['type'],
  ) {
    this.version += 1;
    object.metadata.resourceVersion = String(this.version);
    this.bucket(type).set(
      keyOf(object.metadata.namespace, object.metadata.name!),
      object,
    );
    this.emit(type, { type: eventType, object });
    return clone(object);
  }

  private remove(type: ResourceType, old: KubeObject): KubeObject {
    this.bucket(type).delete(keyOf(old.metadata.namespace, old.metadata.name!));
    this.version += 1;
    const removed = clone(old);
    removed.metadata.resourceVersion = String(this.version);
    this.emit(type, { type: 'DELETED', object: removed });
    this.collectGarbage(removed);
    return clone(removed);
  }

  /** What the garbage collector and the namespace controller do after a deletion. */
  private collectGarbage(removed: KubeObject) {
    const isNamespace = removed.kind === 'Namespace';
    for (const [resource, bucket] of this.objects) {
      const type = requireResourceType(resource);
      for (const object of [...bucket.values()]) {
        const owned = (object.metadata.ownerReferences ?? []).some(
          reference => reference.uid === removed.metadata.uid,
        );
        const inNamespace =
          isNamespace && object.metadata.namespace === removed.metadata.name;
        if (owned || inNamespace) {
          const current = bucket.get(
            keyOf(object.metadata.namespace, object.metadata.name!),
          );
          if (current) this.remove(type, current);
        }
      }
    }
  }

  private emit(type: ResourceType, event: WatchEvent) {
    const resource = qualifiedResource(type);
    // Stored objects are replaced, never changed in place, so history can share them.
    this.history.push({ resourceVersion: this.version, resource, event });
    if (this.history.length > EVENT_HISTORY) this.history.shift();
    for (const subscription of [...this.subscriptions]) {
      if (
        subscription.resource === resource &&
        this.subscriptionMatches(subscription, event.object)
      ) {
        subscription.listener(clone(event));
      }
    }
  }

  private subscriptionMatches(subscription: Subscription, object: KubeObject) {
    return this.matches(
      object,
      subscription.namespace,
      subscription.labels,
      subscription.fields,
    );
  }

  private matches(
    object: KubeObject,
    namespace: string | undefined,
    labels: Selector,
    fields: Selector,
  ): boolean {
    if (namespace !== undefined && object.metadata.namespace !== namespace)
      return false;
    const objectLabels = object.metadata.labels ?? {};
    return (
      matchesSelector(labels, key => objectLabels[key]) &&
      matchesSelector(fields, key => fieldValue(object, key) ?? '')
    );
  }

  /**
   * Fills `apiVersion`/`kind` and prunes custom resources to their schema,
   * refusing unknown fields instead when the client asks for strict field
   * validation (kubectl's default).
   */
  private normalise(
    type: ResourceType,
    object: KubeObject,
    options: WriteOptions,
  ): KubeObject {
    if (
      typeof object !== 'object' ||
      object === null ||
      Array.isArray(object)
    ) {
      throw badRequest('the body of the request is not a Kubernetes object');
    }
    const copy = clone(object);
    copy.metadata =
      typeof copy.metadata === 'object' && copy.metadata !== null
        ? copy.metadata
        : {};
    const withKind = {
      ...copy,
      apiVersion: apiVersionOf(type),
      kind: type.kind,
    };
    if (qualifiedResource(type) !== 'onepassworditems.onepassword.com') {
      return withKind;
    }
    const unknown = unknownOnePasswordItemFields(withKind);
    if (options.fieldValidation === 'Strict' && unknown.length > 0) {
      throw badRequest(
        `${type.kind} in version "${type.version}" cannot be handled as a ${
          type.kind
        }: strict decoding error: ${unknown
          .map(field => `unknown field "${field}"`)
          .join(', ')}`,
      );
    }
    return pruneOnePasswordItem(withKind);
  }

  private requireStored(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ) {
    const found = this.bucket(type).get(
      keyOf(this.scope(type, namespace), name),
    );
    if (!found) throw notFound(type, name);
    return found;
  }

  private scope(type: ResourceType, namespace: string | undefined) {
    return type.namespaced ? namespace ?? 'default' : undefined;
  }

  private bucket(type: ResourceType): Map<string, KubeObject> {
    const resource = qualifiedResource(type);
    let bucket = this.objects.get(resource);
    if (!bucket) {
      bucket = new Map();
      this.objects.set(resource, bucket);
    }
    return bucket;
  }

  private decodeContinue(token: string): string {
    try {
      const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
      if (typeof decoded.start === 'string') return decoded.start;
    } catch {
      // fall through to the error the API server gives
    }
    throw badRequest(
      'continue key is not valid: illegal base64 data at input byte 0',
    );
  }
}

/** The status the Deployment controller would report once every replica is up. */
function deploymentStatus(deployment: KubeObject) {
  const replicas = deployment.spec?.replicas ?? 1;
  return {
    observedGeneration: deployment.metadata.generation,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    conditions: [
      {
        type: 'Available',
        status: 'True',
        reason: 'MinimumReplicasAvailable',
        message: 'Deployment has minimum availability.',
        lastUpdateTime: deployment.metadata.creationTimestamp,
        lastTransitionTime: deployment.metadata.creationTimestamp,
      },
    ],
  };
}

/**
 * RFC 7386: objects merge, `null` deletes, everything else replaces. Written
 * here, not taken from a library: fast-json-patch does RFC 6902 only, and the
 * whole RFC 7386 algorithm is these lines.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
    return patch;
  const result: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/**
 * RFC 6902 JSON patch, by fast-json-patch (every operation, as the API
 * server's json-patch library has them), its errors answered as the API
 * server answers them: a failed `test` is 422, anything else 400.
 */
export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations))
    throw badRequest('the JSON patch is not an array');
  try {
    return applyPatch(target, operations as Operation[], true, true, true)
      .newDocument;
  } catch (error) {
    if (!(error instanceof JsonPatchError)) throw error;
    const operation = (error.operation ?? {}) as {
      op?: unknown;
      path?: unknown;
    };
    const path = String(operation.path);
    switch (error.name) {
      case 'TEST_OPERATION_FAILED':
        throw new KubernetesApiError(
          422,
          'Invalid',
          `the server rejected our request due to an error in our request: testing value ${path} failed`,
        );
      case 'OPERATION_PATH_INVALID':
        throw badRequest(
          typeof operation.path === 'string'
            ? `the JSON patch path ${path} is not valid`
            : 'a JSON patch operation has no path',
        );
      case 'OPERATION_OP_INVALID':
        throw badRequest(
          `unsupported JSON patch operation ${String(operation.op)}`,
        );
      case 'OPERATION_PATH_UNRESOLVABLE':
      case 'OPERATION_PATH_CANNOT_ADD':
      case 'OPERATION_FROM_UNRESOLVABLE':
        throw badRequest(`the JSON patch path ${path} does not exist`);
      default:
        throw badRequest(
          `the JSON patch is not valid: ${error.message.split('\n')[0]}`,
        );
    }
  }
}
