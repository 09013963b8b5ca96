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

import { InputError } from '@backstage/errors';
import { printable } from './parseEntityRoute';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * Refuses query parameters holding control characters (NUL bytes, line
 * breaks): no filter needs them, and PostgreSQL rejects a NUL in text with a
 * 500 otherwise.
 */
export function rejectControlCharacters(query: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v === 'string' && CONTROL_CHARACTERS.test(v)) {
        throw new InputError(
          `Query parameter '${printable(
            name,
          )}' holds a control character ('${printable(v)}')`,
        );
      }
    }
    if (CONTROL_CHARACTERS.test(name)) {
      throw new InputError(
        `Query parameter name '${printable(name)}' holds a control character`,
      );
    }
  }
}
