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

/**
 * A tiny structural validator for scenario files: each check returns the
 * (possibly converted) value or throws an {@link InputError} naming the path of
 * the bad key, e.g. `connect[0].tokens[1].vaults`.
 *
 * Hand-written rather than zod on purpose: the same schema on zod 4 (tried,
 * with the same messages) parsed the benchmark's 20,000-item scenarios about
 * twice as slowly, and the wording it needed to say `path: expected …, got …`
 * was as long as this file. The scenario's shape is small and fixed.
 */
export type Check<T> = (value: unknown, path: string) => T;

type Field<T> = { check: Check<T>; optional: boolean };
type Shape = Record<string, Check<any> | Field<any>>;
type ShapeValue<S extends Shape> = {
  [K in keyof S as S[K] extends Field<any> ? never : K]: S[K] extends Check<
    infer T
  >
    ? T
    : never;
} & {
  [K in keyof S as S[K] extends Field<any> ? K : never]?: S[K] extends Field<
    infer T
  >
    ? T
    : never;
};

class ScenarioValidationError extends InputError {}

export function fail(path: string, problem: string): never {
  throw new ScenarioValidationError(`${path}: ${problem}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `${typeof value} ${JSON.stringify(value)}`;
}

export const optional = <T>(check: Check<T>): Field<T> => ({
  check,
  optional: true,
});

export const string =
  (
    options: { pattern?: RegExp; expected?: string; nonEmpty?: boolean } = {},
  ): Check<string> =>
  (value, path) => {
    if (typeof value !== 'string') {
      return fail(path, `expected a string, got ${describe(value)}`);
    }
    if (options.nonEmpty !== false && value === '') {
      return fail(path, 'must not be empty');
    }
    if (options.pattern && !options.pattern.test(value)) {
      return fail(
        path,
        `expected ${
          options.expected ?? `to match ${options.pattern}`
        }, got "${value}"`,
      );
    }
    return value;
  };

export const integer =
  (
    min = Number.MIN_SAFE_INTEGER,
    max = Number.MAX_SAFE_INTEGER,
  ): Check<number> =>
  (value, path) => {
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < min ||
      value > max
    ) {
      return fail(
        path,
        `expected an integer from ${min} to ${max}, got ${describe(value)}`,
      );
    }
    return value;
  };

export const boolean = (): Check<boolean> => (value, path) => {
  if (typeof value !== 'boolean') {
    return fail(path, `expected true or false, got ${describe(value)}`);
  }
  return value;
};

export const oneOf =
  <T extends string>(values: readonly T[]): Check<T> =>
  (value, path) => {
    if (typeof value !== 'string' || !values.includes(value as T)) {
      return fail(
        path,
        `expected one of ${values.join(', ')}, got ${describe(value)}`,
      );
    }
    return value as T;
  };

export const arrayOf =
  <T>(check: Check<T>): Check<T[]> =>
  (value, path) => {
    if (!Array.isArray(value)) {
      return fail(path, `expected a list, got ${describe(value)}`);
    }
    return value.map((element, index) => check(element, `${path}[${index}]`));
  };

export const either =
  <A, B>(first: Check<A>, second: Check<B>, expected: string): Check<A | B> =>
  (value, path) => {
    try {
      return first(value, path);
    } catch {
      try {
        return second(value, path);
      } catch {
        return fail(path, `expected ${expected}, got ${describe(value)}`);
      }
    }
  };

export const stringRecord =
  (): Check<Record<string, string>> => (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return fail(path, `expected a map of strings, got ${describe(value)}`);
    }
    for (const [key, entry] of Object.entries(value)) {
      if (typeof entry !== 'string') {
        fail(
          `${path}.${key}`,
          `expected a string, got ${describe(entry)} (quote it in YAML)`,
        );
      }
    }
    return { ...(value as Record<string, string>) };
  };

export const recordOf =
  <T>(check: Check<T>): Check<Record<string, T>> =>
  (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return fail(path, `expected a map, got ${describe(value)}`);
    }
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [
        key,
        check(entry, `${path}.${key}`),
      ]),
    );
  };

export const object =
  <S extends Shape>(shape: S): Check<ShapeValue<S>> =>
  (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return fail(path, `expected a map, got ${describe(value)}`);
    }
    const input = value as Record<string, unknown>;
    for (const key of Object.keys(input)) {
      if (!(key in shape)) {
        fail(
          path ? `${path}.${key}` : key,
          `unknown key (expected one of ${Object.keys(shape).join(', ')})`,
        );
      }
    }
    const result: Record<string, unknown> = {};
    for (const [key, rule] of Object.entries(shape)) {
      const field: Field<unknown> =
        typeof rule === 'function' ? { check: rule, optional: false } : rule;
      const keyPath = path ? `${path}.${key}` : key;
      if (input[key] === undefined || input[key] === null) {
        if (!field.optional) {
          fail(keyPath, 'is required');
        }
        continue;
      }
      result[key] = field.check(input[key], keyPath);
    }
    return result as ShapeValue<S>;
  };
