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

import { isError } from '@backstage/errors';
import fc from 'fast-check';
import { parseAuditQuery } from './parseAuditQuery';
import { parseEntityRoute } from './parseEntityRoute';
import { rejectControlCharacters } from './rejectControlCharacters';

const isControl = (text: string) =>
  [...text].some(c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/**
 * Runs `fn` as a route would: 'answered', 'refused' (an InputError with a
 * clean message, so a 400), or what went wrong otherwise.
 */
function verdict(fn: () => unknown): string {
  try {
    fn();
    return 'answered';
  } catch (error) {
    if (!isError(error) || error.name !== 'InputError') {
      return `crashed: ${String(error)}`;
    }
    if (error.message === '') return 'refused without a message';
    // A message never carries a raw NUL or line break back to the caller.
    if (isControl(error.message)) return 'refused, echoing a control character';
    return 'refused';
  }
}

const hostile = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '\u0000',
    '1e21',
    '-1',
    'NaN',
    '../',
    '%2F',
    ' ',
    '\u202e',
    '__proto__',
  ),
);
/** What Express's query parser can produce: strings, repeated keys, nested objects. */
const queryValue: fc.Arbitrary<unknown> = fc.oneof(
  hostile,
  fc.array(hostile, { maxLength: 3 }),
  fc.dictionary(fc.string(), hostile, { maxKeys: 2 }),
);
const queryKey = fc.constantFrom(
  'status',
  'cluster',
  'owner',
  'server',
  'q',
  'orphans',
  'sort',
  'limit',
  'cursor',
  'format',
  'other',
);

describe('request parsers (properties)', () => {
  it('the audit query answers or refuses with InputError, for any query', () => {
    fc.assert(
      fc.property(fc.dictionary(queryKey, queryValue), query => {
        // As the router runs them: control characters are refused first.
        expect(['answered', 'refused']).toContain(
          verdict(() => {
            rejectControlCharacters(query);
            return parseAuditQuery(query);
          }),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('parseEntityRoute answers or refuses with InputError, for any route parts', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (namespace, kind, name) => {
        expect(['answered', 'refused']).toContain(
          verdict(() => parseEntityRoute({ namespace, kind, name })),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('parseEntityRoute accepts every valid reference and returns it', () => {
    const part = fc.stringMatching(/^[a-z][a-z0-9]{0,20}$/);
    fc.assert(
      fc.property(part, part, part, (namespace, kind, name) => {
        expect(parseEntityRoute({ namespace, kind, name })).toBe(
          `${kind}:${namespace}/${name}`,
        );
      }),
    );
  });

  it('rejectControlCharacters refuses exactly the queries holding a control character', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), queryValue), query => {
        const strings = Object.entries(query).flatMap(([key, value]) => [
          key,
          ...(Array.isArray(value) ? value : [value]).filter(
            (v): v is string => typeof v === 'string',
          ),
        ]);
        const hasControl = strings.some(isControl);
        const refused =
          verdict(() => rejectControlCharacters(query)) === 'refused';
        expect(refused).toBe(hasControl);
      }),
      { numRuns: 1000 },
    );
  });
});
