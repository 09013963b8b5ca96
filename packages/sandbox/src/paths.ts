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

import { dirname, resolve } from 'node:path';

/** The sandbox package's own directory, found the same way from source and from a build. */
const SANDBOX_PACKAGE_DIR = dirname(
  require.resolve('@internal/sandbox/package.json'),
);

/** Where the CA and other state live by default: `<repo root>/.cache/sandbox`. @public */
export const DEFAULT_STATE_DIR = resolve(
  SANDBOX_PACKAGE_DIR,
  '../../.cache/sandbox',
);

/** Directory of the scenarios shipped with the sandbox (`demo`, ...). */
export const BUILT_IN_SCENARIOS_DIR = resolve(SANDBOX_PACKAGE_DIR, 'scenarios');
