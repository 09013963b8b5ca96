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

import { createHash } from 'node:crypto';
import {
  replicaSetOwnerReference,
  templateHash,
} from '../operator/operatorPods';
import { kubernetesTime, ResourceStore } from './ResourceStore';
import { KubeObject, WatchEvent } from './types';

const DEPLOYMENTS = 'deployments.apps';
const CONTROLLER = { manager: 'kube-controller-manager' };

function workloadPod(
  deployment: KubeObject,
  hash: string,
  index: number,
): KubeObject {
  const suffix = createHash('sha256')
    .update(`${hash}/${index}`)
    .digest('hex')
    .slice(0, 5);
  const containers = (deployment.spec?.template?.spec?.containers ??
    []) as Array<{ name?: string; image?: string }>;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${deployment.metadata.name}-${hash}-${suffix}`,
      namespace: deployment.metadata.namespace,
      labels: {
        ...(deployment.spec?.template?.metadata?.labels ?? {}),
        'pod-template-hash': hash,
      },
      annotations: {
        ...(deployment.spec?.template?.metadata?.annotations ?? {}),
      },
      ownerReferences: [replicaSetOwnerReference(deployment, hash)],
    },
    spec: deployment.spec?.template?.spec ?? {},
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: containers.map(container => ({
        name: container.name ?? 'app',
        image: container.image,
        ready: true,
        started: true,
        restartCount: 0,
      })),
    },
  };
}

function ownedBy(pod: KubeObject, deploymentName: string): boolean {
  return (
    pod.metadata.ownerReferences?.some(
      owner =>
        owner.kind === 'ReplicaSet' &&
        owner.name.startsWith(`${deploymentName}-`) &&
        owner.name.slice(deploymentName.length + 1).length === 10,
    ) ?? false
  );
}

/**
 * What the Deployment and ReplicaSet controllers and the kubelet do for the
 * teams' own workloads: each Deployment keeps `replicas` running Pods of its
 * current pod template. A template change (the operator's
 * `last-restarted` stamp, a `kubectl rollout restart`) replaces them with
 * new Pods, whose creation time is the time of the rollout; that is how a
 * real cluster tells whether Pods started before a Secret changed.
 */
export class WorkloadPods {
  /**
   * Starts the controller. Deployments for which `skip` says true (the
   * operator's own, whose Pod the simulator shows) are left alone.
   * `startedAt` gives the creation time of the Pods first made for a
   * Deployment (scenario history); later rollouts take the clock's time.
   */
  static start(options: {
    store: ResourceStore;
    skip(deployment: KubeObject): boolean;
    startedAt?(deployment: KubeObject): Date | undefined;
    clock?: () => Date;
  }): WorkloadPods {
    const controller = new WorkloadPods(options);
    // Without a resourceVersion the watch first replays every Deployment.
    controller.unsubscribe = options.store.watch(DEPLOYMENTS, {}, event =>
      // Writes Pods after the write that woke it, as a controller would.
      queueMicrotask(() => controller.onEvent(event)),
    );
    return controller;
  }

  private unsubscribe: () => void = () => {};
  private readonly seen = new Set<string>();

  private constructor(
    private readonly options: {
      store: ResourceStore;
      skip(deployment: KubeObject): boolean;
      startedAt?(deployment: KubeObject): Date | undefined;
      clock?: () => Date;
    },
  ) {}

  stop(): void {
    this.unsubscribe();
  }

  private onEvent(event: WatchEvent) {
    const deployment = event.object as KubeObject;
    if (event.type === 'DELETED') {
      this.removePods(deployment, () => true);
      return;
    }
    const uid = deployment.metadata.uid ?? deployment.metadata.name!;
    const first = !this.seen.has(uid);
    this.seen.add(uid);
    this.reconcile(deployment, first);
  }

  private podsOf(deployment: KubeObject): KubeObject[] {
    return this.options.store
      .list('pods', { namespace: deployment.metadata.namespace })
      .items.filter(pod => ownedBy(pod, deployment.metadata.name!));
  }

  private removePods(
    deployment: KubeObject,
    which: (pod: KubeObject) => boolean,
  ) {
    for (const pod of this.podsOf(deployment)) {
      if (which(pod)) {
        this.options.store.delete(
          'pods',
          pod.metadata.namespace,
          pod.metadata.name!,
          CONTROLLER,
        );
      }
    }
  }

  private reconcile(deployment: KubeObject, seeding: boolean) {
    if (this.options.skip(deployment)) return;
    const hash = templateHash(deployment);
    const replicas = Number(deployment.spec?.replicas ?? 1);
    const current = this.podsOf(deployment).filter(
      pod => pod.metadata.labels?.['pod-template-hash'] === hash,
    );
    const at =
      (seeding ? this.options.startedAt?.(deployment) : undefined) ??
      this.options.clock?.() ??
      new Date();
    for (let index = current.length; index < replicas; index++) {
      const pod = workloadPod(deployment, hash, index);
      if (
        !this.options.store.get(
          'pods',
          pod.metadata.namespace,
          pod.metadata.name!,
        )
      ) {
        this.options.store.create(
          'pods',
          {
            ...pod,
            metadata: {
              ...pod.metadata,
              creationTimestamp: kubernetesTime(at),
            },
          },
          { ...CONTROLLER, at },
        );
      }
    }
    // The rollout: Pods of an older template go, and any beyond the count.
    const extra = new Set(
      current.slice(replicas).map(pod => pod.metadata.name),
    );
    this.removePods(
      deployment,
      pod =>
        pod.metadata.labels?.['pod-template-hash'] !== hash ||
        extra.has(pod.metadata.name),
    );
  }
}
