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

import { ConnectApiError } from './ConnectApiError';

/** One operation of the RFC 6902 subset Connect accepts on `PATCH .../items/{id}`. */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  path: string;
  value?: unknown;
}

type JsonObject = Record<string, unknown>;

const READ_ONLY_ATTRIBUTES = new Set([
  'id',
  'vault',
  'version',
  'createdAt',
  'updatedAt',
  'lastEditedBy',
  'state',
  'files',
]);

/** Arrays whose elements Connect lets a pointer address by their `id`. */
const ARRAYS_ADDRESSED_BY_ID = new Set(['fields', 'sections']);

function badPatch(index: number, reason: string): ConnectApiError {
  return ConnectApiError.badRequest(
    `Invalid patch operation ${index}: ${reason}`,
  );
}

/** Checks that a request body is a Patch document, answering 400 otherwise. */
export function parsePatch(body: unknown): PatchOperation[] {
  if (!Array.isArray(body)) {
    throw ConnectApiError.badRequest(
      'Invalid patch: expected an array of operations',
    );
  }
  return body.map((operation, index) => {
    if (typeof operation !== 'object' || operation === null) {
      throw badPatch(index, 'expected an object');
    }
    const { op, path, value } = operation as JsonObject;
    if (op !== 'add' && op !== 'remove' && op !== 'replace') {
      throw badPatch(
        index,
        `unsupported op '${String(op)}' (use add, remove or replace)`,
      );
    }
    if (typeof path !== 'string' || !path.startsWith('/')) {
      throw badPatch(index, "path must be a JSON pointer starting with '/'");
    }
    if (op !== 'remove' && value === undefined) {
      throw badPatch(index, `'${op}' needs a value`);
    }
    return { op, path, value };
  });
}

function pointerSegments(path: string): string[] {
  if (path === '/') {
    return [];
  }
  return path
    .slice(1)
    .split('/')
    .map(segment => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function elementIndex(
  array: unknown[],
  segment: string,
  arrayName: string,
): number {
  if (ARRAYS_ADDRESSED_BY_ID.has(arrayName)) {
    const byId = array.findIndex(
      element => (element as JsonObject | undefined)?.id === segment,
    );
    if (byId >= 0) {
      return byId;
    }
  }
  return /^\d+$/.test(segment) ? Number(segment) : -1;
}

/**
 * Applies a Patch document to a copy of an item document and returns the
 * copy. The caller validates the result like a PUT body, so a patch can only
 * produce what a full replace could.
 */
export function applyItemPatch(
  item: JsonObject,
  operations: PatchOperation[],
): JsonObject {
  let document: JsonObject = structuredClone(item);
  operations.forEach((operation, index) => {
    const segments = pointerSegments(operation.path);
    if (segments.length === 0) {
      if (operation.op !== 'replace' && operation.op !== 'add') {
        throw badPatch(index, 'the whole item can only be replaced');
      }
      if (typeof operation.value !== 'object' || operation.value === null) {
        throw badPatch(index, 'replacing the item needs an object');
      }
      document = { ...structuredClone(operation.value as JsonObject) };
      return;
    }
    if (READ_ONLY_ATTRIBUTES.has(segments[0])) {
      throw badPatch(index, `'${segments[0]}' is read-only`);
    }

    let container: unknown = document;
    let containerName = '';
    for (const segment of segments.slice(0, -1)) {
      if (Array.isArray(container)) {
        const at = elementIndex(container, segment, containerName);
        container = container[at];
      } else if (typeof container === 'object' && container !== null) {
        container = (container as JsonObject)[segment];
      } else {
        container = undefined;
      }
      containerName = segment;
      if (container === undefined) {
        throw badPatch(index, `path '${operation.path}' does not exist`);
      }
    }
    const last = segments[segments.length - 1];
    const value = structuredClone(operation.value);

    if (Array.isArray(container)) {
      const at =
        last === '-'
          ? container.length
          : elementIndex(container, last, containerName);
      if (operation.op === 'add') {
        if (at < 0 || at > container.length) {
          throw badPatch(index, `no element '${last}' in '${containerName}'`);
        }
        container.splice(at, 0, value);
      } else {
        if (at < 0 || at >= container.length) {
          throw badPatch(index, `no element '${last}' in '${containerName}'`);
        }
        if (operation.op === 'remove') {
          container.splice(at, 1);
        } else {
          container[at] = value;
        }
      }
      return;
    }
    if (typeof container !== 'object' || container === null) {
      throw badPatch(index, `path '${operation.path}' does not exist`);
    }
    const target = container as JsonObject;
    const current = target[last];
    if (operation.op === 'add') {
      // Connect's own example adds a field with `add /fields {...}`: adding a
      // single element to an array member appends it instead of replacing the array.
      if (Array.isArray(current) && !Array.isArray(value)) {
        current.push(value);
      } else {
        target[last] = value;
      }
    } else if (!(last in target)) {
      throw badPatch(index, `path '${operation.path}' does not exist`);
    } else if (operation.op === 'remove') {
      delete target[last];
    } else {
      target[last] = value;
    }
  });
  return document;
}
