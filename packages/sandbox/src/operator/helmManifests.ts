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

/**
 * The operator's Deployment and token Secret as the `connect` Helm chart
 * (2.4.1, `operator.create: true`) renders them, and the configuration the
 * operator process reads back from that Deployment's environment.
 */

import { KubeObject } from '../kubernetes/types';
import { parseBoolean } from './operatorModel';

export const DEFAULT_OPERATOR_NAME = 'onepassword-connect-operator';
export const DEFAULT_OPERATOR_NAMESPACE = 'onepassword';
export const DEFAULT_OPERATOR_VERSION = '1.12.0';
export const DEFAULT_POLLING_INTERVAL_SECONDS = 600;
export const TOKEN_SECRET_NAME = 'onepassword-token';
export const TOKEN_SECRET_KEY = 'token';

interface OperatorManifestOptions {
  name: string;
  namespace: string;
  version: string;
  connectHost: string;
  pollingIntervalSeconds: number;
  autoRestart: boolean;
  /** Absent: all namespaces. */
  watchNamespaces?: string[];
}

/** Secret `onepassword-token`, which the chart creates from `operator.token.value`. */
export function operatorTokenSecret(
  namespace: string,
  token: string,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: TOKEN_SECRET_NAME, namespace },
    type: 'Opaque',
    data: { [TOKEN_SECRET_KEY]: Buffer.from(token).toString('base64') },
  };
}

/** The operator Deployment of the chart's `operator-deployment.yaml`. */
export function operatorDeployment(
  options: OperatorManifestOptions,
): KubeObject {
  const labels = { name: options.name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: {
        'app.kubernetes.io/component': 'operator',
        'app.kubernetes.io/managed-by': 'Helm',
        'app.kubernetes.io/name': options.name,
        'helm.sh/chart': 'connect-2.4.1',
      },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: {
          labels: { ...labels, 'app.kubernetes.io/component': 'operator' },
        },
        spec: {
          serviceAccountName: 'onepassword-connect-operator',
          containers: [
            {
              name: options.name,
              image: `1password/onepassword-operator:${options.version}`,
              imagePullPolicy: 'IfNotPresent',
              args: ['--zap-log-level=info'],
              env: [
                {
                  name: 'WATCH_NAMESPACE',
                  value: (options.watchNamespaces ?? []).join(','),
                },
                {
                  name: 'POD_NAME',
                  valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
                },
                {
                  name: 'OPERATOR_NAME',
                  value: 'onepassword-connect-operator',
                },
                { name: 'OP_CONNECT_HOST', value: options.connectHost },
                {
                  name: 'POLLING_INTERVAL',
                  value: String(options.pollingIntervalSeconds),
                },
                {
                  name: 'OP_CONNECT_TOKEN',
                  valueFrom: {
                    secretKeyRef: {
                      name: TOKEN_SECRET_NAME,
                      key: TOKEN_SECRET_KEY,
                    },
                  },
                },
                { name: 'AUTO_RESTART', value: String(options.autoRestart) },
              ],
              livenessProbe: {
                httpGet: { path: '/healthz', port: 8081 },
                initialDelaySeconds: 15,
                periodSeconds: 20,
                failureThreshold: 3,
              },
              readinessProbe: {
                httpGet: { path: '/readyz', port: 8081 },
                initialDelaySeconds: 5,
                periodSeconds: 10,
              },
            },
          ],
        },
      },
    },
  };
}

/** What the operator process reads from its environment at start. */
export interface OperatorConfig {
  connectHost: string;
  /** The Secret and key `OP_CONNECT_TOKEN` comes from, or a literal value. */
  token: { secretName: string; key: string } | { value: string };
  pollingIntervalSeconds: number;
  autoRestart: boolean;
  /** Undefined: all namespaces. */
  watchNamespaces?: string[];
}

/**
 * Why the operator process exits at start (`cmd/main.go`); the pod then
 * crash-loops. `exitCode` is what the container terminates with: 2 for a Go
 * panic, 1 for `os.Exit(1)`.
 */
export class OperatorStartError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
    this.name = 'OperatorStartError';
  }
}

/**
 * Reads {@link OperatorConfig} from the operator Deployment's first
 * container, as `cmd/main.go` does: `POLLING_INTERVAL` with `Atoi` (not a
 * number: the default; 0 or negative: `time.NewTicker` panics),
 * `AUTO_RESTART` lowercased and `ParseBool`ed (invalid: exit 1),
 * `WATCH_NAMESPACE` split on commas and not trimmed.
 * @throws OperatorStartError where the real process exits
 */
export function readOperatorConfig(deployment: KubeObject): OperatorConfig {
  const container = deployment.spec?.template?.spec?.containers?.[0] ?? {};
  const env = new Map<string, any>(
    (container.env ?? []).map((variable: any) => [variable.name, variable]),
  );
  const value = (name: string): string | undefined => env.get(name)?.value;
  const rawInterval = value('POLLING_INTERVAL');
  const interval = /^[-+]?\d+$/.test(rawInterval ?? '')
    ? Number(rawInterval)
    : DEFAULT_POLLING_INTERVAL_SECONDS;
  if (interval <= 0) {
    throw new OperatorStartError(
      'panic: non-positive interval for NewTicker',
      2,
    );
  }
  const rawAutoRestart = value('AUTO_RESTART');
  const autoRestart =
    rawAutoRestart === undefined || rawAutoRestart === ''
      ? false
      : parseBoolean(rawAutoRestart.toLowerCase());
  if (autoRestart === undefined) {
    throw new OperatorStartError(
      `strconv.ParseBool: parsing "${String(
        rawAutoRestart,
      ).toLowerCase()}": invalid syntax`,
      1,
    );
  }
  const watch = value('WATCH_NAMESPACE');
  const tokenRef = env.get('OP_CONNECT_TOKEN')?.valueFrom?.secretKeyRef;
  return {
    connectHost: value('OP_CONNECT_HOST') ?? '',
    token: tokenRef
      ? { secretName: tokenRef.name, key: tokenRef.key }
      : { value: value('OP_CONNECT_TOKEN') ?? '' },
    pollingIntervalSeconds: interval,
    autoRestart,
    // Not trimmed: "a, b" watches "a" and " b", which matches no namespace.
    watchNamespaces: watch ? watch.split(',') : undefined,
  };
}
