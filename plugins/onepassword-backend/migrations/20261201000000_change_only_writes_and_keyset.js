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

// @ts-check

// A refresh compares each record with the stored one by `content_hash` and
// writes only the records that changed. `stale_at` is the stored deadline of
// a pending record: reads turn it stale once the deadline passes, without a
// write. Every allowed audit sort has an index ending in `record_key`, the
// tie-breaker of the keyset cursor.

/** Audit sort columns; each gets a `(column, record_key)` index. */
const SORT_COLUMNS = [
  'status_rank',
  'cluster',
  'namespace',
  'secret_name',
  'entity_ref',
  'owner',
  'synced_at',
  'item_updated_at',
];

/** The single-column indexes the sort indexes replace (they are their prefixes). */
const REPLACED_INDEXES = [
  ['status_rank', 'onepassword_records_status_idx'],
  ['cluster', 'onepassword_records_cluster_idx'],
  ['owner', 'onepassword_records_owner_idx'],
  ['entity_ref', 'onepassword_records_entity_idx'],
  ['secret_name', 'onepassword_records_secret_name_idx'],
];

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('onepassword_secret_records', table => {
    table
      .string('content_hash', 64)
      .nullable()
      .comment(
        'Hash of the columns that do not move with time alone; a refresh rewrites the row only when it changes',
      );
    table
      .string('stale_at', 32)
      .nullable()
      .comment('For a pending record: when it turns stale unless synced');
    for (const [, name] of REPLACED_INDEXES) table.dropIndex([], name);
  });
  await knex.schema.alterTable('onepassword_secret_records', table => {
    for (const column of SORT_COLUMNS) {
      table.index(
        [column, 'record_key'],
        `onepassword_records_sort_${column}_idx`,
      );
    }
    table.index(['status', 'stale_at'], 'onepassword_records_deadline_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('onepassword_secret_records', table => {
    for (const column of SORT_COLUMNS) {
      table.dropIndex([], `onepassword_records_sort_${column}_idx`);
    }
    table.dropIndex([], 'onepassword_records_deadline_idx');
  });
  await knex.schema.alterTable('onepassword_secret_records', table => {
    table.dropColumn('content_hash');
    table.dropColumn('stale_at');
    for (const [column, name] of REPLACED_INDEXES) table.index([column], name);
  });
};
