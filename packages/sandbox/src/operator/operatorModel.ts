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
 * What the operator writes, as pure functions: Secret names and data keys
 * (`kubernetes_secrets_builder.go`), the Secret built from an item, and the
 * `OnePasswordItem` status condition.
 */

import { KubeObject } from '../kubernetes/types';
import { OperatorItem } from './OperatorConnectClient';

const ANNOTATION_PREFIX = 'operator.1password.io';
export const ITEM_PATH_ANNOTATION = `${ANNOTATION_PREFIX}/item-path`;
export const ITEM_VERSION_ANNOTATION = `${ANNOTATION_PREFIX}/item-version`;
export const ITEM_NAME_ANNOTATION = `${ANNOTATION_PREFIX}/item-name`;
export const AUTO_RESTART_ANNOTATION = `${ANNOTATION_PREFIX}/auto-restart`;
export const LAST_RESTARTED_ANNOTATION = `${ANNOTATION_PREFIX}/last-restarted`;
/** An item tag (not a Kubernetes annotation): the poller updates annotations only. */
export const IGNORE_SECRET_TAG = `${ANNOTATION_PREFIX}:ignore-secret`;
export const FINALIZER = 'onepassword.com/finalizer.secret';

const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_NAME_LENGTH = 253;

/** A valid Secret name: lower case, invalid runs → `-`, at most 253, trimmed of `-.`. */
export function formatSecretName(value: string): string {
  if (DNS1123_SUBDOMAIN.test(value) && value.length <= MAX_NAME_LENGTH)
    return value;
  return value
    .toLowerCase()
    .replace(/[^a-z0-9-.]+/g, '-')
    .slice(0, MAX_NAME_LENGTH)
    .replace(/^[-.]+|[-.]+$/g, '');
}

/** A valid Secret data key: invalid characters at the ends dropped, inside → `-`. */
export function formatSecretDataKey(value: string): string {
  if (CONFIG_KEY.test(value) && value.length <= MAX_NAME_LENGTH) return value;
  return value
    .replace(/(^[^a-zA-Z0-9-._]+|[^a-zA-Z0-9-._]+$)/g, '')
    .replace(/[^a-zA-Z0-9-._]+/g, '-')
    .slice(0, MAX_NAME_LENGTH);
}

/**
 * Secret `data` (base64) from an item: URLs by label (primary wins), then
 * fields by label, then files by name where no field took the key. Empty
 * values and keys that sanitise to nothing are skipped.
 */
export function buildSecretData(item: OperatorItem): Record<string, string> {
  const data = new Map<string, Buffer>();
  const primaryKeys = new Set<string>();
  for (const url of item.urls) {
    const key = formatSecretDataKey(url.label);
    if (!data.has(key) || url.primary || !primaryKeys.has(key)) {
      data.set(key, Buffer.from(url.href));
      if (url.primary) primaryKeys.add(key);
    }
  }
  for (const field of item.fields) {
    data.set(formatSecretDataKey(field.label), Buffer.from(field.value));
  }
  for (const file of item.files) {
    if (!data.has(file.name)) data.set(file.name, file.content);
  }
  return Object.fromEntries(
    [...data]
      .filter(([key, value]) => key.length > 0 && value.length > 0)
      .map(([key, value]) => [key, value.toString('base64')]),
  );
}

/** `vaults/<vault id>/items/<item id>`: always ids, whatever the path used. */
export function itemIdPath(item: Pick<OperatorItem, 'vaultId' | 'id'>): string {
  return `vaults/${item.vaultId}/items/${item.id}`;
}

/** The annotations the operator wants on a Secret for `item`. */
export function secretAnnotations(
  item: Pick<OperatorItem, 'vaultId' | 'id' | 'version'>,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...extra,
    [ITEM_VERSION_ANNOTATION]: String(item.version),
    [ITEM_PATH_ANNOTATION]: itemIdPath(item),
  };
}

export interface SecretSource {
  name: string;
  namespace: string;
  item: OperatorItem;
  annotations: Record<string, string>;
  labels?: Record<string, string>;
  type?: string;
  owner: KubeObject;
}

/** The Secret `CreateKubernetesSecretFromItem` writes. */
export function buildSecret(source: SecretSource): KubeObject {
  const { owner } = source;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: formatSecretName(source.name),
      namespace: source.namespace,
      annotations: secretAnnotations(source.item, source.annotations),
      ...(source.labels && Object.keys(source.labels).length > 0
        ? { labels: source.labels }
        : {}),
      ownerReferences: [
        {
          apiVersion: owner.apiVersion!,
          kind: owner.kind!,
          name: owner.metadata.name!,
          uid: owner.metadata.uid!,
        },
      ],
    },
    type: source.type || 'Opaque',
    data: buildSecretData(source.item),
  };
}

export interface ReadyCondition {
  type: 'Ready';
  status: 'True' | 'False' | 'Unknown';
  message?: string;
  lastTransitionTime?: string;
}

/**
 * The OnePasswordItem status after a reconcile: one `Ready` condition whose
 * `lastTransitionTime` moves only when its status flips.
 */
export function readyStatus(
  previous: { conditions?: ReadyCondition[] } | undefined,
  error: string | undefined,
  now: string,
): { conditions: ReadyCondition[] } {
  const status = error === undefined ? 'True' : 'False';
  const before = previous?.conditions?.find(
    condition => condition.type === 'Ready',
  );
  return {
    conditions: [
      {
        type: 'Ready',
        status,
        ...(error !== undefined ? { message: error } : {}),
        lastTransitionTime:
          before && before.status === status && before.lastTransitionTime
            ? before.lastTransitionTime
            : now,
      },
    ],
  };
}

/** Names of the Secrets a Deployment's pods use (env, envFrom, volumes, projected, item-name). */
export function referencedSecretNames(deployment: KubeObject): Set<string> {
  const names = new Set<string>();
  const podSpec = deployment.spec?.template?.spec ?? {};
  for (const container of [
    ...(podSpec.containers ?? []),
    ...(podSpec.initContainers ?? []),
  ]) {
    for (const source of container.envFrom ?? []) {
      if (source.secretRef?.name) names.add(source.secretRef.name);
    }
    for (const variable of container.env ?? []) {
      const name = variable.valueFrom?.secretKeyRef?.name;
      if (name) names.add(name);
    }
  }
  for (const volume of podSpec.volumes ?? []) {
    if (volume.secret?.secretName) names.add(volume.secret.secretName);
    for (const source of volume.projected?.sources ?? []) {
      if (source.secret?.name) names.add(source.secret.name);
    }
  }
  const itemName =
    deploymentOperatorAnnotations(deployment)[ITEM_NAME_ANNOTATION];
  if (itemName) names.add(itemName);
  return names;
}

/**
 * The Deployment's `operator.1password.io/*` annotations (from its metadata,
 * or its pod template when the metadata has none), without `auto-restart`
 * and `last-restarted`, as `GetAnnotationsForDeployment` filters them.
 */
export function deploymentOperatorAnnotations(
  deployment: KubeObject,
): Record<string, string> {
  const pick = (annotations: Record<string, string> | undefined) =>
    Object.fromEntries(
      Object.entries(annotations ?? {}).filter(
        ([key]) =>
          /^operator\.1password\.io\/[a-zA-Z.]+/.test(key) &&
          key !== AUTO_RESTART_ANNOTATION &&
          key !== LAST_RESTARTED_ANNOTATION,
      ),
    );
  const own = pick(deployment.metadata.annotations);
  return Object.keys(own).length > 0
    ? own
    : pick(deployment.spec?.template?.metadata?.annotations);
}

/** `"true"`/`"false"` as Go's `strconv.ParseBool` reads them; undefined when unset or invalid. */
export function parseBoolean(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/**
 * Whether a Deployment using an updated Secret is restarted: the first of the
 * Secret, Deployment and Namespace `auto-restart` annotations that is set,
 * else the operator's `AUTO_RESTART`.
 */
export function autoRestartEnabled(
  secret: KubeObject,
  deployment: KubeObject,
  namespace: KubeObject | undefined,
  operatorDefault: boolean,
): boolean {
  for (const object of [secret, deployment, namespace]) {
    const value = parseBoolean(
      object?.metadata.annotations?.[AUTO_RESTART_ANNOTATION],
    );
    if (value !== undefined) return value;
  }
  return operatorDefault;
}
