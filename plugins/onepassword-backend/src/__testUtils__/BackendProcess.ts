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

import { mockCredentials } from '@backstage/backend-test-utils';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { BackendProcessOptions } from './backendProcessMain';

/** A log line of the process, with when the test read it. */
export interface ProcessLine {
  text: string;
  at: number;
}

/**
 * One backend in a process of its own (`backendProcessMain.ts`), so that a test
 * can kill it with SIGKILL as an orchestrator or the kernel does, and start
 * another on the same database. Its log lines are kept as they arrive.
 */
export class BackendProcess {
  static async start(
    name: string,
    options: BackendProcessOptions,
  ): Promise<BackendProcess> {
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        '--no-warnings',
        // Tests run from source, never from a build.
        // eslint-disable-next-line no-restricted-syntax
        join(__dirname, 'backendProcessMain.ts'),
      ],
      {
        env: {
          ...process.env,
          // Not `test`: Backstage's scheduler frees the runs of dead
          // replicas (its janitor) only outside tests.
          NODE_ENV: 'development',
          NODE_OPTIONS: '',
          ONEPASSWORD_BACKEND_PROCESS: JSON.stringify(options),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const backend = new BackendProcess(name, child);
    backend.port = Number(
      (await backend.waitForLine(/^listening (\d+)$/, 120_000)).match(
        /(\d+)$/,
      )![1],
    );
    return backend;
  }

  readonly lines: ProcessLine[] = [];
  port = 0;
  private stderr = '';
  private exited: Promise<void>;
  private alive = true;
  private readonly waiters = new Set<() => void>();

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    createInterface({ input: child.stdout! }).on('line', text => {
      this.lines.push({ text, at: Date.now() });
      for (const wake of this.waiters) wake();
    });
    child.stderr!.on('data', chunk => {
      this.stderr += String(chunk);
    });
    this.exited = new Promise(resolve =>
      child.once('exit', () => {
        this.alive = false;
        for (const wake of this.waiters) wake();
        resolve();
      }),
    );
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/api/onepassword`;
  }

  /** Calls the plugin as a signed-in user (the test backend's mock auth). */
  async fetch(
    path: string,
    init: RequestInit & { user?: string } = {},
  ): Promise<Response> {
    return fetch(`${this.url}${path}`, {
      ...init,
      headers: {
        Authorization: mockCredentials.user.header(init.user),
        ...init.headers,
      },
    });
  }

  /** The lines that match, from `from` (an index into `lines`) on. */
  matching(pattern: RegExp, from = 0): ProcessLine[] {
    return this.lines.slice(from).filter(line => pattern.test(line.text));
  }

  /** Resolves with the first line from `from` on that matches. */
  async waitForLine(
    pattern: RegExp,
    timeoutMs = 60_000,
    from = 0,
  ): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [line] = this.matching(pattern, from);
      if (line) return line.text;
      if (!this.alive) {
        throw new Error(
          `Backend ${this.name} exited before logging ${pattern}: ${this.stderr}`,
        );
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `Backend ${this.name} logged no ${pattern} within ${timeoutMs} ms`,
        );
      }
      await new Promise<void>(resolve => {
        let timer: NodeJS.Timeout | undefined = undefined;
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  /** True once the process is gone. */
  get killed(): boolean {
    return !this.alive;
  }

  /** SIGKILL: no shutdown hook runs, no lock is released. */
  async kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** A clean shutdown (SIGTERM), or SIGKILL after 10 s. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}
