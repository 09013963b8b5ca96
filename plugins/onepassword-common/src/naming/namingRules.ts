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
 * What a naming rule constrains:
 * - `vault`: vault titles, from the owning entity (`{system}`, `{owner}`,
 *   `{name}`, `{namespace}`, `{lifecycle}`);
 * - `connectServer`: Connect server names, from a cluster they serve
 *   (`{cluster}`);
 * - `onePasswordItem`: OnePasswordItem (and so Secret) names, from the item
 *   title they sync (`{title}`, as a Kubernetes name: lower case, `-` for
 *   anything else).
 * @public
 */
export type NamingRuleKind = 'vault' | 'connectServer' | 'onePasswordItem';

/**
 * A rule as configured: a pattern with placeholders, such as
 * `'{system}-{lifecycle}'`, or `{ regex: '^team-[a-z0-9-]+$' }`.
 * @public
 */
export type NamingRuleSpec = string | { regex: string };

/** The values placeholders take; a missing one makes the rule inapplicable. @public */
export type NamingContext = Partial<
  Record<
    | 'system'
    | 'owner'
    | 'name'
    | 'namespace'
    | 'lifecycle'
    | 'cluster'
    | 'title',
    string | null
  >
>;

/** @public */
export type NamingCheck =
  | { ok: true }
  | {
      ok: false;
      /** The name the rule would accept, or a description for a regex rule. */
      expected: string;
      message: string;
    }
  | {
      /** The context lacks a value the pattern needs: nothing to check against. */
      ok: 'not-applicable';
      message: string;
    };

/** @public */
export interface NamingRule {
  kind: NamingRuleKind;
  /** The rule as configured, for messages. */
  description: string;
  /** The name the rule expects here, or null for a regex rule or a missing value. */
  expectedName(context: NamingContext): string | null;
  check(name: string, context: NamingContext): NamingCheck;
}

const PLACEHOLDERS: Record<NamingRuleKind, readonly string[]> = {
  vault: ['system', 'owner', 'name', 'namespace', 'lifecycle'],
  connectServer: ['cluster'],
  onePasswordItem: ['title'],
};

const PLACEHOLDER_PATTERN = /\{([^{}]*)\}/g;

/**
 * A name as Kubernetes allows it for most objects (RFC 1123 subdomain):
 * lower case, with `-` for runs of anything else.
 * @public
 */
export function toKubernetesName(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 253);
}

/** `group:default/team-payments` → `team-payments`: the part people name things by. */
function entityRefName(value: string): string {
  const afterKind = value.includes(':')
    ? value.slice(value.indexOf(':') + 1)
    : value;
  return afterKind.includes('/')
    ? afterKind.slice(afterKind.lastIndexOf('/') + 1)
    : afterKind;
}

function placeholderValue(
  placeholder: string,
  context: NamingContext,
): string | null {
  const value = context[placeholder as keyof NamingContext];
  if (value === null || value === undefined || value === '') return null;
  if (placeholder === 'owner' || placeholder === 'system') {
    return entityRefName(value);
  }
  if (placeholder === 'title') return toKubernetesName(value);
  return value;
}

/**
 * Compiles a configured naming rule. Throws an error that names the config
 * key and what is wrong with it (an unknown placeholder, an invalid regular
 * expression, an empty pattern), so a bad rule stops the backend at start.
 * @public
 */
export function compileNamingRule(
  kind: NamingRuleKind,
  spec: NamingRuleSpec,
  configKey: string,
): NamingRule {
  if (typeof spec === 'object' && spec !== null && 'regex' in spec) {
    let regex: RegExp;
    try {
      regex = new RegExp(spec.regex, 'u');
    } catch (error) {
      throw new Error(
        `${configKey}.regex is not a valid regular expression: ${
          (error as Error).message
        }`,
      );
    }
    const description = `/${spec.regex}/`;
    return {
      kind,
      description,
      expectedName: () => null,
      check: name =>
        regex.test(name)
          ? { ok: true }
          : {
              ok: false,
              expected: `a name matching ${description}`,
              message: `'${name}' does not match ${description} (${configKey})`,
            },
    };
  }
  if (typeof spec !== 'string' || spec.trim() === '') {
    throw new Error(
      `${configKey} must be a pattern such as '{system}-{lifecycle}' or { regex: '...' }`,
    );
  }
  const allowed = PLACEHOLDERS[kind];
  for (const [, placeholder] of spec.matchAll(PLACEHOLDER_PATTERN)) {
    if (!allowed.includes(placeholder)) {
      throw new Error(
        `${configKey} uses the placeholder {${placeholder}}; it may use ${allowed
          .map(p => `{${p}}`)
          .join(', ')}`,
      );
    }
  }
  const expectedName = (context: NamingContext): string | null => {
    let missing = false;
    const name = spec.replace(PLACEHOLDER_PATTERN, (_, placeholder: string) => {
      const value = placeholderValue(placeholder, context);
      if (value === null) missing = true;
      return value ?? '';
    });
    return missing ? null : name;
  };
  return {
    kind,
    description: spec,
    expectedName,
    check: (name, context) => {
      const expected = expectedName(context);
      if (expected === null) {
        const needed = [...spec.matchAll(PLACEHOLDER_PATTERN)]
          .map(([, p]) => p)
          .filter(p => placeholderValue(p, context) === null);
        return {
          ok: 'not-applicable',
          message: `${configKey} needs ${needed
            .map(p => `{${p}}`)
            .join(', ')}, which is not known here`,
        };
      }
      return name === expected
        ? { ok: true }
        : {
            ok: false,
            expected,
            message: `'${name}' breaks the naming rule '${spec}' (${configKey}): expected '${expected}'`,
          };
    },
  };
}
