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

import type { OperatorHealthFacts } from '@secret-sync/backstage-plugin-onepassword-common';
import { ContainerSpec, DeploymentResource, PodStatusRow } from './types';

const OPERATOR_IMAGE = '1password/onepassword-operator';
const OPERATOR_DEPLOYMENT_NAME = 'onepassword-connect-operator';
const OPERATOR_DEFAULT_POLLING_INTERVAL = 600;

/** The operator's settings as its Deployment declares them. */
export interface OperatorDeploymentFacts {
  namespace: string;
  deploymentName: string;
  version: string | null;
  /** POLLING_INTERVAL; unset or not a number means the operator's default, 600. */
  pollingIntervalSeconds: number;
  autoRestart: boolean;
  /** WATCH_NAMESPACE split on commas, not trimmed (as the operator does); null = all. */
  watchNamespaces: string[] | null;
  connectHost: string | null;
  /** `service-account` when it uses OP_SERVICE_ACCOUNT_TOKEN instead of Connect. */
  authMethod: 'connect' | 'service-account';
  /** A setting the operator exits on at start, if any. */
  fatalSetting: string | null;
  /** The Deployment's pod selector, to find its pods. */
  podSelector: Record<string, string> | null;
}

function containers(d: DeploymentResource): ContainerSpec[] {
  const spec = d.spec?.template?.spec;
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
}

/**
 * The environment variables `cmd/main.go` reads as settings: the only
 * literal env values the plugin keeps of any Deployment (a token is never
 * one of them; its presence is told by the name alone).
 */
export const OPERATOR_SETTINGS_ENV: readonly string[] = [
  'POLLING_INTERVAL',
  'AUTO_RESTART',
  'WATCH_NAMESPACE',
  'OP_CONNECT_HOST',
];

/** Go's `strconv.ParseBool`, after the operator lowercases the value. */
function parseOperatorBool(value: string): boolean | undefined {
  const lower = value.toLowerCase();
  if (['1', 't', 'true'].includes(lower)) return true;
  if (['0', 'f', 'false'].includes(lower)) return false;
  return undefined;
}

function isOperator(d: DeploymentResource): boolean {
  return containers(d).some(c => c.image?.includes(OPERATOR_IMAGE));
}

/** The settings of one operator Deployment, as `cmd/main.go` reads them. */
function operatorFacts(
  deployment: DeploymentResource,
): OperatorDeploymentFacts {
  const container =
    containers(deployment).find(c => c.image?.includes(OPERATOR_IMAGE)) ??
    containers(deployment)[0];
  const env = new Map((container?.env ?? []).map(e => [e.name, e]));
  const value = (name: string) => env.get(name)?.value;
  const rawPolling = value('POLLING_INTERVAL');
  // Atoi: not a number falls back to the default; 0 or less passes the parse
  // and time.NewTicker panics.
  const polling = /^[-+]?\d+$/.test(rawPolling ?? '')
    ? Number(rawPolling)
    : OPERATOR_DEFAULT_POLLING_INTERVAL;
  const rawAutoRestart = value('AUTO_RESTART');
  const autoRestart =
    rawAutoRestart === undefined || rawAutoRestart === ''
      ? false
      : parseOperatorBool(rawAutoRestart);
  let fatalSetting: string | null = null;
  if (polling <= 0) {
    fatalSetting = `POLLING_INTERVAL=${rawPolling} (must be a whole number greater than 0)`;
  } else if (autoRestart === undefined) {
    fatalSetting = `AUTO_RESTART=${rawAutoRestart} (must be a boolean such as true or false)`;
  }
  const watch = value('WATCH_NAMESPACE');
  const tag = container?.image?.match(/:([^:/@]+)(@.*)?$/)?.[1] ?? null;
  return {
    namespace: deployment.metadata.namespace ?? 'default',
    deploymentName: deployment.metadata.name,
    version: tag,
    pollingIntervalSeconds:
      polling > 0 ? polling : OPERATOR_DEFAULT_POLLING_INTERVAL,
    autoRestart: autoRestart ?? false,
    watchNamespaces: watch ? watch.split(',') : null,
    connectHost: value('OP_CONNECT_HOST') ?? null,
    authMethod:
      env.has('OP_SERVICE_ACCOUNT_TOKEN') && !env.has('OP_CONNECT_HOST')
        ? 'service-account'
        : 'connect',
    fatalSetting,
    podSelector: deployment.spec?.selector?.matchLabels ?? null,
  };
}

/**
 * Every operator in a cluster: by its image, else by the Helm chart's
 * Deployment name. Several may run, each watching other namespaces.
 */
export function findOperators(
  deployments: DeploymentResource[],
): OperatorDeploymentFacts[] {
  const byImage = deployments.filter(isOperator);
  const found = byImage.length
    ? byImage
    : deployments.filter(d => d.metadata.name === OPERATOR_DEPLOYMENT_NAME);
  return found.map(operatorFacts);
}

/**
 * The operator that serves a namespace: one whose WATCH_NAMESPACE names it,
 * else one that watches every namespace, else (to say it is not watched)
 * the first.
 */
export function operatorFor(
  operators: OperatorDeploymentFacts[],
  namespace: string,
): OperatorDeploymentFacts | null {
  return (
    operators.find(o => o.watchNamespaces?.includes(namespace)) ??
    operators.find(o => o.watchNamespaces === null) ??
    operators[0] ??
    null
  );
}

/**
 * Whether an operator runs, from its Deployment's status and its pods' status
 * and restarts. Undefined when nothing tells (no status yet): no false alarm.
 */
export function operatorHealth(
  deployment: DeploymentResource,
  facts: OperatorDeploymentFacts,
  pods: PodStatusRow[] | undefined,
): OperatorHealthFacts | undefined {
  if (deployment.spec?.replicas === 0) {
    return {
      available: false,
      problem: 'scaled-to-zero',
      reason: `Deployment ${facts.namespace}/${facts.deploymentName} has replicas: 0`,
    };
  }
  const crashing = pods?.find(p =>
    /CrashLoopBackOff|^Error$|^OOMKilled$/.test(p.status),
  );
  if (crashing) {
    return {
      available: false,
      problem: 'crash-loop',
      reason: `pod ${crashing.name} is ${crashing.status} after ${
        crashing.restarts
      } restarts${facts.fatalSetting ? `; ${facts.fatalSetting}` : ''}`,
    };
  }
  if (facts.fatalSetting) {
    return {
      available: false,
      problem: 'crash-loop',
      reason: `the operator exits at start on ${facts.fatalSetting}`,
    };
  }
  const status = deployment.status;
  if (!status) return undefined;
  if ((status.availableReplicas ?? 0) > 0) {
    return { available: true, problem: null, reason: null };
  }
  const condition = status.conditions?.find(c => c.type === 'Available');
  return {
    available: false,
    problem: 'not-available',
    reason:
      [condition?.reason, condition?.message].filter(Boolean).join(': ') ||
      'no available replica',
  };
}
