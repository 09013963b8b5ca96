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

import { OperatorAnnotations } from '@secret-sync/backstage-plugin-onepassword-common';
import {
  KubernetesProxyClient,
  METADATA_LIST_ACCEPT,
} from './KubernetesProxyClient';
import {
  ClusterFacts,
  DeploymentResource,
  EventResource,
  KubernetesList,
  NamespaceResource,
  ObjectMeta,
  OnePasswordItemResource,
} from './types';

const OPERATOR_EVENT_REASONS = ['ReconcileError', 'RateLimited'];

/**
 * Reads the objects one refresh needs from one cluster: OnePasswordItems,
 * operator-managed Secrets (metadata only), Deployments, Namespaces and the
 * operator's events.
 */
export async function readClusterFacts(
  client: KubernetesProxyClient,
  cluster: string,
): Promise<ClusterFacts> {
  const [namespaces, onePasswordItems, secrets, deployments, events] =
    await Promise.all([
      client.get<KubernetesList<NamespaceResource>>(
        cluster,
        '/api/v1/namespaces',
      ),
      client.get<KubernetesList<OnePasswordItemResource>>(
        cluster,
        '/apis/onepassword.com/v1/onepassworditems',
      ),
      client.get<KubernetesList<{ metadata: ObjectMeta }>>(
        cluster,
        '/api/v1/secrets',
        METADATA_LIST_ACCEPT,
      ),
      client.get<KubernetesList<DeploymentResource>>(
        cluster,
        '/apis/apps/v1/deployments',
      ),
      client.get<KubernetesList<EventResource>>(cluster, '/api/v1/events'),
    ]);
  if (secrets.kind !== 'PartialObjectMetadataList') {
    // Never hold Secret data, even if something on the way dropped the Accept header.
    throw new Error(
      `Cluster '${cluster}' answered the metadata-only Secret list with '${secrets.kind}'; refusing to read Secrets`,
    );
  }
  return {
    namespaces: namespaces.items,
    onePasswordItems: onePasswordItems.items,
    secrets: secrets.items
      .map(s => s.metadata)
      .filter(
        m =>
          m.annotations?.[OperatorAnnotations.itemPath] !== undefined &&
          m.annotations?.[OperatorAnnotations.itemVersion] !== undefined,
      ),
    deployments: deployments.items,
    events: events.items.filter(e =>
      OPERATOR_EVENT_REASONS.includes(e.reason ?? ''),
    ),
  };
}
