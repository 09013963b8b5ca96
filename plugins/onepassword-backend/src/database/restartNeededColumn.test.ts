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

import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { DatabaseSecretSyncStore } from './DatabaseSecretSyncStore';
import { makeRecord } from '../__testUtils__/records';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

const { databases, supportedIds } = createTestDatabases();

const migrations = {
  directory: resolvePackagePath(
    '@secret-sync/backstage-plugin-onepassword-backend',
    'migrations',
  ),
  name: '20261201130000_restart_needed_column.js',
};

describe.each(supportedIds)('the restart_needed column (%s)', databaseId => {
  it('filters the audit, also on rows stored before it existed', async () => {
    const knex = await databases.init(databaseId);
    const store = await DatabaseSecretSyncStore.create({
      database: { getClient: async () => knex, migrations: { skip: false } },
    });
    await store.replaceRecords(
      [
        makeRecord({ secretName: 'needs-restart', restartNeeded: true }),
        makeRecord({ secretName: 'current', restartNeeded: false }),
        makeRecord({ secretName: 'not-known' }),
      ],
      '2026-12-01T10:00:00.000Z',
    );
    const names = async (restartNeeded?: boolean) =>
      (
        await store.queryAudit({
          restartNeeded,
          sort: { field: 'secretName', descending: false },
          after: null,
          limit: 50,
        })
      ).items.map(r => r.secretName);

    expect(await names(true)).toEqual(['needs-restart']);
    expect(await names(false)).toEqual(['current', 'not-known']);

    // Rows written before the column: it is filled from their details.
    await knex.migrate.down(migrations);
    await knex.migrate.up(migrations);
    const column = await knex('onepassword_secret_records')
      .select('secret_name', 'restart_needed')
      .orderBy('secret_name');
    expect(
      column.map(r => [
        r.secret_name,
        r.restart_needed === null ? null : Boolean(r.restart_needed),
      ]),
    ).toEqual([
      ['current', false],
      ['needs-restart', true],
      ['not-known', null],
    ]);
  });
});
