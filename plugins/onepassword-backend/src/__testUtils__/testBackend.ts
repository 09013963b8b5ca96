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

import { LoggerService } from '@backstage/backend-plugin-api';

/** A logger that keeps every line, to prove none carries a value. */
export class CapturingLogger implements LoggerService {
  constructor(readonly lines: string[], private readonly meta: object = {}) {}
  private push(level: string, message: string, meta?: Error | object) {
    this.lines.push(
      `${level} ${message} ${JSON.stringify({
        ...this.meta,
        ...(meta instanceof Error
          ? { error: String(meta), stack: meta.stack }
          : meta),
      })}`,
    );
  }
  error(m: string, meta?: Error | object) {
    this.push('error', m, meta);
  }
  warn(m: string, meta?: Error | object) {
    this.push('warn', m, meta);
  }
  info(m: string, meta?: Error | object) {
    this.push('info', m, meta);
  }
  debug(m: string, meta?: Error | object) {
    this.push('debug', m, meta);
  }
  child(meta: object) {
    return new CapturingLogger(this.lines, { ...this.meta, ...meta });
  }
}

/**
 * The Kubernetes plugin's proxy loads the ESM-only `@kubernetes/client-node`
 * with a dynamic `import()`, which Jest only runs with VM modules enabled.
 */
export function requireVmModules() {
  const flags = `${process.env.NODE_OPTIONS} ${process.execArgv.join(' ')}`;
  if (!flags.includes('--experimental-vm-modules')) {
    throw new Error(
      'Run this test with NODE_OPTIONS=--experimental-vm-modules',
    );
  }
}
