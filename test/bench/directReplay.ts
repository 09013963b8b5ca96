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

import { Agent, request } from 'node:https';
import type { ObservedRequest } from './requestRecorder';

/** How to reach one sandbox server directly. */
export interface DirectTarget {
  name: string;
  url: string;
  token: string;
  /** Base64 PEM of the CA, for HTTPS targets (clusters). */
  caData?: string;
}

/** Same as the refresh: up to 8 clusters at once. */
const CLUSTER_CONCURRENCY = 8;

/** One GET straight to a sandbox server, parsed; throws on an error status. */
export async function getJson(
  target: DirectTarget,
  agent: Agent | undefined,
  observed: Pick<ObservedRequest, 'url' | 'accept'>,
): Promise<unknown> {
  const headers = {
    Authorization: `Bearer ${target.token}`,
    Accept: observed.accept ?? 'application/json',
  };
  const url = `${target.url}${observed.url}`;
  if (!agent) return fetchJson(url, headers);
  return getOverKeptAlive(url, agent, headers);
}

/**
 * A `fetch` that retries twice when the request failed on the way (no
 * answer at all): at 50 concurrent on-demand clients on a loaded machine a
 * connection to the sandbox can time out or be reset, which a browser
 * would retry; an answer with an error status is not retried.
 */
async function fetchJson(
  url: string,
  headers: Record<string, string>,
  attempt = 0,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { headers });
  } catch (error) {
    if (attempt >= 2) throw error;
    await new Promise(resolve => setTimeout(resolve, 100 * (attempt + 1)));
    return fetchJson(url, headers, attempt + 1);
  }
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

/** Retries once where the server closed a kept-alive socket just as it was reused. */
const RETRIED_SOCKET_ERRORS = new Set(['ECONNRESET', 'EPIPE']);

async function getOverKeptAlive(
  url: string,
  agent: Agent,
  headers: Record<string, string>,
  retried = false,
): Promise<unknown> {
  try {
    return await getOnce(url, agent, headers);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (retried || !RETRIED_SOCKET_ERRORS.has(code)) throw error;
    return getOverKeptAlive(url, agent, headers, true);
  }
}

function getOnce(
  url: string,
  agent: Agent,
  headers: Record<string, string>,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    request(url, { agent, headers }, response => {
      const chunks: Buffer[] = [];
      response.on('data', chunk => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        if ((response.statusCode ?? 0) >= 400) {
          reject(new Error(`${url} answered ${response.statusCode}`));
        } else {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        }
      });
    })
      .on('error', reject)
      .end();
  });
}

/**
 * The bare I/O of a refresh: sends the GET requests a refresh sent straight
 * to the sandbox servers and parses the answers, with nothing evaluated or
 * stored. Connect requests go one after another (as the plugin reads item
 * lists vault by vault); each cluster's lists go at once, up to 8 clusters at
 * a time (as the plugin does). Returns the milliseconds it took.
 */
export async function replayDirectly(
  requests: ObservedRequest[],
  targets: DirectTarget[],
): Promise<number> {
  const byName = new Map(targets.map(t => [t.name, t]));
  const agents = new Map(
    targets
      .filter(t => t.caData)
      .map(t => [
        t.name,
        new Agent({
          keepAlive: true,
          ca: Buffer.from(t.caData!, 'base64').toString('utf8'),
        }),
      ]),
  );
  const groups = new Map<string, ObservedRequest[]>();
  // A watch is held open between refreshes: it is no request a refresh waits for.
  const isWatch = (r: ObservedRequest) => /[?&]watch=(1|true)\b/.test(r.url);
  for (const observed of requests.filter(
    r => r.method === 'GET' && !isWatch(r),
  )) {
    groups.set(observed.target, [
      ...(groups.get(observed.target) ?? []),
      observed,
    ]);
  }
  const connectGroups = [...groups].filter(([name]) => !agents.has(name));
  const clusterGroups = [...groups].filter(([name]) => agents.has(name));

  const started = performance.now();
  await Promise.all(
    connectGroups.map(async ([name, list]) => {
      for (const observed of list) {
        await getJson(byName.get(name)!, undefined, observed);
      }
    }),
  );
  let next = 0;
  await Promise.all(
    Array.from({ length: CLUSTER_CONCURRENCY }, async () => {
      while (next < clusterGroups.length) {
        const [name, list] = clusterGroups[next++];
        await Promise.all(
          list.map(observed =>
            getJson(byName.get(name)!, agents.get(name), observed),
          ),
        );
      }
    }),
  );
  const elapsed = performance.now() - started;
  agents.forEach(agent => agent.destroy());
  return elapsed;
}
