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

import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import { parse } from 'yaml';

/** The subset of a CRD's OpenAPI v3 structural schema the operator's CRD uses. */
export interface StructuralSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  properties?: Record<string, StructuralSchema>;
  required?: string[];
  items?: StructuralSchema;
  format?: string;
}

const CRD_FILE = resolvePackagePath(
  '@secret-sync/backstage-plugin-scaffolder-backend-module-onepassword',
  'assets/onepassworditems.crd.yaml',
);

/** The `v1` schema of the vendored `OnePasswordItem` CRD. */
export function loadOnePasswordItemSchema(
  crdFile: string = CRD_FILE,
): StructuralSchema {
  const crd = parse(fs.readFileSync(crdFile, 'utf8'));
  const version = crd.spec.versions.find(
    (v: { name: string }) => v.name === 'v1',
  );
  return version.schema.openAPIV3Schema;
}

/**
 * Checks `value` against a structural schema and returns one message per
 * problem. Unknown fields are reported rather than pruned as the API server
 * would, so a misspelt `spec.itempath` fails here instead of silently
 * producing an empty Secret. An object schema without properties (such as
 * `metadata`) accepts anything.
 */
export function validateAgainstSchema(
  value: unknown,
  schema: StructuralSchema,
  path = '',
): string[] {
  const at = path || '(root)';
  switch (schema.type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${at} must be a string`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at} must be a boolean`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at} must be an integer`];
    case 'number':
      return typeof value === 'number' ? [] : [`${at} must be a number`];
    case 'array':
      if (!Array.isArray(value)) return [`${at} must be an array`];
      return value.flatMap((item, index) =>
        schema.items
          ? validateAgainstSchema(item, schema.items, `${path}[${index}]`)
          : [],
      );
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return [`${at} must be an object`];
      }
      if (!schema.properties) return [];
      const record = value as Record<string, unknown>;
      const problems: string[] = [];
      for (const key of schema.required ?? []) {
        if (record[key] === undefined) {
          problems.push(`${path ? `${path}.` : ''}${key} is required`);
        }
      }
      for (const [key, child] of Object.entries(record)) {
        const childPath = path ? `${path}.${key}` : key;
        const childSchema = schema.properties[key];
        if (!childSchema) {
          problems.push(`${childPath} is not a field of OnePasswordItem`);
        } else if (child !== undefined) {
          problems.push(
            ...validateAgainstSchema(child, childSchema, childPath),
          );
        }
      }
      return problems;
    }
    default:
      return [];
  }
}
