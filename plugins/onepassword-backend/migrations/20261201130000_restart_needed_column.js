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

// The audit filters on restartNeeded, so it leaves the `details` JSON for a
// column of its own (JSON is not filtered on in SQL on both databases).
// Rows stored before get it from their details, so the filter is right
// before the next refresh.

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('onepassword_secret_records', table => {
    table
      .boolean('restart_needed')
      .nullable()
      .comment(
        'Pods that read the Secret at start predate its last write; null: not known',
      );
  });
  for (const value of [true, false]) {
    await knex('onepassword_secret_records')
      .where('details', 'like', `%"restartNeeded":${value}%`)
      .update({ restart_needed: value });
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('onepassword_secret_records', table => {
    table.dropColumn('restart_needed');
  });
};
