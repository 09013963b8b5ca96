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

import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from '@secret-sync/backstage-plugin-onepassword-common';

type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

/**
 * Parses a Kubernetes label selector (`a=b,c!=d,e in (f,g),h notin (i),j,!k`).
 * Throws InputError on a selector Kubernetes would reject.
 */
export function parseLabelSelector(selector: string): Requirement[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts
    .map(p => p.trim())
    .filter(Boolean)
    .map(part => {
      let m = part.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/);
      if (m)
        return {
          key: m[1],
          op: m[2] === '!=' ? 'notin' : 'in',
          values: [m[3]],
        } as Requirement;
      m = part.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/);
      if (m)
        return {
          key: m[1],
          op: m[2] as 'in' | 'notin',
          values: m[3].split(',').map(v => v.trim()),
        };
      m = part.match(/^(!?)([\w./-]+)$/);
      if (m)
        return { key: m[2], op: m[1] ? '!exists' : 'exists' } as Requirement;
      throw new InputError(`Invalid label selector '${selector}' at '${part}'`);
    });
}

/** Whether labels satisfy every requirement of a parsed selector. */
export function matchesLabels(
  labels: Record<string, string>,
  requirements: Requirement[],
): boolean {
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && r.values.includes(labels[r.key]);
      case 'notin':
        return !has || !r.values.includes(labels[r.key]);
      default:
        return false;
    }
  });
}

/** How an entity selects its Secrets, exactly as the Kubernetes plugin selects workloads. */
export interface EntitySelector {
  entityRef: string;
  /** Set when the selector is the default `backstage.io/kubernetes-id=<id>`, for an indexed lookup. */
  kubernetesId: string | null;
  requirements: Requirement[];
  namespace: string | null;
}

export function entitySelector(entity: Entity): EntitySelector {
  const annotations = entity.metadata.annotations ?? {};
  const custom = annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION];
  const serviceId =
    annotations[KUBERNETES_ID_ANNOTATION] || entity.metadata.name;
  return {
    entityRef: stringifyEntityRef(entity),
    kubernetesId: custom ? null : serviceId,
    requirements: custom
      ? parseLabelSelector(custom)
      : [{ key: KUBERNETES_ID_ANNOTATION, op: 'in', values: [serviceId] }],
    namespace: annotations[KUBERNETES_NAMESPACE_ANNOTATION] || null,
  };
}

export function selects(
  selector: EntitySelector,
  record: { namespace: string; labels: Record<string, string> },
): boolean {
  return (
    (!selector.namespace || selector.namespace === record.namespace) &&
    matchesLabels(record.labels, selector.requirements)
  );
}

/** Whether the entity links itself to Kubernetes at all (else it claims nothing in the audit). */
export function hasKubernetesAnnotations(entity: Entity): boolean {
  const a = entity.metadata.annotations ?? {};
  return Boolean(
    a[KUBERNETES_ID_ANNOTATION] || a[KUBERNETES_LABEL_SELECTOR_ANNOTATION],
  );
}
