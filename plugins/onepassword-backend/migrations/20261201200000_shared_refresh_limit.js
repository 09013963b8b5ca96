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

// The refresh rate limit lives in the database so that replicas sharing it
// share the limit: a user cannot trigger one refresh per replica.

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('onepassword_refresh_triggers', table => {
    table.comment('When each caller last started an on-demand refresh');
    table.string('caller', 512).primary().comment('A user or service ref');
    table
      .bigInteger('triggered_at')
      .notNullable()
      .comment('Milliseconds since the epoch');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('onepassword_refresh_triggers');
};
