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

/** The kinds the fake API server serves, as its discovery documents list them. */

/** One REST resource of the API server. */
export interface ResourceType {
  /** API group; `''` for the core group. */
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Whether the HTTP API accepts writes; the others are listed for the Kubernetes plugin only. */
  writable: boolean;
  /** Has a `/status` subresource: writes to the object ignore `status`, and the reverse. */
  statusSubresource?: boolean;
  /** Keeps `metadata.generation`, bumped on every change outside metadata and status. */
  tracksGeneration?: boolean;
}

const core = (
  kind: string,
  plural: string,
  extra: Partial<ResourceType> = {},
): ResourceType => ({
  group: '',
  version: 'v1',
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced: true,
  writable: false,
  ...extra,
});

const grouped = (
  group: string,
  version: string,
  kind: string,
  plural: string,
  extra: Partial<ResourceType> = {},
): ResourceType => ({
  group,
  version,
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced: true,
  writable: false,
  ...extra,
});

/** Every resource the server knows, in discovery order. */
export const RESOURCE_TYPES: readonly ResourceType[] = [
  core('Namespace', 'namespaces', {
    namespaced: false,
    shortNames: ['ns'],
    writable: true,
  }),
  core('Secret', 'secrets', { writable: true }),
  core('Event', 'events', { shortNames: ['ev'], writable: true }),
  core('Pod', 'pods', { shortNames: ['po'] }),
  core('Service', 'services', { shortNames: ['svc'] }),
  core('ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  core('LimitRange', 'limitranges', { shortNames: ['limits'] }),
  core('ResourceQuota', 'resourcequotas', { shortNames: ['quota'] }),
  grouped('apps', 'v1', 'Deployment', 'deployments', {
    shortNames: ['deploy'],
    writable: true,
    statusSubresource: true,
    tracksGeneration: true,
  }),
  grouped('apps', 'v1', 'ReplicaSet', 'replicasets', { shortNames: ['rs'] }),
  grouped('apps', 'v1', 'StatefulSet', 'statefulsets', { shortNames: ['sts'] }),
  grouped('apps', 'v1', 'DaemonSet', 'daemonsets', { shortNames: ['ds'] }),
  grouped('batch', 'v1', 'Job', 'jobs'),
  grouped('batch', 'v1', 'CronJob', 'cronjobs', { shortNames: ['cj'] }),
  grouped('networking.k8s.io', 'v1', 'Ingress', 'ingresses', {
    shortNames: ['ing'],
  }),
  grouped(
    'autoscaling',
    'v2',
    'HorizontalPodAutoscaler',
    'horizontalpodautoscalers',
    {
      shortNames: ['hpa'],
    },
  ),
  grouped('onepassword.com', 'v1', 'OnePasswordItem', 'onepassworditems', {
    shortNames: ['opi'],
    writable: true,
    statusSubresource: true,
    tracksGeneration: true,
  }),
];

/** `secrets`, `deployments.apps`: how the API server names a resource in messages. */
export function qualifiedResource(type: ResourceType): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

/** `v1`, `apps/v1`: the `apiVersion` of the resource's objects. */
export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/**
 * Finds a resource by its qualified name (`deployments.apps`), its plural
 * (`deployments`) or its kind (`Deployment`).
 */
function findResourceType(name: string): ResourceType | undefined {
  return (
    RESOURCE_TYPES.find(type => qualifiedResource(type) === name) ??
    RESOURCE_TYPES.find(type => type.plural === name || type.kind === name)
  );
}

/** The resource served at `/<prefix>/<group>/<version>/<plural>`, if any. */
export function resourceTypeAt(
  group: string,
  version: string,
  plural: string,
): ResourceType | undefined {
  return RESOURCE_TYPES.find(
    type =>
      type.group === group &&
      type.version === version &&
      type.plural === plural,
  );
}

/** Like {@link findResourceType}, but throws for an unknown name (a bug in the caller). */
export function requireResourceType(name: string): ResourceType {
  const type = findResourceType(name);
  if (!type) {
    throw new Error(`Unknown resource type ${name}`);
  }
  return type;
}
