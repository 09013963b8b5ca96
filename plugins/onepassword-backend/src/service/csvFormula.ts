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

/**
 * A cell a spreadsheet would run as a formula: one that starts with `=`,
 * `+`, `-`, `@`, a tab or a carriage return, also after leading spaces
 * (spreadsheets trim them) and in their full-width forms (`＝＋－＠`, which
 * some spreadsheets normalise to ASCII).
 */
const FORMULA_START = /^[\s\u3000]*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * Neutralises a CSV cell that a spreadsheet could run (OWASP's CSV injection
 * advice): a leading `'` makes it text. Other cells are returned as they are.
 */
export function neutralizeFormula(text: string): string {
  // Every character FORMULA_START can start with (whitespace, `=+-@`, tab,
  // CR, the full-width forms) is below 'A' or above '~': most cells start
  // with a letter and need no regular expression.
  const first = text.charCodeAt(0);
  if (first >= 0x41 && first <= 0x7e) return text;
  return FORMULA_START.test(text) ? `'${text}` : text;
}
