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
 * Server-side printing (`Accept: application/json;as=Table;g=meta.k8s.io`),
 * which kubectl asks for on `get`: the columns the API server prints for each
 * kind, and the CRD's `additionalPrinterColumns` for OnePasswordItems.
 */

import { qualifiedResource, ResourceType } from '../resourceTypes';
import { KubeObject } from '../types';

interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  format?: string;
  value(object: KubeObject, now: Date): string | number;
}

/** kubectl's short durations: `45s`, `5m12s`, `3h`, `2d5h`, `40d`. */
export function humanDuration(from: string | undefined, now: Date): string {
  if (!from) return '<unknown>';
  const seconds = Math.max(
    0,
    Math.floor((now.getTime() - Date.parse(from)) / 1000),
  );
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  if (seconds < 120) return `${seconds}s`;
  if (minutes < 10)
    return seconds % 60 ? `${minutes}m${seconds % 60}s` : `${minutes}m`;
  if (hours < 3) return `${minutes}m`;
  if (hours < 8)
    return minutes % 60 ? `${hours}h${minutes % 60}m` : `${hours}h`;
  if (hours < 48) return `${hours}h`;
  if (days < 8) return hours % 24 ? `${days}d${hours % 24}h` : `${days}d`;
  return `${days}d`;
}

const name: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  value: object => object.metadata.name ?? '',
};
const age: Column = {
  name: 'Age',
  type: 'date',
  value: (object, now) => humanDuration(object.metadata.creationTimestamp, now),
};

/** kubectl's pod STATUS: a waiting or terminated reason wins over the phase. */
function podStatus(pod: KubeObject): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  let reason: string = pod.status?.reason ?? pod.status?.phase ?? 'Pending';
  for (const container of pod.status?.containerStatuses ?? []) {
    const waiting = container.state?.waiting?.reason;
    const terminated = container.state?.terminated;
    if (waiting) reason = waiting;
    else if (terminated)
      reason = terminated.reason ?? `ExitCode:${terminated.exitCode}`;
  }
  return reason;
}

/** kubectl's RESTARTS: the count, with the age of the last restart (`5 (2m ago)`). */
function podRestarts(pod: KubeObject, now: Date): string {
  const statuses: any[] = pod.status?.containerStatuses ?? [];
  const count = statuses.reduce((sum, c) => sum + (c.restartCount ?? 0), 0);
  const last = statuses
    .map(c => c.lastState?.terminated?.finishedAt)
    .filter(Boolean)
    .sort()
    .pop();
  return last && count > 0
    ? `${count} (${humanDuration(last, now)} ago)`
    : String(count);
}

const COLUMNS: Record<string, Column[]> = {
  pods: [
    name,
    {
      name: 'Ready',
      type: 'string',
      value: object => {
        const statuses: any[] = object.status?.containerStatuses ?? [];
        return `${statuses.filter(c => c.ready).length}/${
          object.spec?.containers?.length ?? statuses.length
        }`;
      },
    },
    { name: 'Status', type: 'string', value: podStatus },
    { name: 'Restarts', type: 'string', value: podRestarts },
    age,
  ],
  'onepassworditems.onepassword.com': [
    name,
    age,
    {
      name: 'Ready',
      type: 'string',
      value: object =>
        object.status?.conditions?.find(
          (condition: { type: string }) => condition.type === 'Ready',
        )?.status ?? '',
    },
  ],
  secrets: [
    name,
    { name: 'Type', type: 'string', value: object => object.type ?? 'Opaque' },
    {
      name: 'Data',
      type: 'integer',
      value: object => Object.keys(object.data ?? {}).length,
    },
    age,
  ],
  'deployments.apps': [
    name,
    {
      name: 'Ready',
      type: 'string',
      value: object =>
        `${object.status?.readyReplicas ?? 0}/${object.spec?.replicas ?? 1}`,
    },
    {
      name: 'Up-to-date',
      type: 'integer',
      value: object => object.status?.updatedReplicas ?? 0,
    },
    {
      name: 'Available',
      type: 'integer',
      value: object => object.status?.availableReplicas ?? 0,
    },
    age,
  ],
  namespaces: [
    name,
    {
      name: 'Status',
      type: 'string',
      value: object => object.status?.phase ?? 'Active',
    },
    age,
  ],
  events: [
    {
      name: 'Last Seen',
      type: 'string',
      value: (object, now) =>
        humanDuration(
          object.lastTimestamp ?? object.metadata.creationTimestamp,
          now,
        ),
    },
    { name: 'Type', type: 'string', value: object => object.type ?? '' },
    { name: 'Reason', type: 'string', value: object => object.reason ?? '' },
    {
      name: 'Object',
      type: 'string',
      value: object =>
        `${String(object.involvedObject?.kind ?? '').toLowerCase()}/${
          object.involvedObject?.name ?? ''
        }`,
    },
    { name: 'Message', type: 'string', value: object => object.message ?? '' },
  ],
};

/** A `meta.k8s.io/v1` Table of `objects`; without column definitions for later watch events. */
export function toTable(
  type: ResourceType,
  objects: KubeObject[],
  options: { now: Date; resourceVersion?: string; withColumns?: boolean },
) {
  const columns = COLUMNS[qualifiedResource(type)] ?? [name, age];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: options.resourceVersion
      ? { resourceVersion: options.resourceVersion }
      : {},
    columnDefinitions:
      options.withColumns === false
        ? null
        : columns.map(column => ({
            name: column.name,
            type: column.type,
            format: column.format ?? '',
            description: '',
            priority: 0,
          })),
    rows: objects.map(object => ({
      cells: columns.map(column => column.value(object, options.now)),
      object: {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: object.metadata,
      },
    })),
  };
}
