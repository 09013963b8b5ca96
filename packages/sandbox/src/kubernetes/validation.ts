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
 * Admission checks of the fake API server: the structural schema of the
 * OnePasswordItem CRD (`onepassworditems.crd.yaml`) and the required fields of
 * the built-in kinds it accepts writes for.
 */

import { StatusCause } from './apiErrors';
import { qualifiedResource, ResourceType } from './resourceTypes';
import { KubeObject } from './types';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** The properties of an entry of `status.conditions` in the CRD. */
const CONDITION_FIELDS = ['type', 'status', 'message', 'lastTransitionTime'];
const RFC3339 =
  /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

const required = (field: string): StatusCause => ({
  reason: 'FieldValueRequired',
  message: `${field}: Required value`,
  field,
});

const invalidValue = (
  field: string,
  value: unknown,
  detail: string,
): StatusCause => ({
  reason: 'FieldValueInvalid',
  message: `${field}: Invalid value: ${JSON.stringify(value)}: ${detail}`,
  field,
});

const wrongType = (
  field: string,
  value: unknown,
  expected: string,
): StatusCause => {
  let actual: string = typeof value;
  if (Array.isArray(value)) actual = 'array';
  if (value === null) actual = 'null';
  return {
    reason: 'FieldValueTypeInvalid',
    message: `${field}: Invalid value: "${actual}": ${field} in body must be of type ${expected}: "${actual}"`,
    field,
  };
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function checkName(type: ResourceType, name: unknown): StatusCause[] {
  if (typeof name !== 'string' || name.length === 0) {
    return [
      {
        reason: 'FieldValueRequired',
        message:
          'metadata.name: Required value: name or generateName is required',
        field: 'metadata.name',
      },
    ];
  }
  const pattern =
    type.plural === 'namespaces' ? DNS1123_LABEL : DNS1123_SUBDOMAIN;
  const limit = type.plural === 'namespaces' ? 63 : 253;
  if (!pattern.test(name) || name.length > limit) {
    const what =
      type.plural === 'namespaces' ? 'RFC 1123 label' : 'RFC 1123 subdomain';
    return [
      invalidValue(
        'metadata.name',
        name,
        `a lowercase ${what} must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      ),
    ];
  }
  return [];
}

function checkStringMap(field: string, value: unknown): StatusCause[] {
  if (value === undefined) return [];
  if (!isObject(value)) return [wrongType(field, value, 'object')];
  return Object.entries(value)
    .filter(([, entry]) => typeof entry !== 'string')
    .map(([key, entry]) => wrongType(`${field}.${key}`, entry, 'string'));
}

function checkMetadata(type: ResourceType, object: KubeObject): StatusCause[] {
  const metadata = object.metadata;
  return [
    ...checkName(type, metadata?.name),
    ...checkStringMap('metadata.labels', metadata?.labels),
    ...checkStringMap('metadata.annotations', metadata?.annotations),
  ];
}

function checkSecret(secret: KubeObject, old?: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const data = secret.data;
  if (data !== undefined) {
    if (!isObject(data)) {
      causes.push(wrongType('data', data, 'object'));
    } else {
      for (const [key, value] of Object.entries(data)) {
        if (!CONFIG_KEY.test(key)) {
          causes.push(
            invalidValue(
              `data[${key}]`,
              key,
              "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            ),
          );
        }
        if (typeof value !== 'string' || !BASE64.test(value)) {
          causes.push(
            invalidValue(`data[${key}]`, '<value>', 'illegal base64 data'),
          );
        }
      }
    }
  }
  const typeOf = (object: KubeObject) =>
    (object.type as string | undefined) || 'Opaque';
  if (old && typeOf(old) !== typeOf(secret)) {
    causes.push(invalidValue('type', typeOf(secret), 'field is immutable'));
  }
  return causes;
}

function checkDeployment(deployment: KubeObject): StatusCause[] {
  const spec = deployment.spec;
  if (!isObject(spec)) return [required('spec')];
  const causes: StatusCause[] = [];
  const selectorLabels = isObject(spec.selector)
    ? spec.selector.matchLabels
    : undefined;
  if (!isObject(spec.selector)) causes.push(required('spec.selector'));
  const template = isObject(spec.template) ? spec.template : undefined;
  const templateLabels = isObject(template?.metadata)
    ? template?.metadata.labels
    : undefined;
  if (isObject(selectorLabels)) {
    const matches = Object.entries(selectorLabels).every(
      ([key, value]) =>
        isObject(templateLabels) && templateLabels[key] === value,
    );
    if (!matches) {
      causes.push(
        invalidValue(
          'spec.template.metadata.labels',
          templateLabels ?? {},
          '`selector` does not match template `labels`',
        ),
      );
    }
  }
  const podSpec = isObject(template?.spec) ? template?.spec : undefined;
  const containers = podSpec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push(required('spec.template.spec.containers'));
  } else {
    containers.forEach((container, index) => {
      const field = `spec.template.spec.containers[${index}]`;
      if (
        !isObject(container) ||
        typeof container.name !== 'string' ||
        !container.name
      ) {
        causes.push(required(`${field}.name`));
      }
      if (
        !isObject(container) ||
        typeof container.image !== 'string' ||
        !container.image
      ) {
        causes.push(required(`${field}.image`));
      }
    });
  }
  return causes;
}

function checkEvent(event: KubeObject): StatusCause[] {
  const involved = event.involvedObject;
  if (!isObject(involved)) return [required('involvedObject')];
  return [];
}

/** `OnePasswordItem`: the CRD's structural schema. */
function checkOnePasswordItem(item: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  if (item.spec !== undefined) {
    if (!isObject(item.spec)) {
      causes.push(wrongType('spec', item.spec, 'object'));
    } else if (
      item.spec.itemPath !== undefined &&
      typeof item.spec.itemPath !== 'string'
    ) {
      causes.push(wrongType('spec.itemPath', item.spec.itemPath, 'string'));
    }
  }
  if (item.type !== undefined && typeof item.type !== 'string') {
    causes.push(wrongType('type', item.type, 'string'));
  }
  const status = item.status;
  if (status !== undefined) {
    if (!isObject(status)) {
      causes.push(wrongType('status', status, 'object'));
    } else if (!Array.isArray(status.conditions)) {
      causes.push(
        status.conditions === undefined
          ? required('status.conditions')
          : wrongType('status.conditions', status.conditions, 'array'),
      );
    } else {
      status.conditions.forEach((condition, index) => {
        const field = `status.conditions[${index}]`;
        if (!isObject(condition)) {
          causes.push(wrongType(field, condition, 'object'));
          return;
        }
        for (const key of ['type', 'status']) {
          if (condition[key] === undefined)
            causes.push(required(`${field}.${key}`));
        }
        for (const key of CONDITION_FIELDS) {
          const value = condition[key];
          if (value !== undefined && typeof value !== 'string') {
            causes.push(wrongType(`${field}.${key}`, value, 'string'));
          }
        }
        const time = condition.lastTransitionTime;
        if (typeof time === 'string' && !RFC3339.test(time)) {
          causes.push(
            invalidValue(
              `${field}.lastTransitionTime`,
              time,
              `${field}.lastTransitionTime in body must be of type date-time: ${JSON.stringify(
                time,
              )}`,
            ),
          );
        }
      });
    }
  }
  return causes;
}

/** Paths of the fields the CRD's schema does not declare, e.g. `spec.itemPth`. */
export function unknownOnePasswordItemFields(item: KubeObject): string[] {
  const unknown = (prefix: string, value: unknown, known: string[]) =>
    isObject(value)
      ? Object.keys(value)
          .filter(key => !known.includes(key))
          .map(key => `${prefix}${key}`)
      : [];
  const conditions = isObject(item.status) ? item.status.conditions : undefined;
  return [
    ...unknown('', item, [
      'apiVersion',
      'kind',
      'metadata',
      'spec',
      'status',
      'type',
    ]),
    ...unknown('spec.', item.spec, ['itemPath']),
    ...unknown('status.', item.status, ['conditions']),
    ...(Array.isArray(conditions)
      ? conditions.flatMap((condition, index) =>
          unknown(`status.conditions[${index}].`, condition, CONDITION_FIELDS),
        )
      : []),
  ];
}

/**
 * Drops the fields the CRD's structural schema does not declare, as the API
 * server prunes unknown fields of custom resources instead of refusing them.
 */
export function pruneOnePasswordItem(item: KubeObject): KubeObject {
  const pruned: KubeObject = { metadata: item.metadata };
  for (const key of ['apiVersion', 'kind', 'type'] as const) {
    if (item[key] !== undefined) pruned[key] = item[key];
  }
  if (isObject(item.spec)) {
    pruned.spec =
      item.spec.itemPath !== undefined ? { itemPath: item.spec.itemPath } : {};
  } else if (item.spec !== undefined) {
    pruned.spec = item.spec;
  }
  if (isObject(item.status) && Array.isArray(item.status.conditions)) {
    pruned.status = {
      conditions: item.status.conditions.map(condition => {
        if (!isObject(condition)) return condition;
        const kept: Record<string, unknown> = {};
        for (const key of CONDITION_FIELDS) {
          if (condition[key] !== undefined) kept[key] = condition[key];
        }
        return kept;
      }),
    };
  } else if (item.status !== undefined) {
    pruned.status = item.status;
  }
  return pruned;
}

/** Every problem with `object` as a new or replacing (`old`) object of `type`. */
export function validateObject(
  type: ResourceType,
  object: KubeObject,
  old?: KubeObject,
): StatusCause[] {
  const causes = checkMetadata(type, object);
  switch (qualifiedResource(type)) {
    case 'secrets':
      return [...causes, ...checkSecret(object, old)];
    case 'deployments.apps':
      return [...causes, ...checkDeployment(object)];
    case 'events':
      return [...causes, ...checkEvent(object)];
    case 'onepassworditems.onepassword.com':
      return [...causes, ...checkOnePasswordItem(object)];
    default:
      return causes;
  }
}
