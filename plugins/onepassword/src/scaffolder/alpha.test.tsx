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

import { createExtensionTester } from '@backstage/frontend-test-utils';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import onePasswordPlugin from '../alpha';
import { onePasswordVaultPickerFormField } from './alpha';

describe('vault picker form field (new frontend system)', () => {
  // Feature discovery only loads the plugin (the default export of /alpha),
  // so the field must come with it to be found without code.
  it('comes with the plugin, attached to the scaffolder form fields', () => {
    const field = onePasswordPlugin.getExtension(
      'scaffolder-form-field:onepassword/onepassword-vault-picker',
    );
    expect(field).toMatchObject({
      kind: 'scaffolder-form-field',
      namespace: 'onepassword',
      attachTo: { id: 'api:scaffolder/form-fields', input: 'formFields' },
    });
  });

  it('loads the field', async () => {
    const loader = createExtensionTester(onePasswordVaultPickerFormField).get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    );
    expect(await loader()).toBeDefined();
  });
});
