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

import { Knex } from 'knex';

/**
 * A secret value the test plants, and the forms it could leak in: as is, and
 * base64 or base64url encoded (Kubernetes Secret data is base64).
 */
function canaryForms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  return [value, bytes.toString('base64'), bytes.toString('base64url')];
}

/** The planted values found in `text`, each with the form it was found in. */
export function findCanaries(text: string, values: string[]): string[] {
  return values.flatMap(value =>
    canaryForms(value)
      .filter(form => text.includes(form))
      .map(form => (form === value ? value : `${value} (as ${form})`)),
  );
}

/** Every row of every table of the database, whatever tables a migration adds. */
export async function dumpEveryTable(
  knex: Knex,
): Promise<Record<string, unknown[]>> {
  const client = String(knex.client.config.client);
  const names: string[] = client.includes('sqlite')
    ? (await knex('sqlite_master').where({ type: 'table' }).select('name')).map(
        (row: { name: string }) => row.name,
      )
    : (
        await knex('information_schema.tables')
          .whereRaw('table_schema = current_schema()')
          .select('table_name')
      ).map((row: { table_name: string }) => row.table_name);
  const dump: Record<string, unknown[]> = {};
  for (const name of names) dump[name] = await knex(name).select('*');
  return dump;
}
