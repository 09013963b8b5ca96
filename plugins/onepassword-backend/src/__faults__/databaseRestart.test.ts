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

import type { AuditResponse } from '@secret-sync/backstage-plugin-onepassword-common';
import { Sandbox, startSandbox } from '@internal/sandbox';
import knexFactory, { Knex } from 'knex';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  requireVmModules,
  SandboxBackend,
  startSandboxBackend,
} from '../__testUtils__/testBackend';
import {
  postgresBinDir,
  ThrowawayPostgres,
} from '../__testUtils__/ThrowawayPostgres';
import { FAULT_SCENARIO, TOKENS } from './faultScenario';

jest.setTimeout(180_000);

const binDir = postgresBinDir();
if (!binDir && process.env.ONEPASSWORD_TEST_REQUIRE_POSTGRES === '1') {
  throw new Error(
    "ONEPASSWORD_TEST_REQUIRE_POSTGRES=1 but Debian's PostgreSQL binaries (/usr/lib/postgresql/*/bin) are missing",
  );
}

/** What a request answered while the database was down or back. */
interface Answer {
  status: number;
  body: any;
}

(binDir ? describe : describe.skip)('PostgreSQL restarted under load', () => {
  let stateDir: string;
  let sandbox: Sandbox;
  let postgres: ThrowawayPostgres;
  let knex: Knex;
  let backend: SandboxBackend;
  const logLines: string[] = [];

  beforeAll(async () => {
    requireVmModules();
    stateDir = mkdtempSync(join(tmpdir(), 'onepassword-pg-restart-'));
    sandbox = await startSandbox(FAULT_SCENARIO, { anyPorts: true, stateDir });
    postgres = await ThrowawayPostgres.start(binDir!);
    knex = knexFactory({
      client: 'pg',
      connection: postgres.url,
      // Connections that die with the server are noticed when next used.
      pool: { min: 0, max: 5 },
      acquireConnectionTimeout: 5_000,
      // knex's own notes of each lost connection, kept out of the output.
      log: {
        warn: () => {},
        error: () => {},
        debug: () => {},
        deprecate: () => {},
      },
    });
    backend = await startSandboxBackend({
      sandbox,
      connectTokens: TOKENS,
      onePasswordConfig: {
        clusters: {
          dev: { connectServer: 'main' },
          prod: { connectServer: 'second' },
        },
      },
      clusterToken: cluster => `k8s-reader-${cluster}`,
      entities: [],
      logLines,
      knex,
    });
    await backend.refresh();
  });

  afterAll(async () => {
    await backend?.stop();
    await knex?.destroy();
    await postgres?.destroy();
    await sandbox?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('answers 503 with a clear message while it is down, and recovers without a restart', async () => {
    const read = async (path: string): Promise<Answer> => {
      const response = await request(backend.server).get(
        `/api/onepassword${path}?token=secret-in-query`,
      );
      return { status: response.status, body: response.body };
    };
    const paths = [
      '/audit',
      '/servers',
      '/clusters',
      '/entities/default/component/x/secrets',
    ];
    const before = await read('/audit');
    expect(before.status).toBe(200);
    expect((before.body as AuditResponse).items).toHaveLength(2);

    // Load: four clients reading without pause for the whole test.
    const answers: Answer[] = [];
    let loading = true;
    const load = Promise.all(
      paths.map(async path => {
        while (loading) answers.push(await read(path));
      }),
    );
    try {
      await until(() => answers.length >= 20);
      postgres.stopServer();
      const down = answers.length;
      await until(
        () => answers.slice(down).filter(a => a.status >= 500).length >= 20,
      );

      // A refresh while it is down fails (the scheduler logs it), and
      // nothing crashes.
      await backend.refresh();

      postgres.startServer();
      await until(() => {
        const last = answers.slice(-paths.length * 2);
        return last.length > 0 && last.every(a => a.status < 500);
      });
      const failures = answers.slice(down).filter(a => a.status >= 500);
      for (const failure of failures) {
        expect(failure).toEqual({
          status: 503,
          body: {
            error: {
              name: 'ServiceUnavailableError',
              message: expect.stringMatching(
                /^The onepassword plugin's database is unavailable; try again shortly logId=[0-9a-f]+$/,
              ),
            },
            request: { method: 'GET', url: expect.not.stringContaining('?') },
            response: { statusCode: 503 },
          },
        });
      }
    } finally {
      loading = false;
      await load;
    }

    // Back without a restart: reads and the next refresh work.
    const verifiedBefore = (before.body as AuditResponse).items[0].verifiedAt!;
    await backend.refresh();
    const after = await read('/audit');
    expect(after.status).toBe(200);
    const record = (after.body as AuditResponse).items.find(
      r => r.cluster === (before.body as AuditResponse).items[0].cluster,
    )!;
    expect(record.status).toBe('in-sync');
    expect(Date.parse(record.verifiedAt!)).toBeGreaterThan(
      Date.parse(verifiedBefore),
    );
    // Each failure was logged for operators, as a warning with its log id.
    expect(
      logLines.filter(line =>
        line.startsWith('warn The plugin database is unavailable'),
      ).length,
    ).toBeGreaterThan(0);
  });
});

async function until(check: () => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('Timed out');
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}
