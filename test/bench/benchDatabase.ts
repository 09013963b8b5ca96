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

import knexFactory, { Knex } from 'knex';

/** Which database the benchmark runs the plugin on. */
export type BenchDatabaseKind = 'sqlite' | 'postgres';

/** Statements the plugin sent, and rows it inserted, upserted or updated. */
export interface WriteCounts {
  statements: number;
  rowsWritten: number;
}

/**
 * A fresh plugin database: in-memory SQLite, or a throw-away database on the
 * given PostgreSQL server (dropped again by `dispose`). Counts statements, so
 * a refresh that rewrites every row shows it.
 */
export async function openBenchDatabase(
  kind: BenchDatabaseKind,
  postgresUrl: string,
) {
  let knex: Knex;
  let dropDatabase = async () => {};
  if (kind === 'sqlite') {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
  } else {
    const name = `onepassword_bench_${process.pid}_${Date.now()}`;
    const admin = knexFactory({ client: 'pg', connection: postgresUrl });
    await admin.raw('create database ??', [name]);
    const url = new URL(postgresUrl);
    url.pathname = `/${name}`;
    knex = knexFactory({ client: 'pg', connection: url.toString() });
    dropDatabase = async () => {
      await admin.raw('drop database if exists ?? with (force)', [name]);
      await admin.destroy();
    };
  }

  let counts: WriteCounts = { statements: 0, rowsWritten: 0 };
  let statementsSoFar = 0;
  // Which replica runs the refresh (its lease) is the schedule's bookkeeping,
  // as Backstage's task table is, not the refresh's own work.
  const isLease = (sql: string) => sql.includes('onepassword_refresh_lease');
  knex.on('query', (query: { sql: string; bindings?: unknown[] }) => {
    if (isLease(query.sql)) return;
    counts.statements += 1;
    statementsSoFar += 1;
    const columns = /^insert into \S+ \(([^)]*)\)/i.exec(query.sql)?.[1];
    if (columns && query.bindings) {
      counts.rowsWritten += Math.round(
        query.bindings.length / columns.split(',').length,
      );
    }
  });
  // An update's rows are known only from its answer: the affected row count.
  knex.on('query-response', (response: unknown, query: { sql: string }) => {
    if (
      /^update /i.test(query.sql) &&
      !isLease(query.sql) &&
      typeof response === 'number'
    ) {
      counts.rowsWritten += response;
    }
  });

  return {
    knex,
    /** Every statement sent since the database was opened. */
    statementsSoFar: () => statementsSoFar,
    /** The counts since the last call. */
    takeCounts(): WriteCounts {
      const taken = counts;
      counts = { statements: 0, rowsWritten: 0 };
      return taken;
    },
    async dispose() {
      await knex.destroy();
      await dropDatabase();
    },
  };
}
