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
const SERVERS = ['main', 'second'];

/**
 * With two Connect servers (the second a copy of the first, read by the
 * second cluster), a refresh with nothing changed costs each server its
 * health and its vault list, no cluster anything, and the store no row but
 * the refresh time.
 */
describe.each(supportedIds)(
  'a steady refresh with two Connect servers (%s)',
  databaseId => {
    let sandbox: Sandbox;
    let backend: SandboxBackend;
    let knex: Knex;
    let cost: RefreshCostCounter;
    let run: GeneratedScenarioRun;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      run = await startGeneratedScenario({
        sizes,
        knex,
        edit: scenario =>
          scenario.connect.push({
            ...structuredClone(scenario.connect[0]),
            name: 'second',
          }),
      });
      ({ sandbox, cost } = run);
      const [first, second] = run.scenario.clusters;
      backend = await run.startBackend({
        servers: SERVERS,
        onePasswordConfig: {
          clusters: {
            [first.name]: { connectServer: 'main' },
            [second.name]: { connectServer: 'second' },
          },
        },
      });
    });

    afterAll(async () => {
      await run?.stop();
    });

    async function measuredRefresh() {
      for (const name of SERVERS) sandbox.connectServer(name).resetStats();
      cost.reset();
      await backend.refresh();
      const connect: Record<string, Record<string, number>> = {};
      for (const name of SERVERS) {
        connect[name] = {};
        for (const [path, count] of Object.entries(
          sandbox.connectServer(name).stats().byPath,
        )) {
          const general = path.replace(
            /\/vaults\/[a-z0-9]{26}/,
            '/vaults/{vaultId}',
          );
          connect[name][general] = (connect[name][general] ?? 0) + count;
        }
      }
      return {
        connect,
        clusterRequests: cost.clusterRequests.length,
        rowsWritten: cost.rowsWritten,
        updates: cost.updates,
      };
    }

    it('costs each server one health check and one vault list, and no cluster or record anything', async () => {
      const cold = await measuredRefresh();
      // Both servers' vaults were read in full the first time.
      for (const name of SERVERS) {
        expect(cold.connect[name]['GET /v1/vaults/{vaultId}/items']).toBe(
          sizes.vaults,
        );
      }
      await measuredRefresh();
      await cost.clustersQuiet();
      expect(await measuredRefresh()).toEqual({
        connect: {
          main: { 'GET /health': 1, 'GET /v1/vaults': 1 },
          second: { 'GET /health': 1, 'GET /v1/vaults': 1 },
        },
        clusterRequests: 0,
        // The refresh time, nothing else.
        rowsWritten: 1,
        updates: 0,
      });
    });
  },
);
