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

import { FieldExtensionOptions } from '@backstage/plugin-scaffolder-react';
import {
  OnePasswordVaultPicker,
  type OnePasswordVaultPickerValue,
  OnePasswordVaultPickerFieldSchema,
  onePasswordVaultPickerValidation,
} from './VaultPicker';

export * from './VaultPicker';

/**
 * Name templates use: `ui:field: OnePasswordVaultPicker`.
 * @public
 */
export const ONEPASSWORD_VAULT_PICKER_FIELD_NAME = 'OnePasswordVaultPicker';

/**
 * Options of the vault picker field extension, for
 * `onePasswordPlugin.provide(createScaffolderFieldExtension(...))` in the
 * legacy frontend system.
 * @public
 */
export const onePasswordVaultPickerFieldOptions: FieldExtensionOptions<
  OnePasswordVaultPickerValue,
  { servers?: string[] }
> = {
  name: ONEPASSWORD_VAULT_PICKER_FIELD_NAME,
  component: OnePasswordVaultPicker,
  validation: onePasswordVaultPickerValidation,
  schema: OnePasswordVaultPickerFieldSchema.schema,
};
