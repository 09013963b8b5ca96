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

import { Entity } from '@backstage/catalog-model';
import {
  generateScenario,
  GenerateScenarioOptions,
  Sandbox,
  Scenario,
  startSandbox,
} from '@internal/sandbox';
import { Knex } from 'knex';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatedServiceEntities, RefreshCostCounter } from './refreshCost';
import {
  requireVmModules,
  SandboxBackend,
  SandboxBackendOptions,
  startSandboxBackend,
} from './testBackend';

/** A generated scenario's sandbox, what it costs, and its backends. */
export interface GeneratedScenarioRun {
  scenario: Scenario;
  sandbox: Sandbox;
  cost: RefreshCostCounter;
  /** The catalog every backend reads; a test may edit an entity in place. */
  entities: Entity[];
  /**
   * Starts a backend on the sandbox and the database, its clusters watched
   * as in production, refreshed only when the test asks; every Connect
   * server named is read with the scenario's first server's token.
   */
  startBackend(options?: {
    servers?: string[];
    logLines?: string[];
    onePasswordConfig?: SandboxBackendOptions['onePasswordConfig'];
  }): Promise<SandboxBackend>;
  /** Stops every backend started, the counter and the sandbox. */
  stop(): Promise<void>;
}

/**
 * Starts the sandbox of a generated scenario (`edit` may change it first)
 * and counts what refreshes cost on it and on `knex`.
 */
export async function startGeneratedScenario(options: {
  sizes: GenerateScenarioOptions;
  knex: Knex;
  edit?: (scenario: Scenario) => void;
}): Promise<GeneratedScenarioRun> {
  requireVmModules();
  const stateDir = mkdtempSync(join(tmpdir(), 'onepassword-generated-'));
  const scenario = generateScenario(options.sizes);
  options.edit?.(scenario);
  const sandbox = await startSandbox(scenario, { anyPorts: true, stateDir });
  const cost = RefreshCostCounter.start(sandbox, options.knex);
  const entities = generatedServiceEntities(options.sizes.services);
  const token = scenario.connect[0].tokens.find(
    t => t.name === 'backstage',
  )!.token;
  const backends: SandboxBackend[] = [];
  return {
    scenario,
    sandbox,
    cost,
    entities,
    async startBackend({
      servers = ['main'],
      logLines = [],
      onePasswordConfig,
    } = {}) {
      const backend = await startSandboxBackend({
        sandbox,
        connectTokens: Object.fromEntries(servers.map(name => [name, token])),
        clusterToken: cluster =>
          scenario.clusters.find(c => c.name === cluster)!.tokens[1],
        entities,
        knex: options.knex,
        logLines,
        clusterWatch: true,
        refreshOnClusterChange: false,
        onePasswordConfig,
      });
      backends.push(backend);
      return backend;
    },
    async stop() {
      cost.stop();
      await Promise.all(backends.map(backend => backend.stop()));
      await sandbox.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
