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

// The entry point of one backend process for the tests that kill one
// (BackendProcess starts it): the plugins as deployed, Backstage's own
// scheduler and database manager, against a sandbox another process runs.
// Prints `listening <port>`, then every log line, one per line.

import type { JsonObject } from '@backstage/types';
import { startSandboxBackend } from './testBackend';

/** What the parent hands over in `ONEPASSWORD_BACKEND_PROCESS`. */
export interface BackendProcessOptions {
  clusters: Array<{ name: string; url: string; caData: string }>;
  connectUrls: Record<string, string>;
  connectTokens: Record<string, string>;
  clusterTokens: Record<string, string>;
  database: JsonObject;
  onePasswordConfig: Record<string, unknown>;
}

/** Log lines go to stdout as they come, for the parent to read. */
class PrintedLines extends Array<string> {
  push(...lines: string[]): number {
    for (const line of lines) {
      process.stdout.write(`${line.replace(/\n/g, ' ')}\n`);
    }
    return this.length;
  }
}

async function main() {
  const options: BackendProcessOptions = JSON.parse(
    process.env.ONEPASSWORD_BACKEND_PROCESS ?? '',
  );
  const backend = await startSandboxBackend({
    sandbox: {
      clusters: options.clusters,
      connectServer: name => ({ url: options.connectUrls[name] }),
    },
    connectTokens: options.connectTokens,
    clusterToken: cluster => options.clusterTokens[cluster],
    entities: [],
    logLines: new PrintedLines(),
    onePasswordConfig: options.onePasswordConfig,
    deployed: { database: options.database },
  });
  process.stdout.write(`listening ${backend.server.port()}\n`);
  const stop = () => {
    backend.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
