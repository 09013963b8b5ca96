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
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
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
 * The structural schema as JSON Schema for ajv: an object schema with
 * properties allows no others, so unknown fields are reported rather than
 * pruned as the API server would, and a misspelt `spec.itempath` fails here
 * instead of silently producing an empty Secret. An object schema without
 * properties (such as `metadata`) accepts anything.
 */
function toJsonSchema(schema: StructuralSchema): object {
  const { properties, items, ...rest } = schema;
  return {
    ...rest,
    ...(items ? { items: toJsonSchema(items) } : {}),
    ...(properties
      ? {
          properties: Object.fromEntries(
            Object.entries(properties).map(([key, child]) => [
              key,
              toJsonSchema(child),
            ]),
          ),
          additionalProperties: false,
        }
      : {}),
  };
}

// Formats (date-time) are not checked: the API server does not check them
// on custom resources either.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const compiled = new WeakMap<StructuralSchema, ValidateFunction>();

function validatorFor(schema: StructuralSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(toJsonSchema(schema));
    compiled.set(schema, validate);
  }
  return validate;
}

/** `/spec/items/0` as ['spec', 'items', '0']. */
function segmentsOf(instancePath: string): string[] {
  return instancePath
    .split('/')
    .slice(1)
    .map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function pathText(value: unknown, segments: string[]): string {
  let node = value;
  let text = '';
  for (const segment of segments) {
    text += Array.isArray(node)
      ? `[${segment}]`
      : `${text ? '.' : ''}${segment}`;
    node = (node as Record<string, unknown> | undefined)?.[segment];
  }
  return text;
}

/**
 * Where a problem sits in the document, to report problems in the order of
 * the value's own keys; a missing key comes before the keys present.
 */
function documentPosition(value: unknown, segments: string[]): number[] {
  let node = value;
  return segments.map(segment => {
    const index = Array.isArray(node)
      ? Number(segment)
      : Object.keys((node ?? {}) as object).indexOf(segment);
    node = (node as Record<string, unknown> | undefined)?.[segment];
    return index;
  });
}

function compareNumbers(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}

function describeProblem(value: unknown, error: ErrorObject) {
  const segments = segmentsOf(error.instancePath);
  const params = error.params as {
    missingProperty?: string;
    additionalProperty?: string;
    type?: string;
  };
  const field = params.missingProperty ?? params.additionalProperty;
  const at = [...segments, ...(field === undefined ? [] : [field])];
  const path = pathText(value, at);
  let message: string;
  if (error.keyword === 'required') {
    message = `${path} is required`;
  } else if (error.keyword === 'additionalProperties') {
    message = `${path} is not a field of OnePasswordItem`;
  } else if (error.keyword === 'type') {
    const type = String(params.type);
    const article = /^[aeiou]/.test(type) ? 'an' : 'a';
    message = `${path || '(root)'} must be ${article} ${type}`;
  } else {
    message = `${path || '(root)'} ${error.message ?? 'is invalid'}`;
  }
  return { message, position: documentPosition(value, at) };
}

/**
 * Checks `value` against a structural schema (with ajv) and returns one
 * message per problem, in the order of the value's keys.
 */
export function validateAgainstSchema(
  value: unknown,
  schema: StructuralSchema,
): string[] {
  const validate = validatorFor(schema);
  if (validate(value)) return [];
  return (validate.errors ?? [])
    .map(error => describeProblem(value, error))
    .sort((a, b) => compareNumbers(a.position, b.position))
    .map(problem => problem.message);
}
