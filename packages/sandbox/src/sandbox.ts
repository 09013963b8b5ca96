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

import { ConnectServer } from './connect/ConnectServer';
import {
  KubernetesCluster,
  loadOrCreateCa,
  startKubernetesCluster,
} from './kubernetes';
import { SandboxLogger, silentLogger } from './logger';
import { DEFAULT_STATE_DIR } from './paths';
import { loadScenario } from './scenario/loadScenario';
import { ConnectServerSpec, Scenario } from './scenario/types';

export { DEFAULT_STATE_DIR };

/** @public */
export interface SandboxOptions {
  /** Listen on free ports instead of the scenario's fixed ones (for tests). */
  anyPorts?: boolean;
  /** Directory of the CA (`ca.pem`, `ca-key.pem`); default {@link DEFAULT_STATE_DIR}. */
  stateDir?: string;
  logger?: SandboxLogger;
  /** What relative scenario times (`-2h`) are relative to; default now. */
  now?: Date;
}

/** What a client needs to reach one fake cluster. @public */
export interface SandboxClusterInfo {
  name: string;
  url: string;
  /** The cluster's admin token (the scenario's first token). */
  token: string;
  /** Base64 of the CA certificate PEM, as in a kubeconfig's `certificate-authority-data`. */
  caData: string;
}

/** What a client needs to reach one fake Connect server. @public */
export interface SandboxConnectInfo {
  name: string;
  url: string;
  /** A token that sees every vault (with write access when the scenario has one). */
  token: string;
  /** Token of the `/__sandbox/` control endpoints. */
  adminToken: string;
}

/** The `--info` file: where everything listens and how to get in. @public */
export interface SandboxInfo {
  scenario: string;
  connect: SandboxConnectInfo[];
  clusters: SandboxClusterInfo[];
}

/** A running sandbox. @public */
export interface Sandbox {
  /** The scenario as started: ids and times resolved. */
  scenario: Scenario;
  connect: ConnectServer[];
  clusters: KubernetesCluster[];
  info: SandboxInfo;
  /** The Connect server with this scenario name. */
  connectServer(name: string): ConnectServer;
  /** The cluster with this scenario name. */
  cluster(name: string): KubernetesCluster;
  /** Stops the clusters (and their operators), then the Connect servers. */
  stop(): Promise<void>;
}

/** The token the info file hands out: full scope, preferring write access. */
function fullAccessTokenName(spec: ConnectServerSpec): string {
  const allVaults = spec.tokens.filter(
    token => token.vaults === '*' && !token.revoked,
  );
  const chosen =
    allVaults.find(token => token.write) ?? allVaults[0] ?? spec.tokens[0];
  if (!chosen) {
    throw new Error(`Connect server '${spec.name}' has no tokens`);
  }
  return chosen.name;
}

async function startClusters(
  scenario: Scenario,
  connect: ConnectServer[],
  options: SandboxOptions,
  started: KubernetesCluster[],
): Promise<void> {
  if (scenario.clusters.length === 0) {
    return;
  }
  const ca = loadOrCreateCa(options.stateDir ?? DEFAULT_STATE_DIR);
  for (const cluster of scenario.clusters) {
    const index = connect.findIndex(
      server => server.name === cluster.operator.connectServer,
    );
    const server = connect[index];
    started.push(
      await startKubernetesCluster({
        spec: cluster,
        ca,
        port: options.anyPorts ? 0 : cluster.port,
        connect: {
          url: server.url,
          token: server.tokens.valueOf(cluster.operator.connectToken),
          // Scenario history (a Secret synced before the operator lost access
          // to its vault) is seeded with a token that sees every vault.
          seedToken: server.tokens.valueOf(
            fullAccessTokenName(scenario.connect[index]),
          ),
          rotatedToken: cluster.operator.rotatedToken
            ? server.tokens.valueOf(cluster.operator.rotatedToken.token)
            : undefined,
        },
        logger: options.logger,
        onOperatorPoll: () => {
          for (const [position, serverSpec] of scenario.connect.entries()) {
            for (const vault of serverSpec.vaults) {
              for (const item of vault.items) {
                if (item.reEditAfterPollsOf !== cluster.name) continue;
                connect[position].store.updateItem(vault.name, item.title);
              }
            }
          }
        },
      }),
    );
  }
}

/**
 * Starts a sandbox: one fake Connect server per scenario entry, then one fake
 * Kubernetes cluster (API server and operator simulator) per cluster, whose
 * operator talks to its Connect server over HTTP like the real one.
 *
 * @param scenario - `'demo'`, a path to a scenario YAML file, or a scenario object
 * @public
 */
export async function startSandbox(
  scenario: Scenario | string,
  options: SandboxOptions = {},
): Promise<Sandbox> {
  const logger = options.logger ?? silentLogger;
  const resolved = loadScenario(scenario, { now: options.now });
  const connect: ConnectServer[] = [];
  const clusters: KubernetesCluster[] = [];
  const stop = async () => {
    await Promise.all(clusters.map(cluster => cluster.stop()));
    await Promise.all(connect.map(server => server.stop()));
  };

  try {
    for (const spec of resolved.connect) {
      // Faults are switched on once the clusters run: the history a scenario
      // gives them (Secrets synced before the server failed) is read first.
      const server = await ConnectServer.start({
        spec: { ...spec, faults: undefined },
        port: options.anyPorts ? 0 : spec.port,
        logger,
      });
      connect.push(server);
      logger.info(`Connect server '${spec.name}' listening on ${server.url}`);
    }
    await startClusters(resolved, connect, options, clusters);
    resolved.connect.forEach((spec, index) => {
      if (spec.faults) {
        connect[index].faults.set(spec.faults);
      }
    });
    for (const cluster of clusters) {
      logger.info(
        `Kubernetes cluster '${cluster.name}' listening on ${cluster.url}`,
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const info: SandboxInfo = {
    scenario: resolved.name,
    connect: connect.map((server, index) => ({
      name: server.name,
      url: server.url,
      token: server.tokens.valueOf(
        fullAccessTokenName(resolved.connect[index]),
      ),
      adminToken: server.adminToken,
    })),
    clusters: clusters.map(cluster => ({
      name: cluster.name,
      url: cluster.url,
      token: cluster.adminToken,
      caData: cluster.caData,
    })),
  };

  const byName = <T extends { name: string }>(
    list: T[],
    name: string,
    what: string,
  ): T => {
    const found = list.find(entry => entry.name === name);
    if (!found) {
      throw new Error(`No ${what} '${name}' in scenario '${resolved.name}'`);
    }
    return found;
  };

  return {
    scenario: resolved,
    connect,
    clusters,
    info,
    connectServer: name => byName(connect, name, 'Connect server'),
    cluster: name => byName(clusters, name, 'cluster'),
    stop,
  };
}
