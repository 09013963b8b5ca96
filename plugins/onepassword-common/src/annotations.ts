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
 * Catalog annotation naming the 1Password vaults an entity owns, comma separated
 * (titles or ids). Used by the audit page and by the credentials template.
 * @public
 */
export const ONEPASSWORD_VAULTS_ANNOTATION = '1password.com/vaults';

/**
 * Catalog annotation naming the Connect server (by configured name) whose
 * vaults the entity's `1password.com/vaults` means, where several servers
 * serve vaults of the same title: the catalog module's vault ownership
 * follows it. Which server a synced Secret is compared with is never taken
 * from it: that is the cluster operator's (`OP_CONNECT_HOST`, or
 * `onepassword.clusters.<name>.connectServer`).
 * @public
 */
export const ONEPASSWORD_CONNECT_SERVER_ANNOTATION =
  '1password.com/connect-server';

/**
 * The Kubernetes plugin's entity annotations, reused so an entity is linked to
 * its Secrets exactly as it is linked to its workloads.
 * @public
 */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
/** @public */
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';
/** @public */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';

/**
 * Annotations and tags of the 1Password Kubernetes operator (v1.12), as written
 * and read by its source (`pkg/onepassword/annotations.go`).
 * @public
 */
export const OperatorAnnotations = {
  itemPath: 'operator.1password.io/item-path',
  itemVersion: 'operator.1password.io/item-version',
  itemName: 'operator.1password.io/item-name',
  autoRestart: 'operator.1password.io/auto-restart',
  lastRestarted: 'operator.1password.io/last-restarted',
} as const;

/**
 * 1Password item tag that makes the operator update only the Secret's
 * annotations, never its data, and skip restarts.
 * @public
 */
export const OPERATOR_IGNORE_SECRET_TAG = 'operator.1password.io:ignore-secret';

/**
 * `spec.type` of the catalog `Resource` entities that stand for 1Password
 * vaults (published by the catalog module).
 * @public
 */
export const ONEPASSWORD_VAULT_ENTITY_TYPE = '1password-vault';

/**
 * Annotation of a vault `Resource`: the vault's id, which Connect servers
 * and Secrets' records know it by.
 * @public
 */
export const ONEPASSWORD_VAULT_ID_ANNOTATION = '1password.com/vault-id';

/**
 * Annotation of a vault `Resource`: the configured Connect servers that
 * serve the vault, comma separated.
 * @public
 */
export const ONEPASSWORD_CONNECT_SERVERS_ANNOTATION =
  '1password.com/connect-servers';
