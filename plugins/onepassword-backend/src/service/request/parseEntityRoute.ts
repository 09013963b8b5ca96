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

import { makeValidator, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

const validator = makeValidator();

const PARTS = [
  ['namespace', (v: string) => validator.isValidNamespace(v)],
  ['kind', (v: string) => validator.isValidKind(v)],
  ['name', (v: string) => validator.isValidEntityName(v)],
] as const;

/**
 * The entity reference of `/entities/:namespace/:kind/:name/...`. Express
 * decodes `%2F` and `%00` into the parts, so each part is checked with the
 * catalog's own rules: a bad part is a 400 naming it, never a 500 from the
 * catalog client.
 */
export function parseEntityRoute(params: Record<string, string>): string {
  for (const [part, isValid] of PARTS) {
    const value = params[part] ?? '';
    if (!isValid(value)) {
      throw new InputError(
        `Invalid entity ${part} '${printable(
          value,
        )}' in the URL; an entity ${part} is 1 to 63 ` +
          `${
            part === 'kind' ? 'letters and digits' : "letters, digits and '-_.'"
          }`,
      );
    }
  }
  return stringifyEntityRef({
    namespace: params.namespace,
    kind: params.kind,
    name: params.name,
  });
}

/** Control characters escaped, so a message never carries a NUL byte. */
export function printable(value: string): string {
  const escaped = JSON.stringify(value.slice(0, 100)).slice(1, -1);
  return value.length > 100 ? `${escaped}…` : escaped;
}
