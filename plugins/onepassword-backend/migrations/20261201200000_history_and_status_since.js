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

// The audit sorts by "in this status since": like every audit sort it gets a
// `(column, record_key)` index, the keyset cursor's order. The history route
// pages a record's transitions newest recorded first, by id; the retention
// prune deletes them by time alone.

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('onepassword_secret_records', table => {
    table.index(
      ['status_since', 'record_key'],
      'onepassword_records_sort_status_since_idx',
    );
  });
  await knex.schema.alterTable('onepassword_status_transitions', table => {
    table.index(['record_key', 'id'], 'onepassword_transitions_history_idx');
    table.index(['at'], 'onepassword_transitions_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('onepassword_status_transitions', table => {
    table.dropIndex([], 'onepassword_transitions_at_idx');
    table.dropIndex([], 'onepassword_transitions_history_idx');
  });
  await knex.schema.alterTable('onepassword_secret_records', table => {
    table.dropIndex([], 'onepassword_records_sort_status_since_idx');
  });
};
