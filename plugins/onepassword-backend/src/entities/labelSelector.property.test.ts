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

import fc from 'fast-check';
import { matchesLabels, parseLabelSelector } from './entityLinking';

const key = fc.stringMatching(/^[a-z][a-z0-9.-]{0,10}$/);
const value = fc.stringMatching(/^[a-z0-9]{0,8}$/);

describe('parseLabelSelector (properties)', () => {
  it('parses or refuses with InputError, never crashes, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), selector => {
        let outcome = 'parsed';
        try {
          parseLabelSelector(selector);
        } catch (error) {
          outcome = (error as Error).name;
        }
        expect(['parsed', 'InputError']).toContain(outcome);
      }),
      { numRuns: 2000 },
    );
  });

  it('matches labels as the equality form says', () => {
    fc.assert(
      fc.property(key, value, fc.dictionary(key, value), (k, v, labels) => {
        const equal = parseLabelSelector(`${k}=${v}`);
        const notEqual = parseLabelSelector(`${k}!=${v}`);
        expect(matchesLabels(labels, equal)).toBe(
          labels[k] === v && k in labels,
        );
        expect(matchesLabels(labels, notEqual)).toBe(
          !(k in labels) || labels[k] !== v,
        );
      }),
    );
  });

  it('matches set and existence forms as Kubernetes does', () => {
    fc.assert(
      fc.property(
        key,
        fc.array(value, { minLength: 1, maxLength: 3 }),
        fc.dictionary(key, value),
        (k, values, labels) => {
          const has = Object.prototype.hasOwnProperty.call(labels, k);
          const list = values.join(',');
          expect(
            matchesLabels(labels, parseLabelSelector(`${k} in (${list})`)),
          ).toBe(has && values.includes(labels[k]));
          expect(
            matchesLabels(labels, parseLabelSelector(`${k} notin (${list})`)),
          ).toBe(!has || !values.includes(labels[k]));
          expect(matchesLabels(labels, parseLabelSelector(k))).toBe(has);
          expect(matchesLabels(labels, parseLabelSelector(`!${k}`))).toBe(!has);
        },
      ),
    );
  });
});
