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

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  text = neutralizeFormula(text);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const HEADER = `${COLUMNS.map(([name]) => name).join(',')}\r\n`;

/** One audit row as a CSV line, with its line break. */
function csvLine(record: AuditRecord): string {
  return `${COLUMNS.map(([, get]) => cell(get(record))).join(',')}\r\n`;
}

/** Audit rows as CSV (RFC 4180). Records carry no secret values, so neither does this. */
function toAuditCsv(records: AuditRecord[]): string {
  return HEADER + records.map(csvLine).join('');
}

/** Lines per chunk: few enough to keep a chunk small, enough to keep writes few. */
const CHUNK_LINES = 500;

/** The CSV of {@link toAuditCsv}, chunk by chunk, as the rows arrive. */
export async function* auditCsvChunks(
  records: AsyncIterable<AuditRecord>,
): AsyncGenerator<string> {
  let chunk = HEADER;
  let lines = 0;
  for await (const record of records) {
    chunk += csvLine(record);
    if (++lines === CHUNK_LINES) {
      yield chunk;
      chunk = '';
      lines = 0;
    }
  }
  if (chunk) yield chunk;
}
