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
import { parseItemPath } from './itemPath';

/** A path segment as typed into a manifest: anything but the separator. */
const segment = fc.string({ unit: 'binary' }).filter(s => !s.includes('/'));

describe('parseItemPath (properties)', () => {
  it('never throws, and accepts exactly the operator shape vaults/<v>/items/<i>', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), path => {
        const parsed = parseItemPath(path);
        const parts = path.split('/');
        const operatorAccepts =
          parts.length === 4 && parts[0] === 'vaults' && parts[2] === 'items';
        expect(parsed).toEqual(
          operatorAccepts ? { vault: parts[1], item: parts[3] } : undefined,
        );
      }),
    );
  });

  it('round-trips every vault and item without a slash', () => {
    fc.assert(
      fc.property(segment, segment, (vault, item) => {
        expect(parseItemPath(`vaults/${vault}/items/${item}`)).toEqual({
          vault,
          item,
        });
      }),
    );
  });

  it('rejects a path with a fifth part or a title holding a slash', () => {
    fc.assert(
      fc.property(segment, segment, segment, (vault, item, extra) => {
        expect(
          parseItemPath(`vaults/${vault}/items/${item}/${extra}`),
        ).toBeUndefined();
      }),
    );
  });
});
