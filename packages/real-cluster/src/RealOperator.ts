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

import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, ManagedProcess } from './ManagedProcess';

export interface RealOperatorOptions {
  /** The operator binary (`RealBinaries.operator`). */
  binary: string;
  /** A kubeconfig the operator's client-go reads (`KUBECONFIG`). */
  kubeconfig: string;
  /**
   * The container environment as the operator Deployment gives it:
   * `OP_CONNECT_HOST`, `OP_CONNECT_TOKEN`, `POLLING_INTERVAL`, `AUTO_RESTART`,
   * `WATCH_NAMESPACE`... A variable that is absent stays unset.
   */
  env: Record<string, string | undefined>;
  /** The namespace the operator believes it runs in (its Deployment's). */
  namespace: string;
  /** Where its log goes (also kept in `lines`). */
  logFile?: string;
  /** Extra flags, e.g. `--enable-annotations`. */
  args?: string[];
}

/**
 * Runs the real onepassword-operator as a process outside any cluster.
 *
 * `cmd/main.go` exits unless it can read its namespace from
 * `/var/run/secrets/kubernetes.io/serviceaccount/namespace`, as in a pod. The
 * process gets that file in a private mount namespace (`unshare`), so the
 * machine's own `/run` is never touched; everything else (API server,
 * Connect) it reaches over 127.0.0.1 as in a cluster.
 */
export async function startRealOperator(
  options: RealOperatorOptions,
): Promise<ManagedProcess> {
  const runDir = realpathSync('/var/run');
  const secretsDir = join(runDir, 'secrets/kubernetes.io/serviceaccount');
  const setup = [
    `mount -t tmpfs operator-run ${runDir}`,
    `mkdir -p ${secretsDir}`,
    `printf %s "$OPERATOR_NAMESPACE" > ${secretsDir}/namespace`,
    'exec "$0" "$@"',
  ].join(' && ');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    KUBECONFIG: options.kubeconfig,
    OPERATOR_NAMESPACE: options.namespace,
  };
  for (const [name, value] of Object.entries(options.env)) {
    if (value !== undefined) env[name] = value;
  }
  const probePort = await freePort();
  const asRoot = process.getuid?.() === 0;
  return ManagedProcess.start({
    name: 'onepassword-operator',
    command: 'unshare',
    args: [
      // Without root, a user namespace grants the mount.
      ...(asRoot ? [] : ['--map-root-user']),
      '--mount',
      '--propagation=private',
      'sh',
      '-c',
      setup,
      options.binary,
      '--metrics-bind-address=0',
      `--health-probe-bind-address=127.0.0.1:${probePort}`,
      '--zap-log-level=info',
      ...(options.args ?? []),
    ],
    env,
    logFile: options.logFile,
  });
}
