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
const { parentPort, workerData } = require('node:worker_threads');

async function main() {
  const { urls, concurrency } = workerData;
  const itemCounts = new Array(urls.length);
  const call = async index => {
    const response = await fetch(urls[index]);
    if (!response.ok) {
      throw new Error(`GET ${urls[index]} answered ${response.status}`);
    }
    const body = await response.json();
    itemCounts[index] = Array.isArray(body.items) ? body.items.length : null;
  };
  // One unrecorded round of warm-up calls, as sampleConcurrently does.
  await Promise.all(
    Array.from({ length: Math.min(concurrency, urls.length) }, (_, i) =>
      call(i),
    ),
  );
  const samples = [];
  let next = 0;
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
  parentPort.postMessage({ samples, seconds, itemCounts });
}

main().catch(error => {
  parentPort.postMessage({ error: String(error?.stack ?? error) });
});
