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

import { neutralizeFormula } from './csvFormula';
import type { AuditRecord } from '@secret-sync/backstage-plugin-onepassword-common';

const COLUMNS: Array<[string, (r: AuditRecord) => unknown]> = [
  ['cluster', r => r.cluster],
  ['namespace', r => r.namespace],
  ['secretName', r => r.secretName],
  ['source', r => r.source],
  ['status', r => r.status],
  ['statusSince', r => r.statusSince],
  ['entityRef', r => r.entityRef],
  ['owner', r => r.owner],
  ['connectServer', r => r.connectServer],
  ['vaultName', r => r.vaultName],
  ['vaultId', r => r.vaultId],
  ['itemTitle', r => r.itemTitle],
  ['itemId', r => r.itemId],
  ['itemPath', r => r.itemPath],
  ['itemVersion', r => r.itemVersion],
  ['secretVersion', r => r.secretVersion],
  ['itemUpdatedAt', r => r.itemUpdatedAt],
  ['syncedAt', r => r.syncedAt],
  ['verifiedAt', r => r.verifiedAt],
  ['pollingIntervalSeconds', r => r.pollingIntervalSeconds],
  ['autoRestart', r => r.autoRestart.enabled],
  ['autoRestartSource', r => r.autoRestart.source],
  ['lastRestartedAt', r => r.lastRestartedAt],
  ['restartNeeded', r => r.restartNeeded],
  [
    'consumers',
    r => r.consumers?.map(c => `${c.deployment} (${c.verdict})`).join('; '),
  ],
  ['message', r => r.message],
];

const NEEDS_QUOTES = /[",\r\n]/;

/** A cell as RFC 4180 writes it, neutralised if a spreadsheet would run it. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  // Whole numbers >= 0 (versions, intervals) need neither quotes nor neutralising.
  if (typeof value === 'number' && value >= 0) return String(value);
  const text = neutralizeFormula(String(value));
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const HEADER = `${COLUMNS.map(([name]) => name).join(',')}\r\n`;
const GETTERS = COLUMNS.map(([, get]) => get);

/** One audit row as a CSV line, with its line break. */
function csvLine(record: AuditRecord): string {
  let line = cell(GETTERS[0](record));
  for (let i = 1; i < GETTERS.length; i++) {
    line += `,${cell(GETTERS[i](record))}`;
  }
  return `${line}\r\n`;
}

/**
 * The audit rows as CSV (RFC 4180), one text chunk per batch of rows as the
 * batches arrive. Records carry no secret values, so neither does this.
 */
export async function* auditCsvChunks(
  batches: AsyncIterable<AuditRecord[]>,
): AsyncGenerator<string> {
  let header = HEADER;
  for await (const records of batches) {
    let chunk = header;
    header = '';
    for (const record of records) chunk += csvLine(record);
    yield chunk;
  }
  if (header) yield header;
}
