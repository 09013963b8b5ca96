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

// The facts a real cluster needs beside the status (when the operator last
// failed, the poll deadline, whether Connect lags, every operator of a
// cluster, kinds that could not be read). Nothing filters or sorts on them,
// so each table gets one JSON column instead of a column per fact.

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('onepassword_secret_records', table => {
    table
      .text('details')
      .nullable()
      .comment(
        'JSON: lastFailedAt, pendingUntil, overdueSince, lastSeenAt, connectBehind, ...',
      );
  });
  await knex.schema.alterTable('onepassword_connect_servers', table => {
    table
      .text('details')
      .nullable()
      .comment('JSON: syncState, syncReason, vaultFailures');
  });
  await knex.schema.alterTable('onepassword_clusters', table => {
    table.text('details').nullable().comment('JSON: operators, readProblems');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const name of [
    'onepassword_secret_records',
    'onepassword_connect_servers',
    'onepassword_clusters',
  ]) {
    await knex.schema.alterTable(name, table => {
      table.dropColumn('details');
    });
  }
};
