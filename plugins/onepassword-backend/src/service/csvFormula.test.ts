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
import { neutralizeFormula } from './csvFormula';

describe('neutralizeFormula', () => {
  it.each([
    ['=HYPERLINK("http://x")', 'equals'],
    ['+1+cmd', 'plus'],
    ['-2+3', 'minus'],
    ['@SUM(A1)', 'at'],
    ['\tcmd', 'tab'],
    ['\rcmd', 'carriage return'],
    ['   =cmd', 'equals after spaces'],
    ['\u3000=cmd', 'equals after an ideographic space'],
    ['\uFF1Dcmd', 'full-width equals'],
    ['\uFF0Bcmd', 'full-width plus'],
    ['\uFF0Dcmd', 'full-width minus'],
    ['\uFF20cmd', 'full-width at'],
    ['  \uFF20cmd', 'full-width at after spaces'],
    ['\u00A0=cmd', 'equals after a no-break space'],
    ['\uFEFF+cmd', 'plus after a byte order mark'],
  ])('neutralises %j (%s)', text => {
    expect(neutralizeFormula(text)).toBe(`'${text}`);
  });

  it.each(['payments-db', 'a=b', ' x', '', "'=already"])(
    'leaves %j alone',
    text => {
      expect(neutralizeFormula(text)).toBe(text);
    },
  );

  it('never lets a cell start, after blanks, with a formula character', () => {
    const formulaStart = /^[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.constantFrom('', '=', '+', '-', '@', '\t', '\r', ' =', '\uFF1D'),
        (rest, start) => {
          const out = neutralizeFormula(start + rest);
          expect(formulaStart.test(out) || /^[\t\r]/.test(out)).toBe(false);
          // Only ever a prefix: the text itself is kept.
          expect(out.endsWith(start + rest)).toBe(true);
        },
      ),
    );
  });
});
