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

import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { resolve } from 'node:path';

/**
 * The running sandbox as `./scripts/start` describes it in its info file:
 * the browser tests change the world through the same real APIs (Connect's
 * REST API, the Kubernetes API) that a person would use.
 */
interface SandboxInfo {
  connect: Array<{ name: string; url: string; token: string }>;
  clusters: Array<{ name: string; url: string; token: string; caData: string }>;
}

function sandboxInfo(): SandboxInfo {
  const file = resolve(__dirname, '../../.cache/sandbox/info.json');
  return JSON.parse(readFileSync(file, 'utf8'));
}

export class ConnectApi {
  static forServer(name: string): ConnectApi {
    const server = sandboxInfo().connect.find(s => s.name === name);
    if (!server) throw new Error(`No Connect server '${name}' in the sandbox`);
    return new ConnectApi(server.url, server.token);
  }

  private constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call<T = any>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        'Content-Type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(
        `${method} ${path}: ${response.status} ${await response.text()}`,
      );
    }
    return (await response.json()) as T;
  }

  async vaultId(name: string): Promise<string> {
    const vaults = await this.call<Array<{ id: string }>>(
      'GET',
      `/v1/vaults?filter=${encodeURIComponent(`name eq "${name}"`)}`,
    );
    if (vaults.length !== 1) throw new Error(`No single vault '${name}'`);
    return vaults[0].id;
  }

  async findItem(vaultId: string, title: string) {
    const items = await this.call<Array<{ id: string; version: number }>>(
      'GET',
      `/v1/vaults/${vaultId}/items?filter=${encodeURIComponent(
        `title eq "${title}"`,
      )}`,
    );
    return items[0];
  }
}

/**
 * The sandbox Connect server's control endpoints (`/__sandbox/`), which stand
 * in for what a person does in 1Password: revoke a Connect token, edit an item
 * at a given time.
 */
export class ConnectControl {
  static forServer(name: string): ConnectControl {
    const server = sandboxInfo().connect.find(s => s.name === name);
    if (!server) throw new Error(`No Connect server '${name}' in the sandbox`);
    return new ConnectControl(server.url, `sandbox-connect-${name}-control`);
  }

  private constructor(
    private readonly baseUrl: string,
    private readonly adminToken: string,
  ) {}

  private async call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${this.baseUrl}/__sandbox${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.adminToken}`,
        'Content-Type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(
        `${method} ${path}: ${response.status} ${await response.text()}`,
      );
    }
  }

  revokeToken(name: string) {
    return this.call('POST', `/tokens/${encodeURIComponent(name)}/revoke`);
  }

  restoreToken(name: string) {
    return this.call('POST', `/tokens/${encodeURIComponent(name)}/restore`);
  }

  /** Edits an item (by vault name and item title) as if at `updatedAt`. */
  editItem(
    vault: string,
    item: string,
    changes: { fields?: Record<string, string>; updatedAt?: string },
  ) {
    return this.call(
      'POST',
      `/vaults/${encodeURIComponent(vault)}/items/${encodeURIComponent(
        item,
      )}/edit`,
      changes,
    );
  }
}

export class KubernetesApi {
  static forCluster(name: string): KubernetesApi {
    const cluster = sandboxInfo().clusters.find(c => c.name === name);
    if (!cluster) throw new Error(`No cluster '${name}' in the sandbox`);
    return new KubernetesApi(
      cluster.url,
      cluster.token,
      Buffer.from(cluster.caData, 'base64').toString('utf8'),
    );
  }

  private constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly ca: string,
  ) {}

  call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> {
    return new Promise((resolvePromise, reject) => {
      const req = request(
        `${this.baseUrl}${path}`,
        {
          method,
          ca: this.ca,
          headers: {
            Authorization: `Bearer ${this.token}`,
            Accept: 'application/json',
            'Content-Type': contentType,
          },
        },
        res => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', chunk => (text += chunk));
          res.on('end', () => {
            if ((res.statusCode ?? 500) >= 300) {
              reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
            } else {
              resolvePromise(JSON.parse(text));
            }
          });
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.write(JSON.stringify(body));
      req.end();
    });
  }
}

/**
 * Sets the operator's POLLING_INTERVAL on its Deployment, as a Helm upgrade
 * would; returns a function that puts the previous value back.
 */
export async function setOperatorPollingInterval(
  cluster: string,
  seconds: number,
): Promise<() => Promise<void>> {
  const kubernetes = KubernetesApi.forCluster(cluster);
  const path =
    '/apis/apps/v1/namespaces/onepassword/deployments/onepassword-connect-operator';
  const setInterval = async (value: string) => {
    const deployment = await kubernetes.call('GET', path);
    const env: Array<{ name: string; value?: string }> =
      deployment.spec.template.spec.containers[0].env;
    const previous = env.find(e => e.name === 'POLLING_INTERVAL')?.value;
    deployment.spec.template.spec.containers[0].env = [
      ...env.filter(e => e.name !== 'POLLING_INTERVAL'),
      { name: 'POLLING_INTERVAL', value },
    ];
    await kubernetes.call('PUT', path, deployment);
    return previous;
  };
  const previous = await setInterval(String(seconds));
  return async () => {
    await setInterval(previous ?? '600');
  };
}
