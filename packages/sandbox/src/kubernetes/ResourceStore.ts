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
import {
  alreadyExists,
  badRequest,
  conflict,
  invalid,
  notFound,
} from './apiErrors';
import {
  apiVersionOf,
  qualifiedResource,
  requireResourceType,
  ResourceType,
} from './resourceTypes';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { ManagedFieldsEntry, KubeObject, WatchEvent } from './types';
import {
  pruneOnePasswordItem,
  unknownOnePasswordItemFields,
  validateObject,
} from './validation';
import { deploymentStatus } from './store/deploymentController';
import { isCollectedWith } from './store/garbageCollection';
import { specOf, writtenFields } from './store/managedFields';
import { ObjectFilter, objectMatches } from './store/matching';
import { clone, keyOf, kubernetesTime } from './store/objects';
import { continueToken, decodeContinue } from './store/paging';
import { applyJsonPatch, applyMergePatch } from './store/patches';
import { WatchListener, WatchLog } from './store/WatchLog';

export { kubernetesTime } from './store/objects';

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
interface ListOptions {
  /** Omitted: all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * Start after this version; unset or `0` starts with an `ADDED` event for
   * every existing object, as the API server does.
   */
  resourceVersion?: string;
}

/**
 * The objects of one fake cluster, with the API server's bookkeeping:
 * a cluster-wide `resourceVersion`, `uid`, `generation`, `managedFields`,
 * finalizers, owner-reference garbage collection and watches.
 * Resources are named like `secrets`, `deployments.apps` or `OnePasswordItem`.
 */
export class ResourceStore {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly changes = new WatchLog();
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
      ? decodeContinue(options.continue)
      : undefined;
    const matching = [...this.bucket(type).entries()]
      .filter(([key]) => start === undefined || key > start)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, object]) => object)
      .filter(object =>
        objectMatches(object, {
          namespace: options.namespace,
          labels,
          fields,
        }),
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
        ? { continue: continueToken(last), remainingItemCount: remaining }
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
    listener: WatchListener,
  ): () => void {
    const type = requireResourceType(resource);
    const filter: ObjectFilter = {
      namespace: options.namespace,
      labels: parseLabelSelector(options.labelSelector),
      fields: parseFieldSelector(options.fieldSelector),
    };
    const from = options.resourceVersion;
    const replay: WatchEvent[] =
      !from || from === '0'
        ? [...this.bucket(type).values()]
            .filter(object => objectMatches(object, filter))
            .map(object => ({ type: 'ADDED', object: clone(object) }))
        : this.changes.changesSince(
            from,
            qualifiedResource(type),
            filter,
            this.version,
          );
    return this.changes.subscribe(
      qualifiedResource(type),
      filter,
      listener,
      replay,
    );
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
    for (const [resource, bucket] of this.objects) {
      const type = requireResourceType(resource);
      for (const object of [...bucket.values()]) {
        if (isCollectedWith(removed, object)) {
          const current = bucket.get(
            keyOf(object.metadata.namespace, object.metadata.name!),
          );
          if (current) this.remove(type, current);
        }
      }
    }
  }

  private emit(type: ResourceType, event: WatchEvent) {
    this.changes.record(this.version, qualifiedResource(type), event);
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
}
