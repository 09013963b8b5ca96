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

// Times are stored as ISO 8601 UTC strings (`Date#toISOString`), which sort
// correctly as text on every supported database.

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('onepassword_secret_records', table => {
    table.comment('The current sync state of every operator-managed Secret');
    table
      .string('record_key', 512)
      .primary()
      .comment('cluster/namespace/secretName');
    table.string('cluster', 255).notNullable();
    table.string('namespace', 255).notNullable();
    table.string('secret_name', 255).notNullable();
    table
      .string('source', 32)
      .notNullable()
      .comment('OnePasswordItem or Deployment');
    table.text('item_path').notNullable();
    table.string('vault_id', 64).nullable();
    table.string('item_id', 64).nullable();
    table.string('vault_name', 255).nullable();
    table.string('item_title', 255).nullable();
    table.string('connect_server', 255).nullable();
    table.string('status', 32).notNullable();
    table
      .integer('status_rank')
      .notNullable()
      .comment('Severity order, for sorting');
    table.integer('item_version').nullable();
    table.integer('secret_version').nullable();
    table.string('item_updated_at', 32).nullable();
    table.string('synced_at', 32).nullable();
    table.string('verified_at', 32).nullable();
    table.integer('polling_interval_seconds').notNullable();
    table.string('next_poll_by', 32).nullable();
    table.boolean('auto_restart_enabled').notNullable();
    table.string('auto_restart_source', 32).notNullable();
    table.string('last_restarted_at', 32).nullable();
    table.string('status_since', 32).nullable();
    table.text('message').nullable();
    table.text('hint').nullable();
    table
      .text('labels')
      .notNullable()
      .comment('JSON: labels of the Secret and its source');
    table
      .string('kubernetes_id', 255)
      .nullable()
      .comment('The backstage.io/kubernetes-id label');
    table
      .string('entity_ref', 512)
      .nullable()
      .comment('Owning catalog entity; null for orphans');
    table.string('owner', 512).nullable();
    table
      .string('observed_at', 32)
      .notNullable()
      .comment('When a refresh last saw it');
    table.index(['status_rank'], 'onepassword_records_status_idx');
    table.index(['cluster'], 'onepassword_records_cluster_idx');
    table.index(['owner'], 'onepassword_records_owner_idx');
    table.index(['entity_ref'], 'onepassword_records_entity_idx');
    table.index(['kubernetes_id'], 'onepassword_records_kubernetes_id_idx');
    table.index(['connect_server'], 'onepassword_records_server_idx');
    table.index(['secret_name'], 'onepassword_records_secret_name_idx');
  });

  await knex.schema.createTable('onepassword_status_transitions', table => {
    table.comment(
      'Status changes of each record, so history survives restarts',
    );
    table.bigIncrements('id').primary();
    table.string('record_key', 512).notNullable();
    table.string('from_status', 32).nullable();
    table.string('to_status', 32).notNullable();
    table.string('at', 32).notNullable();
    table.integer('item_version').nullable();
    table.integer('secret_version').nullable();
    table.text('message').nullable();
    table.index(['record_key', 'at'], 'onepassword_transitions_key_idx');
  });

  await knex.schema.createTable('onepassword_connect_servers', table => {
    table.comment('Health of each Connect server as last seen by a refresh');
    table.string('name', 255).primary();
    table.text('url').notNullable();
    table.boolean('healthy').notNullable();
    table.string('version', 64).nullable();
    table.text('dependencies').notNullable().comment('JSON from /health');
    table.integer('vault_count').nullable();
    table.string('last_refresh_at', 32).nullable();
    table.string('last_success_at', 32).nullable();
    table.text('error').nullable();
  });

  await knex.schema.createTable('onepassword_clusters', table => {
    table.comment('Health and operator settings of each cluster as last seen');
    table.string('name', 255).primary();
    table.boolean('healthy').notNullable();
    table.text('operator').nullable().comment('JSON OperatorSettings');
    table.integer('secret_count').notNullable();
    table.string('last_refresh_at', 32).nullable();
    table.string('last_success_at', 32).nullable();
    table.text('error').nullable();
  });

  await knex.schema.createTable('onepassword_vaults', table => {
    table.comment(
      'Per-vault cache: item summaries by contentVersion, and access probes',
    );
    table.string('server', 255).notNullable();
    table.string('vault_id', 64).notNullable();
    table.string('name', 255).nullable();
    table
      .string('access', 16)
      .notNullable()
      .comment('listed: visible to the token; denied: 403; absent: 404');
    table.integer('content_version').nullable();
    table
      .text('items')
      .nullable()
      .comment(
        'JSON item summaries: ids, titles, versions, tags; never values',
      );
    table.string('checked_at', 32).notNullable();
    table.primary(['server', 'vault_id']);
  });

  await knex.schema.createTable('onepassword_meta', table => {
    table.comment('Plugin-wide facts, such as when the last refresh finished');
    table.string('key', 64).primary();
    table.text('value').notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('onepassword_meta');
  await knex.schema.dropTable('onepassword_vaults');
  await knex.schema.dropTable('onepassword_clusters');
  await knex.schema.dropTable('onepassword_connect_servers');
  await knex.schema.dropTable('onepassword_status_transitions');
  await knex.schema.dropTable('onepassword_secret_records');
};
