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

// The replica that ran the last refresh gets the next one first: it keeps
// what it evaluated in memory and re-evaluates only what changed since,
// while a refresh on another replica evaluates every record.

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('onepassword_refresh_lease', table => {
    table
      .string('last_holder', 255)
      .nullable()
      .comment(
        'The replica that ran the last refresh; it may claim the next first',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('onepassword_refresh_lease', table => {
    table.dropColumn('last_holder');
  });
};
