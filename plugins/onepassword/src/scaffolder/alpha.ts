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

import {
  createFormField,
  FormFieldBlueprint,
} from '@backstage/plugin-scaffolder-react/alpha';
import {
  OnePasswordVaultPicker,
  OnePasswordVaultPickerFieldSchema,
  onePasswordVaultPickerValidation,
} from './VaultPicker';
import { ONEPASSWORD_VAULT_PICKER_FIELD_NAME } from '.';

/**
 * The vault picker as a form field of the new frontend system. The plugin's
 * default export already includes it; this is for apps that build their own
 * scaffolder module.
 * @alpha
 */
export const onePasswordVaultPickerFormField = FormFieldBlueprint.make({
  name: 'onepassword-vault-picker',
  params: {
    field: async () =>
      createFormField({
        name: ONEPASSWORD_VAULT_PICKER_FIELD_NAME,
        component: OnePasswordVaultPicker,
        validation: onePasswordVaultPickerValidation,
        schema: OnePasswordVaultPickerFieldSchema,
      }),
  },
});
