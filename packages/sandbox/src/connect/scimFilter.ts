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

import { ConnectApiError } from './ConnectApiError';

/**
 * The subset of SCIM filters Connect accepts on `/v1/vaults` and
 * `/v1/vaults/{id}/items`: `attr op "value"` comparisons joined by `and` / `or`,
 * with parentheses. Operators: `eq`, `ne`, `co`, `sw`, `ew`, and `pr`.
 */
type ScimFilter =
  | {
      kind: 'compare';
      attribute: string;
      operator: ScimOperator;
      value: string;
    }
  | { kind: 'present'; attribute: string }
  | { kind: 'and' | 'or'; left: ScimFilter; right: ScimFilter };

type ScimOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew';

const COMPARE_OPERATORS = new Set(['eq', 'ne', 'co', 'sw', 'ew']);

/** Values of one attribute of the filtered object; several for multi-valued ones such as tags. */
type AttributeValues = (attribute: string) => string[] | undefined;

type Token = { type: 'word' | 'string' | '(' | ')'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i];
    if (/\s/.test(char)) {
      i++;
    } else if (char === '(' || char === ')') {
      tokens.push({ type: char, text: char });
      i++;
    } else if (char === '"') {
      let text = '';
      i++;
      while (i < source.length && source[i] !== '"') {
        if (source[i] === '\\' && i + 1 < source.length) {
          i++;
        }
        text += source[i];
        i++;
      }
      if (i >= source.length) {
        throw invalid(source, 'unterminated string');
      }
      i++;
      tokens.push({ type: 'string', text });
    } else {
      const match = /^[A-Za-z][\w.]*/.exec(source.slice(i));
      if (!match) {
        throw invalid(source, `unexpected character '${char}'`);
      }
      tokens.push({ type: 'word', text: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

function invalid(source: string, reason: string): ConnectApiError {
  return ConnectApiError.badRequest(`Invalid filter '${source}': ${reason}`);
}

/** Recursive descent: `or` binds looser than `and`, parentheses group. */
class ScimParser {
  private readonly tokens: Token[];
  private position = 0;

  constructor(
    private readonly source: string,
    private readonly allowedAttributes: readonly string[],
  ) {
    this.tokens = tokenize(source);
  }

  parse(): ScimFilter {
    const filter = this.parseOr();
    if (this.position !== this.tokens.length) {
      throw invalid(
        this.source,
        `unexpected '${this.tokens[this.position].text}'`,
      );
    }
    return filter;
  }

  private peekWord(): string | undefined {
    const token = this.tokens[this.position];
    return token?.type === 'word' ? token.text.toLowerCase() : undefined;
  }

  private parseOr(): ScimFilter {
    let left = this.parseAnd();
    while (this.peekWord() === 'or') {
      this.position++;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): ScimFilter {
    let left = this.parseTerm();
    while (this.peekWord() === 'and') {
      this.position++;
      left = { kind: 'and', left, right: this.parseTerm() };
    }
    return left;
  }

  private parseTerm(): ScimFilter {
    const token = this.tokens[this.position];
    if (!token) {
      throw invalid(this.source, 'expected an expression');
    }
    if (token.type === '(') {
      this.position++;
      const inner = this.parseOr();
      if (this.tokens[this.position]?.type !== ')') {
        throw invalid(this.source, "expected ')'");
      }
      this.position++;
      return inner;
    }
    if (token.type !== 'word') {
      throw invalid(
        this.source,
        `expected an attribute name, got "${token.text}"`,
      );
    }
    const attribute = token.text.toLowerCase();
    if (!this.allowedAttributes.includes(attribute)) {
      throw invalid(
        this.source,
        `unsupported attribute '${
          token.text
        }' (supported: ${this.allowedAttributes.join(', ')})`,
      );
    }
    this.position++;
    const operator = this.peekWord();
    if (operator === 'pr') {
      this.position++;
      return { kind: 'present', attribute };
    }
    if (!operator || !COMPARE_OPERATORS.has(operator)) {
      throw invalid(this.source, `unsupported operator after '${token.text}'`);
    }
    this.position++;
    const value = this.tokens[this.position];
    if (value?.type !== 'string') {
      throw invalid(this.source, 'expected a double-quoted value');
    }
    this.position++;
    return {
      kind: 'compare',
      attribute,
      operator: operator as ScimOperator,
      value: value.text,
    };
  }
}

/** Parses a filter, answering 400 for anything it does not understand. */
export function parseScimFilter(
  source: string,
  allowedAttributes: readonly string[],
): ScimFilter {
  return new ScimParser(source, allowedAttributes).parse();
}

function compare(
  operator: ScimOperator,
  actual: string,
  expected: string,
): boolean {
  switch (operator) {
    case 'eq':
      return actual === expected;
    case 'ne':
      return actual !== expected;
    case 'co':
      return actual.includes(expected);
    case 'sw':
      return actual.startsWith(expected);
    case 'ew':
      return actual.endsWith(expected);
    default:
      return false;
  }
}

/** Whether an object, seen through `valuesOf`, matches the filter. */
export function matchesScimFilter(
  filter: ScimFilter,
  valuesOf: AttributeValues,
): boolean {
  switch (filter.kind) {
    case 'and':
      return (
        matchesScimFilter(filter.left, valuesOf) &&
        matchesScimFilter(filter.right, valuesOf)
      );
    case 'or':
      return (
        matchesScimFilter(filter.left, valuesOf) ||
        matchesScimFilter(filter.right, valuesOf)
      );
    case 'present':
      return (valuesOf(filter.attribute) ?? []).some(value => value !== '');
    case 'compare': {
      const values = valuesOf(filter.attribute) ?? [];
      if (filter.operator === 'ne') {
        return values.every(value => value !== filter.value);
      }
      return values.some(value =>
        compare(filter.operator, value, filter.value),
      );
    }
    default:
      return false;
  }
}
