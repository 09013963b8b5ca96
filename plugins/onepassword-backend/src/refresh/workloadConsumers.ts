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
  evaluateSecretConsumers,
  resolveAutoRestart,
  SecretSyncRecord,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { SyncedSecretCandidate } from './collectSyncedSecrets';

/** The record fields about the workloads that read a Secret. */
type WorkloadConsumerFields = Pick<
  SecretSyncRecord,
  'consumers' | 'restartNeeded' | 'restartHint'
>;

/**
 * Whether the pods that read a candidate's Secret run its current value.
 * The Secret's last write is the operator's (managedFields), else when the
 * record last saw it take a new version. Each Deployment's auto-restart
 * follows the operator's precedence (Secret, Deployment, Namespace,
 * operator). Pure.
 */
export function workloadConsumerFields(
  candidate: SyncedSecretCandidate,
  record: Pick<SecretSyncRecord, 'syncedAt'>,
  operatorAutoRestart: boolean,
): WorkloadConsumerFields {
  if (candidate.podsUnreadable) {
    // Without the pods a verdict would be a guess: say why there is none.
    return { restartHint: candidate.podsUnreadable };
  }
  const { facts } = candidate;
  const evaluation = evaluateSecretConsumers({
    secretName: facts.secretName,
    secretWrittenAt: facts.secret
      ? facts.secret.lastWrittenAt ?? record.syncedAt
      : null,
    deployments: candidate.workloads.map(workload => ({
      ...workload,
      autoRestart: resolveAutoRestart({
        secret: facts.secret?.autoRestart,
        deployments: [workload.autoRestart],
        namespace: facts.namespaceAutoRestart,
        operator: operatorAutoRestart,
      }).enabled,
    })),
  });
  return {
    consumers: evaluation.consumers,
    restartNeeded: evaluation.restartNeeded,
    restartHint: evaluation.hint,
  };
}
