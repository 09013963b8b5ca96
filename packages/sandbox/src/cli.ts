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

import { isError } from '@backstage/errors';
import { rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { consoleLogger } from './logger';
import {
  generateScenario,
  parseGenerateOptions,
} from './scenario/generateScenario';
import { Scenario } from './scenario/types';
import { DEFAULT_STATE_DIR, startSandbox } from './sandbox';

const USAGE = `Usage: yarn sandbox [options]

Starts fake 1Password Connect servers, Kubernetes clusters and operators.

Options:
  --scenario NAME|FILE   a built-in scenario (demo) or a scenario YAML file (default: demo)
  --generate SIZES       a generated scenario instead, e.g. services=5000,items=20000,clusters=50,vaults=100
  --save-scenario FILE   with --generate: also write the generated scenario as YAML
  --info FILE            write URLs, tokens and CA data as JSON once everything listens
  --any-ports            listen on free ports instead of the scenario's (generated scenarios always do)
  --state-dir DIR        where the CA lives (default: ${DEFAULT_STATE_DIR})
  --help                 show this text
`;

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string' },
      generate: { type: 'string' },
      'save-scenario': { type: 'string' },
      info: { type: 'string' },
      'any-ports': { type: 'boolean' },
      'state-dir': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (values.scenario && values.generate) {
    throw new Error('Use either --scenario or --generate, not both');
  }

  let scenario: Scenario | string = values.scenario ?? 'demo';
  if (values.generate !== undefined) {
    scenario = generateScenario(parseGenerateOptions(values.generate));
    if (values['save-scenario']) {
      writeFileSync(values['save-scenario'], stringify(scenario));
    }
  }

  const logger = consoleLogger();
  const started = Date.now();
  const sandbox = await startSandbox(scenario, {
    anyPorts: values['any-ports'],
    stateDir: values['state-dir'] ? resolve(values['state-dir']) : undefined,
    logger,
  });

  const infoFile = values.info ? resolve(values.info) : undefined;
  if (infoFile) {
    // The info file holds (fake) tokens: readable by the owner only.
    writeFileSync(infoFile, `${JSON.stringify(sandbox.info, null, 2)}\n`, {
      mode: 0o600,
    });
  }
  const lines = [
    `Sandbox '${sandbox.scenario.name}' started in ${Date.now() - started} ms:`,
    ...sandbox.info.connect.map(
      server => `  connect  ${server.name.padEnd(12)} ${server.url}`,
    ),
    ...sandbox.info.clusters.map(
      cluster => `  cluster  ${cluster.name.padEnd(12)} ${cluster.url}`,
    ),
    infoFile
      ? `Tokens and CA data: ${infoFile}`
      : 'Pass --info FILE to get tokens and CA data.',
    'Press Ctrl+C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`Received ${signal}, stopping`);
    sandbox
      .stop()
      .then(() => {
        if (infoFile) rmSync(infoFile, { force: true });
        process.exit(0);
      })
      .catch(error => {
        logger.error(
          `Failed to stop cleanly: ${isError(error) ? error.message : error}`,
        );
        process.exit(1);
      });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main(process.argv.slice(2)).catch(error => {
  process.stderr.write(
    `sandbox: ${isError(error) ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
