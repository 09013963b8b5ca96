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

/** Rows read at a time; only one batch is held. */
const BATCH_ROWS = 500;

interface BetterSqliteStatement {
  raw(raw: boolean): BetterSqliteStatement;
  columns(): Array<{ name: string }>;
  iterate(...bindings: unknown[]): IterableIterator<unknown[]>;
}

interface BetterSqliteConnection {
  prepare(sql: string): BetterSqliteStatement;
}

/**
 * A row read as an array of values, seen through the names of the query's
 * columns. The drivers build a row object property by property, which for
 * 30 columns cost as much as reading the row; an array and a view cost a
 * fraction.
 */
function rowViewOf<TRow>(
  columns: readonly string[],
): (values: unknown[]) => TRow {
  class RowView {
    constructor(readonly values: unknown[]) {}
  }
  columns.forEach((column, index) => {
    Object.defineProperty(RowView.prototype, column, {
      get(this: RowView) {
        return this.values[index];
      },
      enumerable: true,
    });
  });
  return values => new RowView(values) as unknown as TRow;
}

/**
 * The rows of one query in batches, without holding the result: a
 * server-side cursor on PostgreSQL (`pg-query-stream`), a statement iterator
 * on SQLite. `columns` are the query's selected columns, in order: each row
 * reads as an object with them. The SQLite connection stays taken until the
 * rows are read.
 */
export async function* streamRowBatches<TRow>(
  db: Knex,
  query: Knex.QueryBuilder,
  columns: readonly string[],
): AsyncGenerator<TRow[]> {
  const view = rowViewOf<TRow>(columns);
  if (db.client.config.client !== 'better-sqlite3') {
    const stream = query.stream({ batchSize: BATCH_ROWS, rowMode: 'array' });
    try {
      let batch: TRow[] = [];
      for await (const values of stream) {
        batch.push(view(values as unknown[]));
        if (batch.length === BATCH_ROWS) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    } finally {
      stream.destroy();
    }
    return;
  }
  const { sql, bindings } = query.toSQL().toNative();
  const connection: BetterSqliteConnection =
    await db.client.acquireConnection();
  let rows: IterableIterator<unknown[]> | undefined;
  try {
    const statement = connection.prepare(sql).raw(true);
    const answered = statement.columns().map(c => c.name);
    if (answered.join() !== columns.join()) {
      throw new Error(
        `streamRowBatches: the query answers columns ${answered.join()}, not ${columns.join()}`,
      );
    }
    // Read synchronously a batch at a time: one await per batch, not per row.
    rows = statement.iterate(...bindings);
    for (;;) {
      const batch: TRow[] = [];
      let next = rows.next();
      while (!next.done) {
        batch.push(view(next.value));
        if (batch.length === BATCH_ROWS) break;
        next = rows.next();
      }
      if (batch.length) yield batch;
      if (next.done) break;
    }
  } finally {
    // A reader that stops early must not leave the statement running.
    rows?.return?.();
    await db.client.releaseConnection(connection);
  }
}
