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
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { ConnectServer, parseScenario } from '@internal/sandbox';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import { scaffolderModuleOnePassword } from './module';

jest.setTimeout(60_000);

const TEMPLATE = path.resolve(
  __dirname,
  '../../../examples/templates/request-credentials/template.yaml',
);

describe('request-credentials template, dry run through the scaffolder', () => {
  let connectServer: ConnectServer;

  beforeAll(async () => {
    const scenario = parseScenario({
      name: 'template-dry-run',
      connect: [
        {
          name: 'main',
          port: 0,
          tokens: [
            {
              name: 'backstage',
              token: 'tok-CANARY-main',
              vaults: '*',
              write: true,
            },
          ],
          vaults: [{ name: 'team-sandbox', items: [] }],
        },
      ],
      clusters: [],
    });
    connectServer = await ConnectServer.start({
      spec: scenario.connect[0],
      port: 0,
    });
  });

  afterAll(async () => {
    await connectServer.stop();
  });

  it('runs the item and manifest steps and skips the pull request', async () => {
    const vault = connectServer.store.listVaults()[0];
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleOnePassword,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            onepassword: {
              connect: {
                servers: [
                  {
                    name: 'main',
                    url: connectServer.url,
                    token: 'tok-CANARY-main',
                  },
                ],
              },
              scaffolder: {
                allowedVaults: [{ server: 'main', vaults: ['team-*'] }],
              },
            },
          },
        }),
      ],
    });

    const response = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header())
      .send({
        template: yaml.parse(fs.readFileSync(TEMPLATE, 'utf8')),
        values: {
          entity: 'component:default/payments-api',
          vault: { server: 'main', id: vault.id, name: vault.name },
          title: 'payments-api-db',
          category: 'DATABASE',
          username: 'payments',
          length: 32,
          characterSets: ['LETTERS', 'DIGITS'],
          ifExists: 'fail',
          writeManifest: true,
          namespace: 'payments',
          secretName: 'payments-api-db',
        },
        directoryContents: [],
      });

    expect(response.status).toBe(200);
    const { log, directoryContents, output } = response.body;
    const finished = Object.fromEntries(
      log
        .filter((entry: any) =>
          ['completed', 'skipped', 'failed'].includes(entry.body.status),
        )
        .map((entry: any) => [entry.body.stepId, entry.body.status]),
    );
    expect(finished).toEqual({
      'create-item': 'completed',
      manifest: 'completed',
      'pull-request': 'skipped',
    });

    expect(directoryContents).toHaveLength(1);
    expect(directoryContents[0].path).toBe(
      'kubernetes/payments-api-db.onepassworditem.yaml',
    );
    expect(
      yaml.parse(
        Buffer.from(directoryContents[0].base64Content, 'base64').toString(),
      ),
    ).toEqual({
      apiVersion: 'onepassword.com/v1',
      kind: 'OnePasswordItem',
      metadata: {
        name: 'payments-api-db',
        namespace: 'payments',
        labels: { 'backstage.io/kubernetes-id': 'payments-api' },
      },
      spec: { itemPath: `vaults/${vault.id}/items/dry-run` },
    });

    expect(output.links.map((link: { title: string }) => link.title)).toEqual([
      'Open the service',
    ]);
    expect(output.text.map((text: { title: string }) => text.title)).toEqual([
      '1Password item',
      'OnePasswordItem manifest',
    ]);

    // A dry run creates nothing, and nothing secret reaches the response.
    expect(connectServer.store.listItems(vault.id)).toEqual([]);
    expect(JSON.stringify(response.body)).not.toContain('CANARY');
  });
});
