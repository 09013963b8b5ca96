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

import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { quoted } from '../items/rules';

/**
 * The entity the credentials are for, in its canonical form. Required:
 * requesting credentials is a permission on that entity, and the item is
 * tagged with it.
 */
export function normalizeEntityRef(ref: string | undefined): string {
  if (!ref) {
    throw new InputError(
      'entityRef is required: credentials are requested for an entity you may request them for (one you own), such as component:default/my-service',
    );
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    throw new InputError(
      `entityRef ${quoted(
        ref,
      )} is not an entity reference such as component:default/my-service`,
    );
  }
}
