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

/** Label and field selectors as the API server parses them (`labelSelector`, `fieldSelector`). */

import { badRequest } from './apiErrors';

type Requirement =
  | { key: string; operator: 'equals' | 'notEquals'; value: string }
  | { key: string; operator: 'in' | 'notIn'; values: string[] }
  | { key: string; operator: 'exists' | 'doesNotExist' };

/** A parsed selector: matches when every requirement holds. */
export type Selector = Requirement[];

/** Splits on commas that are not inside `( )`. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  terms.push(current);
  return terms.map(term => term.trim()).filter(term => term.length > 0);
}

const SET_TERM = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/;
const EQUALITY_TERM = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=()]*)$/;
const EXISTS_TERM = /^(!?)\s*([^\s!=()]+)$/;

/**
 * Parses a label selector: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`,
 * `a`, `!a`, joined by commas.
 */
export function parseLabelSelector(text: string | undefined): Selector {
  if (!text) return [];
  return splitTerms(text).map(term => {
    const set = SET_TERM.exec(term);
    if (set) {
      return {
        key: set[1],
        operator: set[2] === 'in' ? 'in' : 'notIn',
        values: set[3]
          .split(',')
          .map(value => value.trim())
          .filter(value => value.length > 0),
      };
    }
    const equality = EQUALITY_TERM.exec(term);
    if (equality) {
      return {
        key: equality[1],
        operator: equality[2] === '!=' ? 'notEquals' : 'equals',
        value: equality[3],
      };
    }
    const exists = EXISTS_TERM.exec(term);
    if (exists) {
      return {
        key: exists[2],
        operator: exists[1] ? 'doesNotExist' : 'exists',
      };
    }
    throw badRequest(
      `unable to parse requirement: found '${term}', expected: identifier`,
    );
  });
}

/**
 * Parses a field selector: `a=b`, `a==b`, `a!=b` joined by commas (the only
 * operators the API server allows for fields).
 */
export function parseFieldSelector(text: string | undefined): Selector {
  if (!text) return [];
  return splitTerms(text).map(term => {
    const equality = EQUALITY_TERM.exec(term);
    if (!equality) {
      throw badRequest(
        `invalid selector: '${text}'; can't understand '${term}'`,
      );
    }
    return {
      key: equality[1],
      operator: equality[2] === '!=' ? 'notEquals' : 'equals',
      value: equality[3],
    };
  });
}

/** Whether `values` (a key → value lookup) satisfies every requirement. */
export function matchesSelector(
  selector: Selector,
  lookup: (key: string) => string | undefined,
): boolean {
  return selector.every(requirement => {
    const actual = lookup(requirement.key);
    switch (requirement.operator) {
      case 'equals':
        return actual === requirement.value;
      case 'notEquals':
        return actual !== requirement.value;
      case 'in':
        return actual !== undefined && requirement.values.includes(actual);
      case 'notIn':
        return actual === undefined || !requirement.values.includes(actual);
      case 'exists':
        return actual !== undefined;
      case 'doesNotExist':
        return actual === undefined;
      default:
        return false;
    }
  });
}

/** Reads a dotted field path (`metadata.name`, `involvedObject.kind`) as a string. */
export function fieldValue(object: unknown, path: string): string | undefined {
  let current: unknown = object;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined || current === null) return undefined;
  return typeof current === 'object' ? undefined : String(current);
}
