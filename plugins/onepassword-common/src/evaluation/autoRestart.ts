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

import type { AutoRestartSetting } from '../api';

/**
 * Go's `strconv.ParseBool`, which the operator uses for annotation values.
 * Undefined for a value it rejects.
 */
function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/**
 * The effective auto-restart of a Secret, with the operator's precedence:
 * Secret annotation, then Deployment annotation, then Namespace annotation,
 * then the operator's `AUTO_RESTART`. A value the operator cannot parse
 * counts as false at the level where it is set, as the operator errors there.
 * @public
 */
export function resolveAutoRestart(options: {
  secret: string | null | undefined;
  deployments: Array<string | null | undefined>;
  namespace: string | null | undefined;
  operator: boolean;
}): AutoRestartSetting {
  const levels: Array<
    [AutoRestartSetting['source'], string | null | undefined]
  > = [
    ['secret', options.secret],
    [
      'deployment',
      options.deployments.find(v => v !== null && v !== undefined),
    ],
    ['namespace', options.namespace],
  ];
  for (const [source, value] of levels) {
    if (value !== null && value !== undefined) {
      return { enabled: parseGoBool(value) ?? false, source };
    }
  }
  return { enabled: options.operator, source: 'operator' };
}
