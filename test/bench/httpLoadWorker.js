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

// Concurrent HTTP clients on an event loop of their own (see
// sampleHttpConcurrently in measure.ts): the sandbox's work on the bench's
// own loop does not delay the clients' reading of the answers.
//
// The clients share the backend's 2 cores, so they must cost little: one
// keep-alive connection per client (undici's Pool), the body read as text
// and parsed only after the timed run. Global fetch cost 280 us of CPU per
// call, undici's request API 58 us (measured against a plain node:http
// server answering a fixed body): with fetch, at 50 clients the bench
// measured its own client as much as the backend.
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const { Pool } = require('undici');

async function main() {
  const { urls, warmUpUrls, concurrency } = workerData;
  const { origin } = new URL(urls[0]);
  const pathOf = url => {
    const { pathname, search } = new URL(url);
    return pathname + search;
  };
  const paths = urls.map(pathOf);
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1 });
  const bodies = new Array(urls.length);
  const get = async path => {
    const response = await pool.request({ path, method: 'GET' });
    const body = await response.body.text();
    if (response.statusCode !== 200) {
      throw new Error(`GET ${path} answered ${response.statusCode}: ${body}`);
    }
    return body;
  };
  const call = async index => {
    bodies[index] = await get(paths[index]);
  };
  try {
    // One unrecorded round of warm-up calls (opening the connections), as
    // sampleConcurrently does; of other URLs when given, so that no timed
    // call reads an answer the warm-up made the server cache.
    await Promise.all(
      Array.from({ length: Math.min(concurrency, urls.length) }, (_, i) =>
        get(pathOf(warmUpUrls?.[i] ?? urls[i])),
      ),
    );
    // The parent reads the backend's CPU time between warm-up and run.
    parentPort.postMessage({ warm: true });
    await new Promise(resolve => parentPort.once('message', resolve));
    const samples = [];
    let next = 0;
    const loop = performance.eventLoopUtilization();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < urls.length) {
          const index = next++;
          const at = performance.now();
          await call(index);
          samples.push(performance.now() - at);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    // How busy the clients' own loop was: near 1, the figure is the client's.
    const clientUtilization =
      performance.eventLoopUtilization(loop).utilization;
    const itemCounts = bodies.map(body => {
      const parsed = JSON.parse(body);
      return Array.isArray(parsed.items) ? parsed.items.length : null;
    });
    parentPort.postMessage({ samples, seconds, itemCounts, clientUtilization });
  } finally {
    await pool.close();
  }
}

main().catch(error => {
  parentPort.postMessage({ error: String(error?.stack ?? error) });
});
