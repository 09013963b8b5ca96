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
 * What the Deployment controller and the kubelet show of the operator
 * process: the operator Deployment's `status` and its one Pod. That is where
 * a real operator that is down shows (its OnePasswordItems say nothing).
 */

import { createHash } from 'node:crypto';
import { kubernetesTime } from '../kubernetes/ResourceStore';
import { KubeObject } from '../kubernetes/types';

/** Whether the operator process runs, is scaled away, or exits at start. */
export type OperatorProcessState =
  | { kind: 'running'; startedAt: Date }
  | { kind: 'stopped' }
  | {
      kind: 'crash-loop';
      message: string;
      exitCode: number;
      restarts: number;
      lastExitAt: Date;
    };

/** The ReplicaSet hash of the Deployment's pod template, as in Pod names. */
export function templateHash(deployment: KubeObject): string {
  return createHash('sha256')
    .update(JSON.stringify(deployment.spec?.template ?? {}))
    .digest('hex')
    .slice(0, 10)
    .replace(/[0-1]/g, 'b');
}

/** The Pod of the operator Deployment for a state; none when stopped. */
/**
 * The owner reference of a Deployment's pod: the ReplicaSet of its template
 * hash (`<deployment>-<hash>`), which the sandbox does not store, with the
 * hash as its uid.
 */
export function replicaSetOwnerReference(deployment: KubeObject, hash: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    name: `${deployment.metadata.name}-${hash}`,
    uid: hash,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function operatorPod(
  deployment: KubeObject,
  state: OperatorProcessState,
): KubeObject | undefined {
  if (state.kind === 'stopped') return undefined;
  const hash = templateHash(deployment);
  const name = `${deployment.metadata.name}-${hash}-${hash.slice(0, 5)}`;
  const container = deployment.spec?.template?.spec?.containers?.[0] ?? {};
  const running = state.kind === 'running';
  const at = kubernetesTime(running ? state.startedAt : state.lastExitAt);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: deployment.metadata.namespace,
      labels: {
        ...(deployment.spec?.template?.metadata?.labels ?? {}),
        'pod-template-hash': hash,
      },
      ownerReferences: [replicaSetOwnerReference(deployment, hash)],
    },
    spec: deployment.spec?.template?.spec ?? {},
    status: {
      phase: 'Running',
      conditions: [
        {
          type: 'Ready',
          status: running ? 'True' : 'False',
          ...(running ? {} : { reason: 'ContainersNotReady' }),
        },
      ],
      containerStatuses: [
        {
          name: container.name ?? 'operator',
          image: container.image,
          ready: running,
          started: running,
          restartCount: running ? 0 : state.restarts,
          state: running
            ? { running: { startedAt: at } }
            : {
                waiting: {
                  reason: 'CrashLoopBackOff',
                  message: `back-off 5m0s restarting failed container=${
                    container.name ?? 'operator'
                  } pod=${name}`,
                },
              },
          ...(running
            ? {}
            : {
                lastState: {
                  terminated: {
                    exitCode: state.exitCode,
                    reason: 'Error',
                    message: state.message,
                    finishedAt: at,
                  },
                },
              }),
        },
      ],
    },
  };
}

/** The Deployment controller's `status` of the operator Deployment for a state. */
export function operatorDeploymentStatus(
  deployment: KubeObject,
  state: OperatorProcessState,
  now: Date,
): Record<string, unknown> {
  const at = kubernetesTime(now);
  const replicaSet = `${deployment.metadata.name}-${templateHash(deployment)}`;
  const condition = (
    type: string,
    status: 'True' | 'False',
    reason: string,
    message: string,
  ) => ({
    type,
    status,
    reason,
    message,
    lastUpdateTime: at,
    lastTransitionTime: at,
  });
  const progressing = condition(
    'Progressing',
    'True',
    'NewReplicaSetAvailable',
    `ReplicaSet "${replicaSet}" has successfully progressed.`,
  );
  const available = condition(
    'Available',
    'True',
    'MinimumReplicasAvailable',
    'Deployment has minimum availability.',
  );
  const observedGeneration = deployment.metadata.generation;
  if (state.kind === 'stopped') {
    return { observedGeneration, conditions: [available, progressing] };
  }
  if (state.kind === 'running') {
    return {
      observedGeneration,
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      conditions: [available, progressing],
    };
  }
  return {
    observedGeneration,
    replicas: 1,
    updatedReplicas: 1,
    unavailableReplicas: 1,
    conditions: [
      condition(
        'Available',
        'False',
        'MinimumReplicasUnavailable',
        'Deployment does not have minimum availability.',
      ),
      condition(
        'Progressing',
        'True',
        'ReplicaSetUpdated',
        `ReplicaSet "${replicaSet}" is progressing.`,
      ),
    ],
  };
}
