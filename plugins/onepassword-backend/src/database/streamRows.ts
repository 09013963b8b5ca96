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

type Row = Record<string, unknown>;

/** Rows read from SQLite at a time; holds only one batch. */
const SQLITE_BATCH_ROWS = 500;

interface BetterSqliteConnection {
  prepare(sql: string): {
    iterate(...bindings: unknown[]): IterableIterator<Row>;
  };
}

/**
 * The rows of one query, one at a time, without holding the result: a
 * server-side cursor on PostgreSQL (`pg-query-stream`), a statement iterator
 * on SQLite. The SQLite connection stays taken until the rows are read.
 */
export async function* streamRows<TRow = Record<string, unknown>>(
  db: Knex,
  query: Knex.QueryBuilder,
): AsyncGenerator<TRow> {
  if (db.client.config.client !== 'better-sqlite3') {
    const stream = query.stream();
    try {
      for await (const row of stream) yield row as TRow;
    } finally {
      stream.destroy();
    }
    return;
  }
  const { sql, bindings } = query.toSQL().toNative();
  const connection: BetterSqliteConnection =
    await db.client.acquireConnection();
  try {
    // The statement is read synchronously in batches: an async generator
    // that yields each row of a sync iterator awaits once per row, which
    // cost as much as reading the row.
    const rows = connection
      .prepare(sql)
      .iterate(...bindings)
      [Symbol.iterator]();
    for (;;) {
      const batch: Row[] = [];
      let next = rows.next();
      while (!next.done) {
        batch.push(next.value);
        if (batch.length === SQLITE_BATCH_ROWS) break;
        next = rows.next();
      }
      for (const row of batch) yield row as TRow;
      if (next.done) break;
    }
  } finally {
    await db.client.releaseConnection(connection);
  }
}
