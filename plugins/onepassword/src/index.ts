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
 * Frontend plugin showing the sync state of 1Password-synced Kubernetes
 * Secrets: an entity Secrets tab and card, and an audit page.
 *
 * This entry point serves the legacy frontend system; the new frontend
 * system's plugin is the default export of `./alpha`.
 *
 * @packageDocumentation
 */

export {
  onePasswordPlugin,
  EntityOnePasswordCard,
  EntityOnePasswordContent,
  EntityOnePasswordVaultContent,
  OnePasswordAuditPage,
  OnePasswordVaultPickerFieldExtension,
} from './plugin';
export { onePasswordApiRef, OnePasswordClient } from './api';
export type { OnePasswordApi } from './api';
export { isOnePasswordAvailable, isOnePasswordVault } from './conditions';
export { ONEPASSWORD_VAULT_PICKER_FIELD_NAME } from './scaffolder';
