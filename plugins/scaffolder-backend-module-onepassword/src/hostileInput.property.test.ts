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
import { normalizeEntityRef } from './actions/entityRef';
import { parseItemCreateInput } from './items/itemRequest';
import { buildOnePasswordItemManifest } from './kubernetes/onePasswordItemManifest';
import { loadOnePasswordItemSchema } from './kubernetes/structuralSchema';

const schema = loadOnePasswordItemSchema();

/** 'ok', or the name of what was thrown with its message length. */
function verdict(fn: () => unknown): {
  outcome: string;
  messageLength: number;
} {
  try {
    fn();
    return { outcome: 'ok', messageLength: 0 };
  } catch (error) {
    return {
      outcome: (error as Error).name,
      messageLength: (error as Error).message.length,
    };
  }
}

const huge = fc.integer({ min: 10_000, max: 200_000 }).map(n => 'x'.repeat(n));

describe('hostile scaffolder input (properties)', () => {
  it('a malformed itemPath in onepassword:kubernetes:item:write is an InputError; only the four-part shape passes', () => {
    const segment = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
    const itemPath = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.tuple(segment, segment).map(([v, i]) => `vaults/${v}/items/${i}`),
      fc
        .tuple(segment, segment, segment)
        .map(([v, i, x]) => `vaults/${v}/items/${i}/${x}`),
      fc.tuple(segment, segment).map(([v, i]) => `vault/${v}/item/${i}`),
    );
    fc.assert(
      fc.property(itemPath, path => {
        const fourParts = /^vaults\/[^/]+\/items\/[^/]+$/.test(path);
        const result = verdict(() =>
          buildOnePasswordItemManifest(
            { name: 'db', namespace: 'payments', itemPath: path },
            schema,
          ),
        );
        expect(result.outcome).toBe(fourParts ? 'ok' : 'InputError');
      }),
      { numRuns: 500 },
    );
  });

  it('oversized inputs are refused with an InputError of bounded length', () => {
    const oversized = fc.oneof(
      huge.map(title => ({ title, category: 'PASSWORD' as const })),
      huge.map(value => ({
        title: 't',
        category: 'PASSWORD' as const,
        fields: { host: value },
      })),
      huge.map(label => ({
        title: 't',
        category: 'PASSWORD' as const,
        fields: { [label]: 'v' },
      })),
      huge.map(tag => ({
        title: 't',
        category: 'PASSWORD' as const,
        tags: [tag],
      })),
      fc.integer({ min: 21, max: 5000 }).map(n => ({
        title: 't',
        category: 'PASSWORD' as const,
        tags: Array.from({ length: n }, (_, i) => `t${i}`),
      })),
      fc.integer({ min: 21, max: 5000 }).map(n => ({
        title: 't',
        category: 'PASSWORD' as const,
        fields: Object.fromEntries(
          Array.from({ length: n }, (_, i) => [`f${i}`, 'v']),
        ),
      })),
    );
    fc.assert(
      fc.property(oversized, input => {
        const result = verdict(() => parseItemCreateInput(input, {}));
        expect(result.outcome).toBe('InputError');
        // The caller is told what is wrong, not sent their input back.
        expect(result.messageLength).toBeLessThan(1000);
      }),
      { numRuns: 60 },
    );
  });

  it('an oversized or malformed entityRef is an InputError of bounded length', () => {
    fc.assert(
      fc.property(fc.oneof(huge, fc.string({ unit: 'binary' })), ref => {
        const result = verdict(() => normalizeEntityRef(ref));
        expect(['ok', 'InputError']).toContain(result.outcome);
        expect(result.messageLength).toBeLessThan(1000);
      }),
      { numRuns: 200 },
    );
  });
});
