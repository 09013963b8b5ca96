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

import { join } from 'node:path';
import {
  DEFAULT_STATE_DIR,
  loadOrCreateCa,
  loadScenario,
  Sandbox,
  SandboxInfo,
  Scenario,
  startSandbox,
} from '@internal/sandbox';
import { RealBinaries, requireRealBinaries } from './binaries';
import { ScenarioCluster, startScenarioCluster } from './scenarioCluster';

export interface RealWorldOptions {
  /** Listen on free ports instead of the scenario's. */
  anyPorts?: boolean;
  /** Where the CA lives; default the sandbox's (`.cache/sandbox`), so app-config's `caFile` fits. */
  stateDir?: string;
  /** Where each cluster keeps etcd's data and logs (a directory per cluster). */
  workDir: string;
  binaries?: RealBinaries;
}

/** A scenario on the real components: sandbox Connect, real API servers and operators. */
export interface RealWorld {
  scenario: Scenario;
  /** The sandbox holding only the scenario's Connect servers. */
  connect: Sandbox;
  clusters: ScenarioCluster[];
  /** The same shape as the sandbox's `--info` file. */
  info: SandboxInfo;
  cluster(name: string): ScenarioCluster;
  stop(): Promise<void>;
}

/**
 * Starts a scenario with the sandbox's Connect servers and, for each
 * cluster, a real kube-apiserver seeded like the sandbox's cluster and the
 * real operator reading that Connect server. A cluster the scenario marks
 * `down` is not started (its port refuses connections).
 */
export async function startRealWorld(
  scenario: Scenario | string,
  options: RealWorldOptions,
): Promise<RealWorld> {
  const binaries = options.binaries ?? requireRealBinaries();
  const resolved = loadScenario(scenario);
  const stateDir = options.stateDir ?? DEFAULT_STATE_DIR;
  const connect = await startSandbox(
    { ...resolved, clusters: [] },
    { anyPorts: options.anyPorts, stateDir },
  );
  const ca = loadOrCreateCa(stateDir);
  const clusters: ScenarioCluster[] = [];
  const stop = async () => {
    await Promise.all(clusters.map(cluster => cluster.stop()));
    await connect.stop();
  };
  try {
    for (const spec of resolved.clusters) {
      if (spec.down) continue;
      const server = connect.connectServer(spec.operator.connectServer);
      const fullAccess = connect.info.connect.find(
        entry => entry.name === server.name,
      )!.token;
      clusters.push(
        await startScenarioCluster({
          spec,
          connect: {
            url: server.url,
            token: server.tokens.valueOf(spec.operator.connectToken),
            seedToken: fullAccess,
          },
          workDir: join(options.workDir, spec.name),
          ca,
          port: options.anyPorts ? undefined : spec.port,
          binaries,
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const info: SandboxInfo = {
    scenario: resolved.name,
    connect: connect.info.connect,
    clusters: clusters.map(({ cluster }) => ({
      name: cluster.name,
      url: cluster.url,
      token: cluster.adminToken,
      caData: cluster.caData,
    })),
  };
  return {
    scenario: resolved,
    connect,
    clusters,
    info,
    cluster: name => {
      const found = clusters.find(cluster => cluster.name === name);
      if (!found) throw new Error(`No real cluster '${name}'`);
      return found;
    },
    stop,
  };
}
