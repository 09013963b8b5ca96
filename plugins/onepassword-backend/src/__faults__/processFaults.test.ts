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

import type { JsonObject } from '@backstage/types';
import type { AuditResponse } from '@secret-sync/backstage-plugin-onepassword-common';
import { Sandbox, startSandbox } from '@internal/sandbox';
import knexFactory, { Knex } from 'knex';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackendProcess } from '../__testUtils__/BackendProcess';
import type { BackendProcessOptions } from '../__testUtils__/backendProcessMain';
import { FAULT_SCENARIO, TOKENS } from './faultScenario';

jest.setTimeout(240_000);

/** What the refresh logs when it is done, with its duration. */
const REFRESHED = /info Refreshed \d+ synced Secrets .* in (\d+\.\d)s;/;

/** The PostgreSQL server the environment names, if any. */
function postgresUrl(): string | undefined {
  const key = Object.keys(process.env)
    .filter(k =>
      /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(k),
    )
    .sort()
    .pop();
  if (!key && process.env.ONEPASSWORD_TEST_REQUIRE_POSTGRES === '1') {
    throw new Error(
      'ONEPASSWORD_TEST_REQUIRE_POSTGRES=1 but no PostgreSQL is configured',
    );
  }
  return key && process.env[key];
}

/**
 * A plugin database for backend processes to share: a SQLite file in a
 * directory of its own, or a PostgreSQL database of its own (by prefix).
 */
interface SharedDatabase {
  config: JsonObject;
  /** Opens the plugin database, as the processes see it. */
  open(): Knex;
  drop(): Promise<void>;
}

function sqliteDatabase(): SharedDatabase {
  const directory = mkdtempSync(join(tmpdir(), 'onepassword-process-'));
  return {
    config: { client: 'better-sqlite3', connection: { directory } },
    open: () => {
      const [file] = readdirSync(directory).filter(f => f.endsWith('.sqlite'));
      return knexFactory({
        client: 'better-sqlite3',
        connection: { filename: join(directory, file) },
        useNullAsDefault: true,
      });
    },
    drop: async () => rmSync(directory, { recursive: true, force: true }),
  };
}

function postgresDatabase(url: string): SharedDatabase {
  const prefix = `onepassword_process_${process.pid}_${Date.now()}_`;
  const database = `${prefix}onepassword`;
  const at = (name: string) => {
    const u = new URL(url);
    u.pathname = `/${name}`;
    return u.toString();
  };
  return {
    config: { client: 'pg', connection: url, prefix },
    open: () => knexFactory({ client: 'pg', connection: at(database) }),
    drop: async () => {
      const admin = knexFactory({ client: 'pg', connection: at('postgres') });
      try {
        await admin.raw(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      } finally {
        await admin.destroy();
      }
    },
  };
}

function databaseKinds(): Array<[string, () => SharedDatabase]> {
  const url = postgresUrl();
  return [
    ['SQLite', sqliteDatabase],
    ...(url
      ? [
          ['PostgreSQL', () => postgresDatabase(url)] as [
            string,
            () => SharedDatabase,
          ],
        ]
      : []),
  ];
}

function processOptions(
  sandbox: Sandbox,
  database: SharedDatabase,
  refresh: JsonObject,
): BackendProcessOptions {
  return {
    clusters: sandbox.clusters.map(c => ({
      name: c.name,
      url: c.url,
      caData: c.caData,
    })),
    connectUrls: Object.fromEntries(
      Object.keys(TOKENS).map(name => [name, sandbox.connectServer(name).url]),
    ),
    connectTokens: TOKENS,
    clusterTokens: Object.fromEntries(
      sandbox.clusters.map(c => [c.name, `k8s-reader-${c.name}`]),
    ),
    database: database.config,
    onePasswordConfig: {
      clusters: {
        dev: { connectServer: 'main' },
        prod: { connectServer: 'second' },
      },
      refresh,
    },
  };
}

async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

async function audit(backend: BackendProcess): Promise<AuditResponse> {
  const response = await backend.fetch('/audit?limit=500');
  expect(response.status).toBe(200);
  return (await response.json()) as AuditResponse;
}

/** Each record's transitions, oldest first. */
async function transitionsByRecord(knex: Knex) {
  const rows: Array<{
    record_key: string;
    from_status: string | null;
    to_status: string;
  }> = await knex('onepassword_status_transitions').orderBy('id');
  const byRecord = new Map<string, Array<[string | null, string]>>();
  for (const row of rows) {
    const list = byRecord.get(row.record_key) ?? [];
    list.push([row.from_status, row.to_status]);
    byRecord.set(row.record_key, list);
  }
  return byRecord;
}

/** No gap (each step starts where the last ended) and no duplicate (each step changes the status). */
function expectUnbroken(history: Array<[string | null, string]>) {
  expect(history[0][0]).toBeNull();
  history.forEach(([from, to], i) => {
    expect(to).not.toBe(from);
    if (i > 0) expect(from).toBe(history[i - 1][1]);
  });
}

describe.each(databaseKinds())(
  'A backend killed with SIGKILL mid-refresh (%s)',
  (_kind, createDatabase) => {
    let stateDir: string;
    let sandbox: Sandbox;
    let database: SharedDatabase;
    const backends: BackendProcess[] = [];

    beforeAll(async () => {
      stateDir = mkdtempSync(join(tmpdir(), 'onepassword-kill-'));
      sandbox = await startSandbox(FAULT_SCENARIO, {
        anyPorts: true,
        stateDir,
      });
      database = createDatabase();
    });

    afterAll(async () => {
      await Promise.all(backends.map(b => b.stop()));
      await sandbox?.stop();
      await database?.drop();
      rmSync(stateDir, { recursive: true, force: true });
    });

    it('answers from the stored state at once after a restart, refreshes, and keeps an unbroken history', async () => {
      const refresh = { frequency: { seconds: 2 }, timeout: { seconds: 60 } };
      const first = await BackendProcess.start(
        'first',
        processOptions(sandbox, database, refresh),
      );
      backends.push(first);
      await first.waitForLine(REFRESHED);
      const before = await audit(first);
      expect(before.items.map(r => [r.cluster, r.status]).sort()).toEqual([
        ['dev', 'in-sync'],
        ['prod', 'in-sync'],
      ]);

      // A slow Connect server holds the next refresh; the kill lands while it waits.
      const main = sandbox.connectServer('main');
      main.faults.set({ delayMs: 10_000 });
      const held = main.stats().total;
      await until(
        'a refresh to reach the slow server',
        () => main.stats().total > held,
      );
      await first.kill();

      // The dead run's lease runs out seconds after its last renewal; the
      // new process may take the refresh over while the server is still slow.
      const second = await BackendProcess.start(
        'second',
        processOptions(sandbox, database, refresh),
      );
      backends.push(second);
      // From the stored state, before any refresh of this process completed.
      const after = await audit(second);
      expect(second.matching(REFRESHED)).toEqual([]);
      expect(after.items).toEqual(
        before.items.map(r =>
          expect.objectContaining({
            cluster: r.cluster,
            status: r.status,
            secretVersion: r.secretVersion,
            statusSince: r.statusSince,
          }),
        ),
      );

      // The next refresh completes, and records what changed since.
      main.faults.clear();
      sandbox.connectServer('second').faults.set({ error500: true });
      await until(
        'prod to turn unknown',
        async () =>
          (await audit(second)).items.find(r => r.cluster === 'prod')
            ?.status === 'unknown',
      );
      // By a refresh of this process (its line follows the write).
      await second.waitForLine(REFRESHED);
      sandbox.connectServer('second').faults.clear();
      await until(
        'prod to recover',
        async () =>
          (await audit(second)).items.find(r => r.cluster === 'prod')
            ?.status === 'in-sync',
      );
      await second.stop();

      const knex = database.open();
      try {
        const history = await transitionsByRecord(knex);
        expect([...history.keys()].sort()).toEqual([
          'dev/payments/payments-db',
          'prod/storefront/storefront-db',
        ]);
        for (const steps of history.values()) expectUnbroken(steps);
        expect(history.get('prod/storefront/storefront-db')).toEqual([
          [null, 'in-sync'],
          ['in-sync', 'unknown'],
          ['unknown', 'in-sync'],
        ]);
        expect(history.get('dev/payments/payments-db')).toEqual([
          [null, 'in-sync'],
        ]);
      } finally {
        await knex.destroy();
      }
    });
  },
);

const postgres = postgresUrl();
(postgres ? describe : describe.skip)(
  'Two backend replicas on one PostgreSQL',
  () => {
    let stateDir: string;
    let sandbox: Sandbox;
    let database: SharedDatabase;
    const backends: BackendProcess[] = [];
    const PERIOD_SECONDS = 4;
    /**
     * Each replica looks whether the refresh is due this often, and a lease
     * lasts this long unless renewed (ExclusiveRefresh: both are the period
     * here, below their caps of 5 s and 15 s).
     */
    const CHECK_SECONDS = PERIOD_SECONDS;
    const LEASE_SECONDS = PERIOD_SECONDS;
    /** Longer than any wait below: a take-over must not wait for the timeout. */
    const TIMEOUT_SECONDS = 120;
    const refresh = {
      frequency: { seconds: PERIOD_SECONDS },
      timeout: { seconds: TIMEOUT_SECONDS },
    };

    beforeAll(async () => {
      stateDir = mkdtempSync(join(tmpdir(), 'onepassword-replicas-'));
      sandbox = await startSandbox(FAULT_SCENARIO, {
        anyPorts: true,
        stateDir,
      });
      database = postgresDatabase(postgres!);
    });

    afterAll(async () => {
      await Promise.all(backends.map(b => b.stop()));
      await sandbox?.stop();
      await database?.drop();
      rmSync(stateDir, { recursive: true, force: true });
    });

    /** Every refresh either replica finished: which, when, and how long it ran. */
    function refreshes() {
      return backends
        .flatMap(backend =>
          backend.matching(REFRESHED).map(line => ({
            backend,
            end: line.at,
            start: line.at - Number(REFRESHED.exec(line.text)![1]) * 1000,
          })),
        )
        .sort((a, b) => a.end - b.end);
    }

    it('runs each refresh on exactly one, serves reads on both, shares the rate limit, and takes over when either is killed', async () => {
      const second = sandbox.connectServer('second');
      // Each refresh lasts at least a second: two at once would overlap.
      second.faults.set({ delayMs: 1_000 });
      second.resetStats();
      // One after the other, as a rolling deployment starts them: two first
      // starts at once on an empty database race on creating the migration
      // tables (Backstage's scheduler's and knex's own).
      const a = await BackendProcess.start(
        'a',
        processOptions(sandbox, database, refresh),
      );
      backends.push(a);
      const b = await BackendProcess.start(
        'b',
        processOptions(sandbox, database, refresh),
      );
      backends.push(b);

      // Counted at the sandbox, right after a refresh ended (the next is
      // seconds away): one health check of the server per refresh, from
      // either replica, and no two refreshes ever ran at once.
      let counted = 0;
      let healthChecks = 0;
      await until(
        'five refreshes',
        () => {
          const done = refreshes().length;
          if (done >= 5) {
            counted = done;
            healthChecks = Object.entries(second.stats().byPath)
              .filter(([path]) => path.includes('health'))
              .reduce((sum, [, n]) => sum + n, 0);
            return true;
          }
          return false;
        },
        90_000,
      );
      expect(healthChecks).toBe(counted);
      // At the sandbox: each request is held a second, so the health checks
      // of two refreshes at once would arrive together, not a refresh apart.
      const healthTimes = second.requestLog
        .filter(entry => entry.path.includes('health'))
        .map(entry => Date.parse(entry.at));
      for (let i = 1; i < healthTimes.length; i++) {
        expect(healthTimes[i] - healthTimes[i - 1]).toBeGreaterThanOrEqual(900);
      }
      const runs = refreshes();
      for (let i = 1; i < runs.length; i++) {
        expect(runs[i].start).toBeGreaterThanOrEqual(runs[i - 1].end - 150);
      }
      // The replica that ran one runs the next (it evaluates only what
      // changed since): every one ran on the first started.
      expect(new Set(runs.map(run => run.backend.name))).toEqual(
        new Set(['a']),
      );

      // Both serve reads, the same.
      const [fromA, fromB] = await Promise.all([audit(a), audit(b)]);
      expect(fromA.items.length).toBe(2);
      expect(fromB.items).toEqual(fromA.items);

      // The rate limit is one, per user: a trigger accepted by one replica
      // closes the window on the other. A 409 (running) does not use it up.
      const trigger = (backend: BackendProcess, user: string) =>
        backend.fetch('/refresh', { method: 'POST', user });
      let accepted: number | undefined;
      await until('a trigger accepted', async () => {
        accepted = (await trigger(a, 'user:default/alice')).status;
        expect([202, 409]).toContain(accepted);
        return accepted === 202;
      });
      expect((await trigger(b, 'user:default/alice')).status).toBe(429);
      expect([202, 409]).toContain(
        (await trigger(b, 'user:default/bob')).status,
      );

      // Either can be killed: the one that ran the last refresh goes, right
      // after it (between runs), and the survivor runs the next one within a
      // refresh period (plus the scheduler's work check).
      const takeOver = async () => {
        await until('a refresh to end', () => refreshes().length > counted);
        const last = refreshes().pop()!;
        counted = refreshes().length;
        const survivor = backends.find(
          x =>
            x !== last.backend && x.matching(/^listening/).length && !x.killed,
        )!;
        await last.backend.kill();
        const from = survivor.lines.length;
        await survivor.waitForLine(
          REFRESHED,
          // A wait, not a measure: the survivor claims the next run when it
          // is due (a period after the last began) at its next check, then
          // runs it; the margin is for a loaded machine.
          (2 * PERIOD_SECONDS + CHECK_SECONDS + 15) * 1000,
          from,
        );
        return survivor;
      };
      const survivor = await takeOver();
      expect((await audit(survivor)).items.length).toBe(2);
      // A new replica joins; now the survivor is killed in its turn.
      backends.push(
        await BackendProcess.start(
          'c',
          processOptions(sandbox, database, refresh),
        ),
      );
      counted = refreshes().length;
      await takeOver();
      backends.push(
        await BackendProcess.start(
          'd',
          processOptions(sandbox, database, refresh),
        ),
      );

      // Killed in the middle of a refresh: the replica left takes it over
      // once the dead one's lease runs out, long before the task's timeout
      // (Backstage's own lock of a global task would hold until then).
      second.faults.set({ delayMs: 4_000 });
      const holder = await new Promise<BackendProcess>((resolve, reject) => {
        const live = backends.filter(x => !x.killed);
        const from = live.map(x => x.lines.length);
        live.forEach((x, i) =>
          x
            .waitForLine(/Claimed the refresh lease/, 60_000, from[i])
            .then(() => resolve(x), reject),
        );
      });
      const held = second.stats().total;
      await until(
        'the refresh to reach the slow server',
        () => second.stats().total > held,
      );
      const heir = backends.find(x => x !== holder && !x.killed)!;
      const from = heir.lines.length;
      await holder.kill();
      await heir.waitForLine(
        /Took the refresh over from \S+, whose lease ran out/,
        // A wait, not a measure: the lease runs out, then the next check.
        (LEASE_SECONDS + CHECK_SECONDS + 15) * 1000,
        from,
      );
      second.faults.clear();
      await heir.waitForLine(REFRESHED, 60_000, from);
      expect((await audit(heir)).items.length).toBe(2);
    });
  },
);
