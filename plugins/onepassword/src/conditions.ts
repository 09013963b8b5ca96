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

import { Entity } from '@backstage/catalog-model';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  ONEPASSWORD_VAULT_ENTITY_TYPE,
  ONEPASSWORD_VAULT_ID_ANNOTATION,
  ONEPASSWORD_VAULTS_ANNOTATION,
} from '@secret-sync/backstage-plugin-onepassword-common';

/** The annotations that link an entity to 1Password-synced Secrets. */
export const ONEPASSWORD_ENTITY_ANNOTATIONS = [
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  ONEPASSWORD_VAULTS_ANNOTATION,
];

/**
 * True when the entity carries an annotation that links it to synced
 * Secrets, for `EntitySwitch.Case if={...}` or a tab's `if`.
 * @public
 */
export function isOnePasswordAvailable(entity: Entity): boolean {
  return ONEPASSWORD_ENTITY_ANNOTATIONS.some(annotation =>
    Boolean(entity.metadata.annotations?.[annotation]),
  );
}

/**
 * True for a 1Password vault's catalog entity: a `Resource` of type
 * `1password-vault` with its vault id, as the catalog module publishes it.
 * @public
 */
export function isOnePasswordVault(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    (entity.spec as { type?: unknown } | undefined)?.type ===
      ONEPASSWORD_VAULT_ENTITY_TYPE &&
    Boolean(entity.metadata.annotations?.[ONEPASSWORD_VAULT_ID_ANNOTATION])
  );
}
