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

import { Sandbox } from '@internal/sandbox';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  GeneratedScenarioRun,
  startGeneratedScenario,
} from '../__testUtils__/generatedScenario';
import { RefreshCostCounter } from '../__testUtils__/refreshCost';
import { SandboxBackend } from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const { databases, supportedIds } = createTestDatabases();

const sizes = { services: 4, items: 12, clusters: 2, vaults: 3 };

interface StoredRow {
  record_key: string;
  cluster: string;
  namespace: string;
  secret_name: string;
  status: string;
  item_title: string | null;
  entity_ref: string | null;
  details: string | Record<string, unknown>;
}

/**
 * A refresh after one of this replica's own evaluates again only the
 * records whose inputs changed. Proven against a full evaluation: a second
 * backend on the same database (a replica with no memory of the refresh)
 * refreshes right after and must find nothing to write, after a change of
 * each kind.
 */
describe.each(supportedIds)('an incremental refresh (%s)', databaseId => {
  let sandbox: Sandbox;
  let incremental: SandboxBackend;
  let full: SandboxBackend;
  let knex: Knex;
  let cost: RefreshCostCounter;
  let run: GeneratedScenarioRun;
  const incrementalLog: string[] = [];
  const fullLog: string[] = [];

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    run = await startGeneratedScenario({ sizes, knex });
    ({ sandbox, cost } = run);
    incremental = await run.startBackend({ logLines: incrementalLog });
    full = await run.startBackend({ logLines: fullLog });
  });

  afterAll(async () => {
    await run?.stop();
  });

  /** How many records the backend's latest refresh evaluated, of how many. */
  function lastEvaluation(logLines: string[]) {
    const line = [...logLines]
      .reverse()
      .find(l => /Refreshed \d+ synced Secrets/.test(l))!;
    const [, total, evaluated] =
      /Refreshed (\d+) synced Secrets.* (\d+) evaluated/.exec(line)!;
    return { total: Number(total), evaluated: Number(evaluated) };
  }

  async function rows(): Promise<StoredRow[]> {
    return knex('onepassword_secret_records')
      .select(
        'record_key',
        'cluster',
        'namespace',
        'secret_name',
        'status',
        'item_title',
        'entity_ref',
        'details',
      )
      .orderBy('record_key');
  }

  /**
   * Refreshes the incremental backend (after a refresh of its own), then the
   * full one: the full evaluation must find every record as the incremental
   * one stored it. Returns what the incremental refresh evaluated and wrote.
   */
  async function refreshBoth(change: () => Promise<void> | void) {
    // Another replica refreshed last: this one evaluates everything.
    await incremental.refresh();
    expect(lastEvaluation(incrementalLog).evaluated).toBe(
      lastEvaluation(incrementalLog).total,
    );
    await change();
    cost.reset();
    await incremental.refresh();
    const written = cost.rowsWritten;
    const evaluation = lastEvaluation(incrementalLog);
    const stored = await rows();

    cost.reset();
    await full.refresh();
    expect(lastEvaluation(fullLog).evaluated).toBe(
      lastEvaluation(fullLog).total,
    );
    // Nothing to write but the refresh time: the same records.
    expect({ rowsWritten: cost.rowsWritten, updates: cost.updates }).toEqual({
      rowsWritten: 1,
      updates: 0,
    });
    expect(await rows()).toEqual(stored);
    return { ...evaluation, written, stored };
  }

  it('a first refresh, and one after a restart, evaluate every record', async () => {
    await incremental.refresh();
    expect(lastEvaluation(incrementalLog)).toEqual({
      total: sizes.items,
      evaluated: sizes.items,
    });
    await full.refresh();
    expect(lastEvaluation(fullLog)).toEqual({
      total: sizes.items,
      evaluated: sizes.items,
    });
    // Two in a row on one replica, nothing changed: nothing evaluated.
    await full.refresh();
    expect(lastEvaluation(fullLog)).toEqual({
      total: sizes.items,
      evaluated: 0,
    });
  });

  it("an item changed in one vault: its vault's records", async () => {
    const before = await rows();
    const { evaluated, written, stored } = await refreshBoth(() => {
      sandbox
        .connectServer('main')
        .store.updateItem('vault-00001', 'item-00001', {
          fields: { password: 'changed-once' },
        });
    });
    expect(evaluated).toBeGreaterThan(0);
    expect(evaluated).toBeLessThan(sizes.items);
    // The record, its transition and its vault at least.
    expect(written).toBeGreaterThan(2);
    expect(stored.filter(r => r.status === 'pending')).toHaveLength(
      before.filter(r => r.status === 'pending').length + 1,
    );
  });

  it("a Secret deleted in one cluster: that cluster's records, no other", async () => {
    const victim = (await rows()).find(r => r.status === 'in-sync')!;
    const { evaluated, total, stored } = await refreshBoth(async () => {
      sandbox
        .cluster(victim.cluster)
        .api.delete('secrets', victim.namespace, victim.secret_name, {
          manager: 'kubectl',
        });
      // Wait for the watch without a refresh in between.
      await new Promise(resolve => setTimeout(resolve, 2_000));
    });
    const ofCluster = stored.filter(r => r.cluster === victim.cluster).length;
    expect(evaluated).toBe(ofCluster);
    expect(evaluated).toBeLessThan(total);
    expect(stored.find(r => r.record_key === victim.record_key)?.status).toBe(
      'missing',
    );
  });

  it('an entity annotation changed: its records linked again', async () => {
    const entity = run.entities[0];
    const id = entity.metadata.annotations!['backstage.io/kubernetes-id'];
    const { evaluated, stored } = await refreshBoth(() => {
      entity.metadata.annotations!['backstage.io/kubernetes-id'] = 'no-one';
      // As the catalog does with every change of an entity.
      entity.metadata.etag = 'etag-2';
    });
    expect(evaluated).toBeGreaterThan(0);
    expect(evaluated).toBeLessThan(sizes.items);
    expect(
      stored.filter(r => r.entity_ref === `component:default/${id}`),
    ).toHaveLength(0);
  });

  it('a pending record whose deadline passed turns stale', async () => {
    const store = sandbox.connectServer('main').store;
    const item = 'item-00002';
    const vault = 'vault-00002';
    // Changed long enough ago that the stale deadline is seconds away.
    const pendingUntil = async () => {
      const row = (await rows()).find(r => r.item_title === item);
      const details =
        typeof row?.details === 'string'
          ? JSON.parse(row.details)
          : row?.details;
      return details?.pendingUntil as string | undefined;
    };
    const firstChange = Date.now() - 640_000;
    store.updateItem(vault, item, {
      fields: { password: 'changed-long-ago' },
      updatedAt: new Date(firstChange).toISOString(),
    });
    await full.refresh();
    expect((await rows()).find(r => r.item_title === item)?.status).toBe(
      'pending',
    );
    // Move the change so that the record turns stale 3 s from now.
    const deadline = Date.parse((await pendingUntil())!);
    const shift = deadline - (Date.now() + 3_000);
    store.updateItem(vault, item, {
      fields: { password: 'changed-long-ago-again' },
      updatedAt: new Date(firstChange - shift).toISOString(),
    });
    const { evaluated, total, stored } = await refreshBoth(async () => {
      expect((await rows()).find(r => r.item_title === item)?.status).toBe(
        'pending',
      );
      await new Promise(resolve => setTimeout(resolve, 4_000));
    });
    // No input changed: the deadline alone.
    expect(evaluated).toBeGreaterThan(0);
    expect(evaluated).toBeLessThan(total);
    expect(stored.find(r => r.item_title === item)?.status).toBe('stale');
  });
});
