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

import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleOnePassword } from './module';

describe('scaffolderModuleOnePassword', () => {
  it('registers the four actions', async () => {
    const addActions = jest.fn();
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        scaffolderModuleOnePassword,
        mockServices.rootConfig.factory({
          data: {
            onepassword: {
              connect: {
                servers: [
                  { name: 'main', url: 'http://127.0.0.1:1', token: 't' },
                ],
              },
            },
          },
        }),
      ],
    });
    expect(addActions.mock.calls.flat().map(action => action.id)).toEqual([
      'onepassword:item:create',
      'onepassword:kubernetes:item:write',
      'onepassword:vault:create',
      'onepassword:item:rotate',
    ]);
  });

  it.each([
    [undefined, 1],
    [[{ server: 'main', vaults: ['team-*'] }], 0],
  ])(
    'warns at start-up, naming the key, when allowedVaults is %j',
    async (allowedVaults, warnings) => {
      const logger = mockServices.logger.mock();
      logger.child.mockReturnValue(logger);
      await startTestBackend({
        extensionPoints: [
          [scaffolderActionsExtensionPoint, { addActions: jest.fn() }],
        ],
        features: [
          scaffolderModuleOnePassword,
          logger.factory,
          mockServices.rootConfig.factory({
            data: {
              onepassword: {
                connect: {
                  servers: [
                    { name: 'main', url: 'http://127.0.0.1:1', token: 't' },
                  ],
                },
                ...(allowedVaults ? { scaffolder: { allowedVaults } } : {}),
              },
            },
          }),
        ],
      });
      const named = logger.warn.mock.calls.filter(([message]) =>
        String(message).includes('onepassword.scaffolder.allowedVaults'),
      );
      expect(named).toHaveLength(warnings);
    },
  );
});
