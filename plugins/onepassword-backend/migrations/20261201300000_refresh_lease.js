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

// Which replica runs the refresh, held as a lease that the running refresh
// renews. Backstage's scheduler holds a global task's lock until the task's
// timeout, so a replica killed mid-refresh would block every other one for
// that long; a lease that stops being renewed frees the refresh within
// seconds instead.

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('onepassword_refresh_lease', table => {
    table.comment('Which replica runs the refresh, and when the next is due');
    table.string('id', 64).primary().comment('The refresh the lease is for');
    table
      .string('holder', 255)
      .nullable()
      .comment('The replica running it; null when none is');
    table
      .bigInteger('expires_at')
      .nullable()
      .comment(
        'When the holder stops holding it unless it renews (ms epoch, database clock)',
      );
    table
      .bigInteger('next_run_at')
      .nullable()
      .comment(
        'When the next scheduled refresh is due (ms epoch, database clock); null: on demand only',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('onepassword_refresh_lease');
};
