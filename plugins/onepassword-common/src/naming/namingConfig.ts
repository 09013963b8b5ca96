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

import {
  compileNamingRule,
  NamingContext,
  NamingRule,
  NamingRuleKind,
  NamingRuleSpec,
} from './namingRules';

/** Where each rule is configured, under `onepassword.naming`. @public */
export const NAMING_CONFIG_KEYS: Record<NamingRuleKind, string> = {
  vault: 'onepassword.naming.vaults',
  connectServer: 'onepassword.naming.connectServers',
  onePasswordItem: 'onepassword.naming.onePasswordItems',
};

/** The configured naming rules; a kind without a rule is not checked. @public */
export type NamingRules = Partial<Record<NamingRuleKind, NamingRule>>;

/**
 * Reads and compiles `onepassword.naming`. Takes any config reader (the
 * backend's and the scaffolder's alike); throws an error naming the key of
 * a bad rule, so a typo stops start-up instead of checking nothing.
 * @public
 */
export function readNamingRules(config: {
  getOptional(key: string): unknown;
}): NamingRules {
  const rules: NamingRules = {};
  for (const [kind, key] of Object.entries(NAMING_CONFIG_KEYS) as Array<
    [NamingRuleKind, string]
  >) {
    const spec = config.getOptional(key);
    if (spec === undefined) continue;
    rules[kind] = compileNamingRule(kind, spec as NamingRuleSpec, key);
  }
  return rules;
}

/**
 * The placeholders of a vault rule from a catalog entity: its name and
 * namespace, `spec.owner`, `spec.system` and `spec.lifecycle`.
 * @public
 */
export function entityNamingContext(entity: {
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown> | object;
}): NamingContext {
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    name: entity.metadata.name,
    namespace: entity.metadata.namespace ?? 'default',
    owner: text(spec.owner),
    system: text(spec.system),
    lifecycle: text(spec.lifecycle),
  };
}
