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
 * The logging the sandbox needs; Backstage's `LoggerService` and the CLI's
 * console logger both satisfy it. Never pass secret values.
 * @public
 */
export interface SandboxLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** A logger that drops everything, the default in tests. */
export const silentLogger: SandboxLogger = {
  info() {},
  warn() {},
  error() {},
};

/** A logger printing one line per message to the console, for the CLI. */
export function consoleLogger(prefix = 'sandbox'): SandboxLogger {
  const line = (
    level: string,
    message: string,
    meta?: Record<string, unknown>,
  ) =>
    `${new Date().toISOString()} ${level} [${prefix}] ${message}${
      meta && Object.keys(meta).length > 0 ? ` ${JSON.stringify(meta)}` : ''
    }`;
  return {
    info: (message, meta) => console.log(line('info', message, meta)),
    warn: (message, meta) => console.warn(line('warn', message, meta)),
    error: (message, meta) => console.error(line('error', message, meta)),
  };
}
