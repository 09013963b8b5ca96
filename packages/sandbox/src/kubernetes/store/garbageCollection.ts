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

import { KubeObject } from '../types';

/**
 * Whether deleting `removed` deletes `object` too: the garbage collector
 * deletes what `removed` owns, the namespace controller what a deleted
 * namespace holds.
 */
export function isCollectedWith(removed: KubeObject, object: KubeObject) {
  const owned = (object.metadata.ownerReferences ?? []).some(
    reference => reference.uid === removed.metadata.uid,
  );
  const inNamespace =
    removed.kind === 'Namespace' &&
    object.metadata.namespace === removed.metadata.name;
  return owned || inNamespace;
}
