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

import { request as httpsRequest } from 'node:https';
import { ClusterSpec } from '../../scenario/types';
import { loadOrCreateCa, startKubernetesCluster } from '..';

/** A running Kubernetes API server the shared cases talk to, as the admin. */
export interface ClusterUnderTest {
  url: string;
  /** Base64 of the CA PEM. */
  caData: string;
  adminToken: string;
  /** POSTs an object (with apiVersion and kind) to its collection. */
  create(object: any): Promise<void>;
  /** Merge-patches an object's status subresource at `path`. */
  patchStatus(path: string, status: unknown): Promise<void>;
  /** Only where the target can refuse connections on purpose. */
  setDown?(down: boolean): void;
  stop(): Promise<void>;
}

/**
 * Where the shared cases run: the sandbox's API server, or (from
 * `@internal/real-cluster`) a real kube-apiserver seeded from the same spec.
 */
export interface ClusterTarget {
  name: string;
  /** Seeds `spec` (tokens: first the admin, then readers) with no operator running. */
  start(spec: ClusterSpec, dir: string): Promise<ClusterUnderTest>;
  /** The real server decodes protobuf bodies; the sandbox answers 415. */
  decodesProtobuf: boolean;
  canGoDown: boolean;
}

/** The collection path of an object, from its apiVersion, kind and namespace. */
export function collectionPath(object: any): string {
  const plural = `${String(object.kind).toLowerCase()}s`;
  const prefix = String(object.apiVersion).includes('/')
    ? `/apis/${object.apiVersion}`
    : `/api/${object.apiVersion}`;
  const namespace = object.metadata?.namespace;
  return namespace
    ? `${prefix}/namespaces/${namespace}/${plural}`
    : `${prefix}/${plural}`;
}

/** One admin request that must answer 2xx. */
function adminRequest(
  cluster: { url: string; caData: string; adminToken: string },
  method: string,
  path: string,
  body: unknown,
  contentType = 'application/json',
): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      `${cluster.url}${path}`,
      {
        method,
        ca: Buffer.from(cluster.caData, 'base64'),
        headers: {
          Authorization: `Bearer ${cluster.adminToken}`,
          'Content-Type': contentType,
        },
      },
      response => {
        let text = '';
        response.on('data', chunk => (text += chunk));
        response.on('end', () =>
          response.statusCode! < 300
            ? resolve()
            : reject(
                new Error(`${method} ${path}: ${response.statusCode} ${text}`),
              ),
        );
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

/** The writes every target does the same way: over HTTP, as the admin. */
export function httpWrites(cluster: {
  url: string;
  caData: string;
  adminToken: string;
}): Pick<ClusterUnderTest, 'create' | 'patchStatus'> {
  return {
    create: object =>
      adminRequest(cluster, 'POST', collectionPath(object), object),
    patchStatus: (path, status) =>
      adminRequest(
        cluster,
        'PATCH',
        `${path}/status`,
        { status },
        'application/merge-patch+json',
      ),
  };
}

/** The sandbox's own API server. */
export const sandboxTarget: ClusterTarget = {
  name: 'sandbox',
  decodesProtobuf: false,
  canGoDown: true,
  start: async (spec, dir) => {
    const cluster = await startKubernetesCluster({
      spec,
      ca: loadOrCreateCa(dir),
      connect: { url: 'http://127.0.0.1:1', token: 'unused' },
    });
    return {
      url: cluster.url,
      caData: cluster.caData,
      adminToken: cluster.adminToken,
      ...httpWrites(cluster),
      setDown: down => cluster.faults.setDown(down),
      stop: () => cluster.stop(),
    };
  },
};
