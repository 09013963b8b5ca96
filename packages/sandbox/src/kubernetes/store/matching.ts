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

import { fieldValue, matchesSelector, Selector } from '../selectors';
import { KubeObject } from '../types';

/** Which objects of a kind a list or watch returns. */
export interface ObjectFilter {
  /** Omitted: all namespaces. */
  namespace?: string;
  labels: Selector;
  fields: Selector;
}

export function objectMatches(
  object: KubeObject,
  filter: ObjectFilter,
): boolean {
  if (
    filter.namespace !== undefined &&
    object.metadata.namespace !== filter.namespace
  )
    return false;
  const objectLabels = object.metadata.labels ?? {};
  return (
    matchesSelector(filter.labels, key => objectLabels[key]) &&
    matchesSelector(filter.fields, key => fieldValue(object, key) ?? '')
  );
}
