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

/** Runs `fn`; anything it throws must be an InputError (a 400), never a crash. */
function answersOrRefuses(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(isError(error) && error.name).toBe('InputError');
    expect((error as Error).message).not.toBe('');
    // A message never carries a raw NUL or line break back to the caller.
    expect((error as Error).message).not.toMatch(/[\u0000\r\n]/);
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
        answersOrRefuses(() => {
          rejectControlCharacters(query);
          return parseAuditQuery(query);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('parseEntityRoute answers or refuses with InputError, for any route parts', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (namespace, kind, name) => {
        answersOrRefuses(() => parseEntityRoute({ namespace, kind, name }));
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
        // eslint-disable-next-line no-control-regex
        const hasControl = strings.some(s => /[\u0000-\u001f\u007f]/.test(s));
        let refused = false;
        try {
          rejectControlCharacters(query);
        } catch (error) {
          refused = true;
          expect((error as Error).name).toBe('InputError');
        }
        expect(refused).toBe(hasControl);
      }),
      { numRuns: 1000 },
    );
  });
});
