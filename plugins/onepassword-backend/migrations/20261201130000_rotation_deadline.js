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

// When an item is due for rotation (its updatedAt plus the matching
// onepassword.rotation.maxAge), stored so that the audit can filter on
// "due" at the time of the query, like stale_at for pending records.

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('onepassword_secret_records', table => {
    table
      .string('rotate_by', 32)
      .nullable()
      .comment('ISO time the item is due for rotation; null: no rule applies');
    table.index(['rotate_by'], 'onepassword_records_rotate_by_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('onepassword_secret_records', table => {
    table.dropIndex(['rotate_by'], 'onepassword_records_rotate_by_idx');
    table.dropColumn('rotate_by');
  });
};
