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

import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';

/** A process of the test world, its output kept for assertions and failures. */
export class ManagedProcess {
  /** Every line the process printed (stdout and stderr), in order. */
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  private exitedValue?: { code: number | null; signal: string | null };

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    logFile?: string,
  ) {
    const log = logFile ? createWriteStream(logFile) : undefined;
    let partial = '';
    const onData = (chunk: Buffer) => {
      log?.write(chunk);
      const text = partial + chunk.toString('utf8');
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      this.lines.push(...parts);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.exited = new Promise(resolve => {
      child.on('exit', (code, signal) => {
        if (partial) this.lines.push(partial);
        log?.end();
        this.exitedValue = { code, signal };
        resolve(this.exitedValue);
      });
    });
  }

  static start(options: {
    name: string;
    command: string;
    args: string[];
    env?: NodeJS.ProcessEnv;
    logFile?: string;
  }): ManagedProcess {
    const child = spawn(options.command, options.args, {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Should the test process die without stopping it, it takes this one along.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.removeListener('exit', killOnExit));
    return new ManagedProcess(options.name, child, options.logFile);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Whether the process has exited, and how. */
  get exit(): { code: number | null; signal: string | null } | undefined {
    return this.exitedValue;
  }

  tail(count = 20): string {
    return this.lines.slice(-count).join('\n');
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.exitedValue) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** A port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
