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
import { badRequest, KubernetesApiError } from '../apiErrors';

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
