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

import { KubeObject } from '../types';

/** `managedFields[].fieldsV1` of what a write set, one level of `f:` keys per object level. */
function fieldSet(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return {};
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [`f:${key}`, fieldSet(child)]),
  );
}

export function writtenFields(
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
export function specOf(object: KubeObject): string {
  const { metadata: _metadata, status: _status, ...rest } = object;
  return JSON.stringify(rest);
}
