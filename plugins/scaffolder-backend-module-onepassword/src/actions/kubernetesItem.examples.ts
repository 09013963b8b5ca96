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

import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Write a OnePasswordItem for the item created by an earlier step',
    example: yaml.stringify({
      steps: [
        {
          action: 'onepassword:kubernetes:item:write',
          id: 'manifest',
          name: 'Write OnePasswordItem manifest',
          input: {
            name: 'payments-api-db',
            namespace: 'payments',
            itemPath: 'vaults/team-sandbox/items/payments-api-db',
            kubernetesId: 'payments-api',
            autoRestart: true,
          },
        },
      ],
    }),
  },
];
