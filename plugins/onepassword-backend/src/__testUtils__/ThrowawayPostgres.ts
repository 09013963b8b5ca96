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

import { execFileSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's PostgreSQL binaries, the newest major, if installed. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter(major => existsSync(join(root, major, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(a) - Number(b));
  return majors.length ? join(root, majors.pop()!, 'bin') : undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/**
 * A PostgreSQL server of the test's own, on a free port in a temporary
 * directory, that the test may stop and start: never the shared one.
 * PostgreSQL refuses to run as root, so as root it runs as `postgres`.
 */
export class ThrowawayPostgres {
  static async start(binDir: string): Promise<ThrowawayPostgres> {
    const directory = mkdtempSync(join(tmpdir(), 'onepassword-pg-'));
    const server = new ThrowawayPostgres(binDir, directory, await freePort());
    if (process.getuid?.() === 0) chownSync(directory, uidOf('postgres'), -1);
    server.run('initdb', ['-D', server.data, '-U', 'postgres', '--auth=trust']);
    server.startServer();
    return server;
  }

  private constructor(
    private readonly binDir: string,
    private readonly directory: string,
    readonly port: number,
  ) {}

  private get data() {
    return join(this.directory, 'data');
  }

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private run(tool: string, args: string[]) {
    const command = join(this.binDir, tool);
    const [file, argv] =
      process.getuid?.() === 0
        ? ['runuser', ['-u', 'postgres', '--', command, ...args]]
        : [command, args];
    execFileSync(file, argv, { stdio: 'ignore', timeout: 60_000 });
  }

  /** Starts the server and waits until it accepts connections. */
  startServer(): void {
    this.run('pg_ctl', [
      '-D',
      this.data,
      '-o',
      `-p ${this.port} -k ${this.directory} -c listen_addresses=127.0.0.1`,
      '-l',
      join(this.directory, 'log'),
      '-w',
      'start',
    ]);
  }

  /** Stops the server as an operator's restart does: open connections are closed. */
  stopServer(): void {
    this.run('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    try {
      this.stopServer();
    } catch {
      // Already stopped.
    }
    rmSync(this.directory, { recursive: true, force: true });
  }
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user]).toString().trim());
}
