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

import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/**
 * The value and `ui:options` of the OnePasswordVaultPicker field. The value
 * carries the server as well as the vault, because vault names are only unique
 * per Connect server.
 * @public
 */
export const OnePasswordVaultPickerFieldSchema = makeFieldSchema({
  output: z =>
    z.object({
      server: z.string().describe('Connect server name'),
      id: z.string().describe('Vault id'),
      name: z.string().describe('Vault name'),
    }),
  uiOptions: z =>
    z.object({
      servers: z
        .array(z.string())
        .optional()
        .describe('Only offer vaults of these Connect servers'),
    }),
});

/** @public */
export type OnePasswordVaultPickerValue =
  typeof OnePasswordVaultPickerFieldSchema.TOutput;

/** @public */
export type OnePasswordVaultPickerProps =
  typeof OnePasswordVaultPickerFieldSchema.TProps;
