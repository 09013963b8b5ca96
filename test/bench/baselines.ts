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

import { Agent } from 'node:https';
import { DirectTarget, getJson } from './directReplay';

const METADATA_LIST_ACCEPT =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

interface OnePasswordItemList {
  items: Array<{ spec?: { itemPath?: string } }>;
}

/**
 * The on-demand baseline: what a plugin that reads Connect and the clusters
 * when a page opens (as the Backstage Vault and Kubernetes plugins do) sends
 * for one entity, straight to the sandbox servers with no Backstage in
 * between. Every cluster is asked for the entity's OnePasswordItems and
 * Secrets (metadata only) by its `backstage.io/kubernetes-id` label, as the
 * Kubernetes plugin fans out; then Connect for each item, by the vault and
 * item titles of its path.
 */
export class OnDemandReader {
  static create(connect: DirectTarget, clusters: DirectTarget[]) {
    return new OnDemandReader(
      connect,
      clusters.map(cluster => ({
        cluster,
        agent: new Agent({
          keepAlive: true,
          maxSockets: 16,
          ca: Buffer.from(cluster.caData!, 'base64').toString('utf8'),
        }),
      })),
    );
  }

  private constructor(
    private readonly connect: DirectTarget,
    private readonly clusters: Array<{ cluster: DirectTarget; agent: Agent }>,
  ) {}

  /** The entity's items with their Connect versions; how many requests it took. */
  async readEntity(
    kubernetesId: string,
  ): Promise<{ items: number; requests: number }> {
    const selector = encodeURIComponent(
      `backstage.io/kubernetes-id=${kubernetesId}`,
    );
    let requests = 0;
    const perCluster = await Promise.all(
      this.clusters.map(async ({ cluster, agent }) => {
        const [items] = await Promise.all([
          getJson(cluster, agent, {
            url: `/apis/onepassword.com/v1/onepassworditems?labelSelector=${selector}`,
            accept: 'application/json',
          }) as Promise<OnePasswordItemList>,
          getJson(cluster, agent, {
            url: `/api/v1/secrets?labelSelector=${selector}`,
            accept: METADATA_LIST_ACCEPT,
          }),
        ]);
        requests += 2;
        return items.items;
      }),
    );
    const vaultIds = new Map<string, Promise<string>>();
    const vaultId = (title: string) => {
      if (!vaultIds.has(title)) {
        requests++;
        vaultIds.set(
          title,
          (
            getJson(this.connect, undefined, {
              url: `/v1/vaults?filter=${encodeURIComponent(
                `name eq "${title}"`,
              )}`,
              accept: 'application/json',
            }) as Promise<Array<{ id: string }>>
          ).then(vaults => vaults[0].id),
        );
      }
      return vaultIds.get(title)!;
    };
    const items = perCluster.flat();
    await Promise.all(
      items.map(async item => {
        const [, vault, , title] = (item.spec?.itemPath ?? '').split('/');
        const id = await vaultId(vault);
        requests++;
        await getJson(this.connect, undefined, {
          url: `/v1/vaults/${id}/items?filter=${encodeURIComponent(
            `title eq "${title}"`,
          )}`,
          accept: 'application/json',
        });
      }),
    );
    return { items: items.length, requests };
  }

  close() {
    this.clusters.forEach(({ agent }) => agent.destroy());
  }
}

/**
 * The per-item polling baseline: one `GET` per item per polling cycle, as the
 * operator itself polls Connect, over an hour.
 */
export function perItemPollingRequestsPerHour(
  items: number,
  pollingIntervalSeconds: number,
): number {
  return items * (3600 / pollingIntervalSeconds);
}
