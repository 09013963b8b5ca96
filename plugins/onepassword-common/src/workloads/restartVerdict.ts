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

import {
  findSecretReferences,
  isReadAtStart,
  PodSpecSecretView,
  SecretConsumptionKind,
} from './secretConsumers';

/**
 * What the pods of one consuming Deployment run, relative to the Secret's
 * last write.
 * - `current`: every pod started after the write, or none reads at start;
 * - `updates-in-place`: only volume mounts read it; the kubelet refreshes
 *   them within about a minute;
 * - `restart-needed`: pods that read it at start predate the write;
 * - `auto-restart-missed`: as `restart-needed`, and the operator should have
 *   rolled the Deployment (auto-restart on) but its `last-restarted` is older
 *   than the write.
 * @public
 */
export type ConsumerVerdict =
  | 'current'
  | 'updates-in-place'
  | 'restart-needed'
  | 'auto-restart-missed';

/** A Deployment whose pod template reads a synced Secret. @public */
export interface ConsumingDeploymentInput {
  namespace: string;
  name: string;
  podSpec: PodSpecSecretView | null | undefined;
  /** Creation times (ISO 8601) of the Deployment's current pods. */
  podCreatedAt: string[];
  autoRestart: boolean;
  /** `operator.1password.io/last-restarted`, where parseable. */
  lastRestartedAt: string | null;
}

/** @public */
export interface WorkloadConsumer {
  namespace: string;
  deployment: string;
  kinds: SecretConsumptionKind[];
  containers: string[];
  podCount: number;
  podsBeforeWrite: number;
  verdict: ConsumerVerdict;
}

/** @public */
export interface WorkloadConsumerEvaluation {
  consumers: WorkloadConsumer[];
  restartNeeded: boolean;
  /** Null where no restart is needed. */
  hint: string | null;
}

/** @public */
export interface WorkloadConsumerEvaluationInput {
  secretName: string;
  /** When the Secret was last written (ISO 8601); null if never. */
  secretWrittenAt: string | null;
  deployments: ConsumingDeploymentInput[];
}

const RESTART_HINT =
  'Pods that read this Secret through environment variables or a subPath mount started before its last update and still run the previous value: roll the Deployment (kubectl rollout restart deployment/<name>), or turn on auto-restart (operator.1password.io/auto-restart: "true").';
const AUTO_RESTART_MISSED_HINT =
  'Auto-restart is on, but the operator did not roll the Deployment after the Secret changed: check the operator logs for the restart error, then roll the Deployment by hand.';

function timeOf(iso: string | null): number | null {
  if (!iso) return null;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? null : time;
}

function verdictFor(
  deployment: ConsumingDeploymentInput,
  kinds: SecretConsumptionKind[],
  podsBeforeWrite: number,
  writtenAt: number | null,
): ConsumerVerdict {
  if (!kinds.some(isReadAtStart)) return 'updates-in-place';
  if (podsBeforeWrite === 0) return 'current';
  const restartedAt = timeOf(deployment.lastRestartedAt);
  if (
    deployment.autoRestart &&
    writtenAt !== null &&
    (restartedAt === null || restartedAt < writtenAt)
  ) {
    return 'auto-restart-missed';
  }
  return 'restart-needed';
}

/**
 * Which Deployments read a Secret, how, and whether their pods run its
 * current value. The sync status says whether the Secret is right; this
 * says whether what runs is: an `in-sync` Secret can still need a restart.
 * @public
 */
export function evaluateSecretConsumers(
  input: WorkloadConsumerEvaluationInput,
): WorkloadConsumerEvaluation {
  const writtenAt = timeOf(input.secretWrittenAt);
  const consumers: WorkloadConsumer[] = [];
  for (const deployment of input.deployments) {
    const references = findSecretReferences(deployment.podSpec).filter(
      reference => reference.secretName === input.secretName,
    );
    if (references.length === 0) continue;
    const kinds = [...new Set(references.map(reference => reference.kind))];
    const containers = [
      ...new Set(references.map(reference => reference.container)),
    ];
    const podTimes = deployment.podCreatedAt.map(timeOf);
    const podsBeforeWrite =
      writtenAt === null
        ? 0
        : podTimes.filter(time => time !== null && time < writtenAt).length;
    consumers.push({
      namespace: deployment.namespace,
      deployment: deployment.name,
      kinds,
      containers,
      podCount: podTimes.length,
      podsBeforeWrite,
      verdict: verdictFor(deployment, kinds, podsBeforeWrite, writtenAt),
    });
  }
  const missed = consumers.some(c => c.verdict === 'auto-restart-missed');
  const restartNeeded =
    missed || consumers.some(c => c.verdict === 'restart-needed');
  let hint: string | null = null;
  if (missed) hint = AUTO_RESTART_MISSED_HINT;
  else if (restartNeeded) hint = RESTART_HINT;
  return { consumers, restartNeeded, hint };
}
