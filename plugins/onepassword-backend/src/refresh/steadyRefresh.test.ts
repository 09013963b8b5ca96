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

jest.setTimeout(120_000);

const { databases, supportedIds } = createTestDatabases();

const sizes = { services: 4, items: 12, clusters: 2, vaults: 3 };

/** What reached the sandbox's servers, and what the plugin wrote, during one refresh. */
interface RefreshCost {
  connect: Record<string, number>;
  clusterRequests: number;
  rowsWritten: number;
  updates: number;
}

describe.each(supportedIds)('a steady refresh (%s)', databaseId => {
  let sandbox: Sandbox;
  let backend: SandboxBackend;
  let knex: Knex;
  let cost: RefreshCostCounter;
  let run: GeneratedScenarioRun;

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    run = await startGeneratedScenario({ sizes, knex });
    ({ sandbox, cost } = run);
    // As in production; the test runs each refresh itself.
    backend = await run.startBackend();
  });

  afterAll(async () => {
    await run?.stop();
  });

  async function measuredRefresh(): Promise<RefreshCost> {
    const connect = sandbox.connectServer('main');
    connect.resetStats();
    cost.reset();
    await backend.refresh();
    const byPath: Record<string, number> = {};
    for (const [path, count] of Object.entries(connect.stats().byPath)) {
      const general = path.replace(
        /\/vaults\/[a-z0-9]{26}/,
        '/vaults/{vaultId}',
      );
      byPath[general] = (byPath[general] ?? 0) + count;
    }
    return {
      connect: byPath,
      clusterRequests: cost.clusterRequests.length,
      rowsWritten: cost.rowsWritten,
      updates: cost.updates,
    };
  }

  it('costs one vault list and the refresh time when nothing changed, and what changed otherwise', async () => {
    const cold = await measuredRefresh();
    // Every record and its first transition, each vault, server and
    // cluster, and the refresh time.
    expect(cold.rowsWritten).toBe(
      2 * sizes.items + sizes.vaults + 1 + sizes.clusters + 1,
    );

    // The watches the cold refresh's lists started open meanwhile.
    await measuredRefresh();
    await cost.clustersQuiet();
    const steady = await measuredRefresh();
    expect(steady).toEqual({
      connect: { 'GET /health': 1, 'GET /v1/vaults': 1 },
      // The clusters are watched: nothing to ask them.
      clusterRequests: 0,
      // Only the refresh time: no record, vault, server or cluster row.
      rowsWritten: 1,
      updates: 0,
    });

    sandbox
      .connectServer('main')
      .store.updateItem('vault-00001', 'item-00001', {
        fields: { password: 'changed' },
      });
    const oneChanged = await measuredRefresh();
    expect(oneChanged).toEqual({
      // The changed vault's item list, no other.
      connect: {
        'GET /health': 1,
        'GET /v1/vaults': 1,
        'GET /v1/vaults/{vaultId}/items': 1,
      },
      clusterRequests: 0,
      // The record, its transition to pending, its vault and the refresh time.
      rowsWritten: 4,
      updates: 0,
    });
  });
});
