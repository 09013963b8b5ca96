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
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import { scaffolderModuleOnePassword } from './module';

jest.setTimeout(90_000);

const TEMPLATE = path.resolve(
  __dirname,
  '../../../examples/templates/request-credentials/template.yaml',
);
const CONNECT_TOKEN = 'leak-token-scaffolder-4e2b';
/** Values of the existing item that a reuse run touches. */
const EXISTING = ['cnry-existing-user-8qv', 'cnry-existing-pw-8qv'];

function forms(value: string) {
  const bytes = Buffer.from(value);
  return [value, bytes.toString('base64'), bytes.toString('base64url')];
}
function leaks(text: string, values: string[]) {
  return values.flatMap(value => forms(value).filter(f => text.includes(f)));
}

async function dumpEveryTable(knex: Knex) {
  const tables = await knex('sqlite_master')
    .where({ type: 'table' })
    .select('name');
  const dump: Record<string, unknown[]> = {};
  for (const { name } of tables) dump[name] = await knex(name).select('*');
  return dump;
}

/** The scaffolder's own database, as the test backend made it. */
let scaffolderDatabase: Knex | undefined;
const scaffolderDatabaseProbe = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'database-probe',
  register(reg) {
    reg.registerInit({
      deps: { database: coreServices.database },
      async init({ database }) {
        scaffolderDatabase = await database.getClient();
      },
    });
  },
});

describe('request-credentials tasks: nothing secret in task logs, outputs or the database', () => {
  let connectServer: ConnectServer;

  beforeAll(async () => {
    connectServer = await ConnectServer.start({
      spec: parseScenario({
        name: 'scaffolder-leaks',
        connect: [
          {
            name: 'main',
            port: 0,
            tokens: [
              {
                name: 'backstage',
                token: CONNECT_TOKEN,
                vaults: '*',
                write: true,
              },
            ],
            vaults: [
              {
                name: 'team-sandbox',
                items: [
                  {
                    title: 'existing-db',
                    category: 'DATABASE',
                    tags: ['backstage:component:default/payments-api'],
                    fields: [
                      { label: 'username', value: EXISTING[0] },
                      {
                        label: 'password',
                        purpose: 'PASSWORD',
                        value: EXISTING[1],
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
        clusters: [],
      }).connect[0],
      port: 0,
    });
  });

  afterAll(async () => {
    await connectServer?.stop();
  });

  it('creates and reuses items; the generated password, the existing values and the token appear nowhere', async () => {
    const template = yaml.parse(fs.readFileSync(TEMPLATE, 'utf8'));
    template.metadata.namespace = 'default';
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleOnePassword,
        scaffolderDatabaseProbe,
        catalogServiceMock.factory({
          entities: [
            template,
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: 'payments-api', namespace: 'default' },
              spec: { owner: 'group:default/team-payments' },
            },
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            onepassword: {
              connect: {
                servers: [
                  {
                    name: 'main',
                    url: connectServer.url,
                    token: CONNECT_TOKEN,
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
    const vault = connectServer.store.listVaults()[0];
    const values = (title: string, ifExists: string) => ({
      entity: 'component:default/payments-api',
      vault: { server: 'main', id: vault.id, name: vault.name },
      title,
      category: 'DATABASE',
      username: 'payments',
      length: 32,
      characterSets: ['LETTERS', 'DIGITS'],
      ifExists,
      writeManifest: true,
      namespace: 'payments',
      secretName: title,
    });

    async function runTask(taskValues: object) {
      const created = await request(server)
        .post('/api/scaffolder/v2/tasks')
        .set('Authorization', mockCredentials.user.header())
        .send({
          templateRef: 'template:default/request-credentials',
          values: taskValues,
        });
      expect(created.status).toBe(201);
      const id = created.body.id;
      for (let i = 0; i < 100; i++) {
        const task = await request(server)
          .get(`/api/scaffolder/v2/tasks/${id}`)
          .set('Authorization', mockCredentials.user.header());
        if (['completed', 'failed'].includes(task.body.status)) {
          const events = await request(server)
            .get(`/api/scaffolder/v2/tasks/${id}/events`)
            .set('Authorization', mockCredentials.user.header());
          return { task: task.body, events: events.text };
        }
        await new Promise(resolve => setTimeout(resolve, 200));
      }
      throw new Error(`task ${id} did not finish`);
    }

    const created = await runTask(values('payments-api-db', 'fail'));
    const reused = await runTask(values('existing-db', 'reuse'));
    expect([created.task.status, reused.task.status]).toEqual([
      'completed',
      'completed',
    ]);

    const item = connectServer.store
      .listItems(vault.id)
      .find(summary => summary.title === 'payments-api-db')!;
    const generated = connectServer.store
      .getItem(vault.id, item.id)!
      .fields!.find(field => field.label === 'password')!.value!;
    expect(generated).toHaveLength(32);

    const everything = JSON.stringify({
      created,
      reused,
      database: await dumpEveryTable(scaffolderDatabase!),
    });
    // The tasks ran and were stored: the scan looked at real content.
    expect(everything).toContain('payments-api-db');
    expect(everything).toContain('Reusing 1Password item');
    expect(leaks(everything, [generated, ...EXISTING, CONNECT_TOKEN])).toEqual(
      [],
    );
    expect(Object.keys(JSON.parse(everything).database)).toContain('tasks');
  });
});
