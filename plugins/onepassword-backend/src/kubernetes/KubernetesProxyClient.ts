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

import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { HEADER_KUBERNETES_CLUSTER } from '@backstage/plugin-kubernetes-backend';

/** Asks the API server for object metadata only: Secret data never leaves the cluster. */
export const METADATA_LIST_ACCEPT =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

/** Called for every request, for metrics. @public */
type KubernetesRequestObserver = (event: {
  cluster: string;
  error?: Error;
}) => void;

/**
 * Reads clusters through the Kubernetes plugin's own `/clusters` and
 * `/proxy` endpoints, so every cluster locator and auth strategy configured
 * there applies here, with the plugin's own service credentials.
 * @public
 */
export class KubernetesProxyClient {
  static create(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    timeoutMs?: number;
    observe?: KubernetesRequestObserver;
  }) {
    return new KubernetesProxyClient(
      options.discovery,
      options.auth,
      options.timeoutMs ?? 30_000,
      options.observe ?? (() => {}),
    );
  }

  private constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
    private readonly timeoutMs: number,
    private readonly observe: KubernetesRequestObserver,
  ) {}

  private async fetch(
    path: string,
    headers: Record<string, string>,
    signal: AbortSignal = AbortSignal.timeout(this.timeoutMs),
  ): Promise<Response> {
    const baseUrl = await this.discovery.getBaseUrl('kubernetes');
    // A fresh token per request, as the auth service asks.
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: 'kubernetes',
    });
    return fetch(`${baseUrl}${path}`, {
      headers: { ...headers, Authorization: `Bearer ${token}` },
      signal,
    });
  }

  /**
   * Opens a long-lived request to one cluster (a watch) and answers the raw
   * response, whatever its status: the caller reads the stream and the
   * codes. Ends when `signal` aborts, not on the request timeout.
   *
   * Asks for no content encoding: Backstage's HTTP server compresses
   * responses, and a compressed watch holds back its headers and its events
   * until a buffer fills, so changes would arrive late or never.
   */
  async open(
    cluster: string,
    path: string,
    options: { accept: string; signal: AbortSignal },
  ): Promise<Response> {
    try {
      const response = await this.fetch(
        `/proxy${path}`,
        {
          Accept: options.accept,
          'Accept-Encoding': 'identity',
          [HEADER_KUBERNETES_CLUSTER]: cluster,
        },
        options.signal,
      );
      this.observe({ cluster });
      return response;
    } catch (e) {
      this.observe({ cluster, error: e as Error });
      throw e;
    }
  }

  async listClusters(): Promise<string[]> {
    return (await this.listClusterInfo()).map(c => c.name);
  }

  /** The clusters with the auth provider each is configured with. */
  async listClusterInfo(): Promise<
    Array<{ name: string; authProvider: string | null }>
  > {
    const response = await this.fetch('/clusters', {
      Accept: 'application/json',
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const body = (await response.json()) as {
      items: Array<{ name: string; authProvider?: string }>;
    };
    return body.items.map(c => ({
      name: c.name,
      authProvider: c.authProvider ?? null,
    }));
  }

  /** GETs an API path of one cluster; `accept` picks e.g. metadata-only lists. */
  async get<T>(
    cluster: string,
    path: string,
    accept = 'application/json',
  ): Promise<T> {
    try {
      const response = await this.fetch(`/proxy${path}`, {
        Accept: accept,
        [HEADER_KUBERNETES_CLUSTER]: cluster,
      });
      if (!response.ok) throw await ResponseError.fromResponse(response);
      const body = (await response.json()) as T;
      this.observe({ cluster });
      return body;
    } catch (e) {
      this.observe({ cluster, error: e as Error });
      throw e;
    }
  }
}
