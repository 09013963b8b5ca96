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
 * How a container reads a Secret. `env` and `envFrom` are read once when the
 * container starts, and so is a `subPath` mount (the kubelet never updates
 * it); `volume` and `projected` mounts are updated in place by the kubelet.
 * @public
 */
export type SecretConsumptionKind =
  | 'env'
  | 'envFrom'
  | 'volume'
  | 'projected'
  | 'subPath';

/**
 * One place where a pod template reads a Secret: a reference only, never a
 * value (a literal `env[].value` is not even looked at).
 * @public
 */
export interface SecretReference {
  secretName: string;
  kind: SecretConsumptionKind;
  container: string;
  /** The Secret key for `env` references; null where every key is read. */
  key: string | null;
  /** The pod volume for `volume`, `projected` and `subPath` references. */
  volume: string | null;
}

/**
 * The parts of a Kubernetes pod template spec that name Secrets, as a
 * structural subset of `V1PodSpec`, so that callers pass what they read
 * without this package depending on a Kubernetes client.
 * @public
 */
export interface PodSpecSecretView {
  containers?: ContainerSecretView[];
  initContainers?: ContainerSecretView[];
  volumes?: Array<{
    name?: string;
    secret?: { secretName?: string };
    projected?: { sources?: Array<{ secret?: { name?: string } }> };
  }>;
}

/** @public */
export interface ContainerSecretView {
  name?: string;
  env?: Array<{
    name?: string;
    valueFrom?: { secretKeyRef?: { name?: string; key?: string } };
  }>;
  envFrom?: Array<{ secretRef?: { name?: string } }>;
  volumeMounts?: Array<{
    name?: string;
    subPath?: string;
    subPathExpr?: string;
  }>;
}

/** Whether pods keep a Secret's old value until they restart. @public */
export function isReadAtStart(kind: SecretConsumptionKind): boolean {
  return kind === 'env' || kind === 'envFrom' || kind === 'subPath';
}

/**
 * Every reference to a Secret in a pod template spec: env keys, envFrom,
 * secret and projected volumes, each mount of such a volume (a `subPath`
 * mount counted as `subPath`). A volume no container mounts is not a
 * consumer: nothing reads it.
 * @public
 */
export function findSecretReferences(
  spec: PodSpecSecretView | null | undefined,
): SecretReference[] {
  if (!spec) return [];
  const volumeSecrets = new Map<
    string,
    { kind: 'volume' | 'projected'; secretNames: string[] }
  >();
  for (const volume of spec.volumes ?? []) {
    if (!volume?.name) continue;
    if (volume.secret?.secretName) {
      volumeSecrets.set(volume.name, {
        kind: 'volume',
        secretNames: [volume.secret.secretName],
      });
    } else if (volume.projected?.sources) {
      const secretNames = volume.projected.sources
        .map(source => source?.secret?.name)
        .filter((name): name is string => Boolean(name));
      if (secretNames.length > 0) {
        volumeSecrets.set(volume.name, { kind: 'projected', secretNames });
      }
    }
  }

  const references: SecretReference[] = [];
  const containers = [
    ...(spec.initContainers ?? []),
    ...(spec.containers ?? []),
  ];
  for (const container of containers) {
    const containerName = container?.name ?? '';
    for (const variable of container?.env ?? []) {
      const ref = variable?.valueFrom?.secretKeyRef;
      if (ref?.name) {
        references.push({
          secretName: ref.name,
          kind: 'env',
          container: containerName,
          key: ref.key ?? null,
          volume: null,
        });
      }
    }
    for (const source of container?.envFrom ?? []) {
      if (source?.secretRef?.name) {
        references.push({
          secretName: source.secretRef.name,
          kind: 'envFrom',
          container: containerName,
          key: null,
          volume: null,
        });
      }
    }
    for (const mount of container?.volumeMounts ?? []) {
      const volume = mount?.name ? volumeSecrets.get(mount.name) : undefined;
      if (!volume || !mount.name) continue;
      const kind = mount.subPath || mount.subPathExpr ? 'subPath' : volume.kind;
      for (const secretName of volume.secretNames) {
        references.push({
          secretName,
          kind,
          container: containerName,
          key: null,
          volume: mount.name,
        });
      }
    }
  }
  return references;
}
