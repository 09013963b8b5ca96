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

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startRealWorld } from './realWorld';

const USAGE = `Usage: yarn workspace @internal/real-cluster real-world [options]

Starts a scenario on the real components: the sandbox's Connect servers, and
for each cluster a real kube-apiserver (with etcd) and the real 1Password
operator. Build them first with packages/real-cluster/scripts/build.sh.

Options:
  --scenario NAME|FILE   a built-in scenario (demo) or a scenario YAML file (default: demo)
  --info FILE            write URLs, tokens and CA data as JSON once everything listens
  --any-ports            listen on free ports instead of the scenario's
  --help                 show this text
`;

async function main(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string' },
      info: { type: 'string' },
      'any-ports': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const started = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), 'real-world-'));
  const world = await startRealWorld(values.scenario ?? 'demo', {
    anyPorts: values['any-ports'],
    workDir,
  });
  const infoFile = values.info ? resolve(values.info) : undefined;
  if (infoFile) {
    writeFileSync(infoFile, `${JSON.stringify(world.info, null, 2)}\n`, {
      mode: 0o600,
    });
  }
  process.stdout.write(
    `${[
      `Real world '${world.scenario.name}' started in ${
        Date.now() - started
      } ms:`,
      ...world.info.connect.map(
        server =>
          `  connect (sandbox)       ${server.name.padEnd(12)} ${server.url}`,
      ),
      ...world.info.clusters.map(
        cluster =>
          `  kube-apiserver + operator ${cluster.name.padEnd(10)} ${
            cluster.url
          }`,
      ),
      `Logs: ${workDir}/<cluster>/{etcd,kube-apiserver,operator-1}.log`,
      'Press Ctrl+C to stop.',
    ].join('\n')}\n`,
  );
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    world
      .stop()
      .then(() => {
        if (infoFile) rmSync(infoFile, { force: true });
        rmSync(workDir, { recursive: true, force: true });
        process.exit(0);
      })
      .catch(error => {
        process.stderr.write(`real-world: failed to stop cleanly: ${error}\n`);
        process.exit(1);
      });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main(process.argv.slice(2)).catch(error => {
  process.stderr.write(
    `real-world: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
