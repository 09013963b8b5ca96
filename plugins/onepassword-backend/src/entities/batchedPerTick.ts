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
 * `run` for one input, batched with the other calls made in the same turn
 * of the event loop: under concurrent requests, one database query serves
 * many (each query costs its compilation and planning whatever it returns),
 * and a lone call waits one turn. `run` answers one result per input, in
 * order; if it throws, every call of the batch rejects with its error.
 */
export function batchedPerTick<T, R>(
  run: (inputs: T[]) => Promise<R[]>,
  maxBatch: number,
): (input: T) => Promise<R> {
  const queued: Array<{
    input: T;
    resolve(result: R): void;
    reject(error: unknown): void;
  }> = [];

  async function flush() {
    const batch = queued.splice(0, maxBatch);
    if (queued.length > 0) setImmediate(flush);
    try {
      const results = await run(batch.map(b => b.input));
      batch.forEach((b, i) => b.resolve(results[i]));
    } catch (error) {
      batch.forEach(b => b.reject(error));
    }
  }

  return input =>
    new Promise<R>((resolve, reject) => {
      if (queued.length === 0) setImmediate(flush);
      queued.push({ input, resolve, reject });
    });
}
