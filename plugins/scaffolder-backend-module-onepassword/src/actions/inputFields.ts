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

// The input fields that several actions take, so that each means the same
// and is described the same in every action's schema.

import type { z as zodV3 } from 'zod/v3';
import {
  CHARACTER_SETS,
  RECIPE_MAX_LENGTH,
  RECIPE_MIN_LENGTH,
} from '../items/rules';

/** The zod that createTemplateAction hands each input field. */
type Zod = typeof zodV3;

/** The Connect server an item action talks to. */
export const connectServerInput = (z: Zod) =>
  z
    .string({
      description:
        'Name of the Connect server (onepassword.connect.servers); optional when only one is configured',
    })
    .optional();

/** The vault an item action works in. */
export const vaultInput = (z: Zod) =>
  z.string({ description: 'Vault id or name' }).min(1);

/** How Connect generates a secret value; Backstage never sees the value. */
export const passwordRecipeInput = (z: Zod, description: string) =>
  z
    .object(
      {
        length: z
          .number()
          .int()
          .min(RECIPE_MIN_LENGTH)
          .max(RECIPE_MAX_LENGTH)
          .optional(),
        characterSets: z.array(z.enum(CHARACTER_SETS)).min(1).optional(),
        excludeCharacters: z.string().optional(),
      },
      { description },
    )
    .optional();
