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

/*
 * The audit CSV without HTTP, to tell its parts apart: the rows read from
 * the database, the records made of them, the CSV text. Run with
 * `node --require @backstage/cli/config/nodeTransform.cjs test/bench/csvInProcess.ts [rows] [sqlite|postgres]`
 * (PostgreSQL at BENCH_POSTGRES_URL).
 */

import { DatabaseSecretSyncStore } from '../../plugins/onepassword-backend/src/database/DatabaseSecretSyncStore';
import { auditCsvChunks } from '../../plugins/onepassword-backend/src/service/auditCsv';
import { makeRecord } from '../../plugins/onepassword-backend/src/__testUtils__/records';
import { openBenchDatabase } from './benchDatabase';

async function main() {
  const rows = Number(process.argv[2] ?? 20_000);
  const kind = process.argv[3] === 'postgres' ? 'postgres' : 'sqlite';
  const database = await openBenchDatabase(
    kind,
    process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432',
  );
  const store = await DatabaseSecretSyncStore.create({
    database: {
      getClient: async () => database.knex,
      migrations: { skip: false },
    },
  } as never);
  const statuses = [
    'in-sync',
    'pending',
    'stale',
    'in-sync',
    'in-sync',
  ] as const;
  const records = Array.from({ length: rows }, (_, i) =>
    makeRecord({
      cluster: `cluster-${String(i % 50).padStart(5, '0')}`,
      namespace: `service-${String(i % 5000).padStart(5, '0')}`,
      secretName: `item-${String(i).padStart(5, '0')}`,
      itemTitle: `item-${String(i).padStart(5, '0')}`,
      itemPath: `vaults/vault-${i % 100}/items/item-${i}`,
      status: statuses[i % statuses.length],
      message:
        i % 5 === 1
          ? `The Secret carries item version 2, 1Password has version 3`
          : null,
      consumers: [
        { deployment: `service-${i % 5000}`, verdict: 'restarted' },
      ] as never,
      entityRef: `component:default/service-${String(i % 5000).padStart(
        5,
        '0',
      )}`,
    }),
  );
  await store.replaceRecords(records, new Date().toISOString());
  await store.setLastRefreshAt(new Date().toISOString());
  const request = { sort: { field: 'status' as const, descending: false } };
  for (let round = 0; round < 5; round++) {
    const cpuMs = (since: NodeJS.CpuUsage) => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / 1000;
    };
    let cpu = process.cpuUsage();
    let at = performance.now();
    let n = 0;
    for await (const batch of store.streamAudit(request as never))
      n += batch.length;
    const recordsMs = performance.now() - at;
    const recordsCpuMs = cpuMs(cpu);
    cpu = process.cpuUsage();
    at = performance.now();
    let bytes = 0;
    for await (const chunk of auditCsvChunks(
      store.streamAudit(request as never),
    )) {
      bytes += chunk.length;
    }
    const csvMs = performance.now() - at;
    const csvCpuMs = cpuMs(cpu);
    process.stdout.write(
      `${n} records ${recordsMs.toFixed(0)} ms (CPU ${recordsCpuMs.toFixed(
        0,
      )} ms); CSV ${(bytes / 1e6).toFixed(1)} MB ${csvMs.toFixed(
        0,
      )} ms (CPU ${csvCpuMs.toFixed(0)} ms)\n`,
    );
  }
  await database.dispose();
}

main().catch(e => {
  process.stderr.write(`${e.stack}\n`);
  process.exitCode = 1;
});
