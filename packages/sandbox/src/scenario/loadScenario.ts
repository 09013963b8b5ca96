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

import { InputError } from '@backstage/errors';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { BUILT_IN_SCENARIOS_DIR } from '../paths';
import { parseScenario } from './parseScenario';
import { Scenario } from './types';

/** The file a scenario reference names: a built-in name such as `demo`, or a path. */
export function scenarioFilePath(reference: string): string {
  if (/^[\w-]+$/.test(reference)) {
    const builtIn = resolve(BUILT_IN_SCENARIOS_DIR, `${reference}.yaml`);
    if (existsSync(builtIn)) {
      return builtIn;
    }
  }
  const file = resolve(reference);
  if (!existsSync(file)) {
    throw new InputError(
      `No scenario '${reference}': neither a built-in scenario nor an existing file`,
    );
  }
  return file;
}

/** Reads, checks and resolves a scenario YAML file (see {@link parseScenario}). */
function loadScenarioFile(
  file: string,
  options: { now?: Date } = {},
): Scenario {
  const text = readFileSync(file, 'utf8');
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new InputError(
      `Scenario ${file} is not valid YAML: ${(error as Error).message}`,
    );
  }
  try {
    return parseScenario(data, options);
  } catch (error) {
    if (error instanceof InputError) {
      throw new InputError(`Scenario ${file}: ${error.message}`);
    }
    throw error;
  }
}

/**
 * A scenario from a built-in name (`demo`), a file path, or an object built in
 * code; always checked and resolved.
 */
export function loadScenario(
  reference: string | Scenario,
  options: { now?: Date } = {},
): Scenario {
  if (typeof reference === 'string') {
    return loadScenarioFile(scenarioFilePath(reference), options);
  }
  return parseScenario(structuredClone(reference), options);
}
