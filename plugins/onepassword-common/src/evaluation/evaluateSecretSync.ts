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

import { OPERATOR_IGNORE_SECRET_TAG } from '../annotations';
import type { SecretSyncRecord } from '../api';
import {
  invalidItemPathMessage,
  isOnePasswordId,
  parseItemPath,
} from '../itemPath';
import type { SyncStatus } from '../status';
import { resolveAutoRestart } from './autoRestart';
import type { ItemLookup, OperatorEvent, SecretSyncInput } from './types';

/**
 * Seconds added to the polling interval before a Secret that is behind counts
 * as stale: the poll itself, the Secret update and our own refresh take time.
 * @public
 */
export const DEFAULT_POLL_GRACE_SECONDS = 60;

/** A short human age: `45s`, `12m`, `3h`, `2d`. @public */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 120) return `${s}s`;
  if (s < 2 * 3600) return `${Math.round(s / 60)}m`;
  if (s < 2 * 86400) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

function addSeconds(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString();
}

function isAfter(a: string | null, b: string | null): boolean {
  if (!a) return false;
  if (!b) return true;
  return Date.parse(a) > Date.parse(b);
}

interface Verdict {
  status: SyncStatus;
  message: string | null;
  hint: string | null;
  /** When the status began, if the facts tell; else the refresh time. */
  since?: string | null;
}

const OPERATOR_TOKEN_FAILURE =
  /invalid bearer token|status 401|unauthori[sz]ed|token is expired|status 403|does not have access|not in scope/i;

/**
 * An actionable hint for an operator error message (`Ready=False` or a
 * `ReconcileError` event), by what the message says went wrong.
 */
export function hintForOperatorError(message: string): string {
  if (/is not an acceptable path/i.test(message)) {
    return 'Fix the item path: it must be `vaults/<vault id or title>/items/<item id or title>`, and titles cannot contain `/`.';
  }
  if (/no items found|no vaults found|status 404|not found/i.test(message)) {
    return "The item path names a vault or item that does not exist for the operator's token: check for a typo, or whether the item was renamed, moved to another vault or deleted. Paths with ids survive renames.";
  }
  if (/rate limit/i.test(message)) {
    return 'The operator hit a 1Password rate limit and retries after 15 minutes. Reduce polling frequency or the number of items per token.';
  }
  if (/secret type is immutable/i.test(message)) {
    return 'The Secret type of a synced Secret cannot change: delete the Secret so the operator recreates it with the new type.';
  }
  if (OPERATOR_TOKEN_FAILURE.test(message)) {
    return "The operator's Connect token was rejected: it was revoked, expired, or is not granted this vault. Issue a token with access to the vault, update the operator's token Secret and restart the operator. If the Connect server was recreated, roll the Connect Deployment so it loads the new credentials, then replace the token.";
  }
  if (
    /status 5\d\d|something went wrong|connection refused|ECONNREFUSED|timeout|no such host/i.test(
      message,
    )
  ) {
    return 'The operator could not reach a healthy Connect server. Check the Connect pods (`/health`), and after a Connect server was recreated roll its Deployment so it picks up the new credentials.';
  }
  return 'Read the operator logs for this resource (`Reconciler error`) and fix the cause; the operator retries on its own.';
}

function accessDeniedVerdict(
  input: SecretSyncInput,
  lookup: Extract<ItemLookup, { kind: 'access-denied' }>,
): Verdict {
  const server = input.connectServer ?? 'the Connect server';
  if (lookup.status === 401) {
    return {
      status: 'access-denied',
      message: `Connect server '${server}' rejected Backstage's token (401)${
        lookup.message ? `: ${lookup.message}` : ''
      }.`,
      hint: `The token configured for '${server}' under onepassword.connect.servers was revoked or has expired. Issue a new Connect token and update the configuration.`,
    };
  }
  const operatorCanRead = input.secret !== null;
  return {
    status: 'access-denied',
    message: `Backstage's token for Connect server '${server}' may not read the vault of ${input.itemPath} (403).`,
    hint: `Grant the vault to the Connect token Backstage uses for '${server}' (for example \`op connect vault grant\`, then issue a new token if needed)${
      operatorCanRead
        ? '. The operator can read it, so the Secret itself may be fine'
        : ''
    }.`,
  };
}

function notFoundVerdict(
  input: SecretSyncInput,
  lookup: Extract<ItemLookup, { kind: 'not-found' }>,
): Verdict {
  const parsed = parseItemPath(input.itemPath);
  const server = input.connectServer ?? 'the Connect server';
  const what =
    lookup.what === 'vault'
      ? `vault '${parsed?.vault}'`
      : `item '${parsed?.item}' in vault '${
          lookup.vaultName ?? parsed?.vault
        }'`;
  const vaultByTitle =
    lookup.what === 'vault' && parsed && !isOnePasswordId(parsed.vault);
  return {
    status: 'item-not-found',
    message: `Connect server '${server}' has no ${what}.`,
    hint:
      lookup.what === 'vault'
        ? `Check the vault in the item path for a typo or a rename${
            vaultByTitle
              ? `; a vault that exists but is not granted to Backstage's token for '${server}' also looks absent when named by title`
              : ''
          }.`
        : `The item was deleted, renamed or moved to another vault. Fix the item path (ids survive renames), or restore the item.`,
  };
}

function readyVerdict(input: SecretSyncInput): Verdict | undefined {
  if (input.ready?.status !== 'False') return undefined;
  const message = input.ready.message ?? 'The OnePasswordItem is not ready.';
  return {
    status: 'error',
    message: `OnePasswordItem is not ready: ${message}`,
    hint: hintForOperatorError(message),
    since: input.ready.lastTransitionTime ?? null,
  };
}

/** The newest operator event since the operator last wrote the Secret. */
function operatorEventVerdict(input: SecretSyncInput): Verdict | undefined {
  const lastWrite = input.secret?.lastWrittenAt ?? null;
  const event = input.events.find(
    (e: OperatorEvent) => input.secret === null || isAfter(e.at, lastWrite),
  );
  if (!event) return undefined;
  return {
    status: 'error',
    message: `${event.reason}: ${event.message}`,
    hint: hintForOperatorError(event.message),
    since: event.at,
  };
}

function missingVerdict(input: SecretSyncInput): Verdict {
  const watched = input.operator.watchNamespaces;
  if (watched && watched.length > 0 && !watched.includes(input.namespace)) {
    return {
      status: 'missing',
      message: `No Secret '${input.secretName}': the operator does not watch namespace '${input.namespace}'.`,
      hint: `Add '${
        input.namespace
      }' to the operator's WATCH_NAMESPACE (it watches ${watched.join(
        ', ',
      )}), or move the resource to a watched namespace.`,
    };
  }
  return {
    status: 'missing',
    message: `No Secret '${input.secretName}' exists for this ${input.source}.`,
    hint:
      input.source === 'Deployment'
        ? "Check that the operator is running, that the Deployment also sets operator.1password.io/item-name, and look at the Deployment's events."
        : 'Check that the operator is running in this cluster and reconciling (its logs and the OnePasswordItem status).',
  };
}

/**
 * Evaluates the sync status of one operator-managed Secret from the facts of
 * one refresh. Pure: same input, same record.
 * @public
 */
export function evaluateSecretSync(
  input: SecretSyncInput,
  now: Date,
  options: { graceSeconds?: number } = {},
): SecretSyncRecord {
  const nowIso = now.toISOString();
  const grace = options.graceSeconds ?? DEFAULT_POLL_GRACE_SECONDS;
  const interval = input.operator.pollingIntervalSeconds;
  const parsed = parseItemPath(input.itemPath);
  const secretIds = input.secret?.itemPath
    ? parseItemPath(input.secret.itemPath)
    : undefined;
  const lookup = input.item;
  const found = lookup.kind === 'found' ? lookup : undefined;
  const secretVersion = input.secret?.itemVersion ?? null;

  const verdict = ((): Verdict => {
    if (lookup.kind === 'unavailable') {
      return {
        status: 'unknown',
        message: `Connect server '${input.connectServer}' could not be reached: ${lookup.message}`,
        hint: 'Check the Connect server (`/health`) and the network path from Backstage; the status returns when it answers again.',
        since: lookup.since,
      };
    }
    if (lookup.kind === 'no-server') {
      return {
        status: 'unknown',
        message: lookup.message,
        hint: `Set onepassword.clusters.${input.cluster}.connectServer, or make the operator's OP_CONNECT_HOST match a configured server URL.`,
      };
    }
    if (!parsed) {
      return {
        status: 'error',
        message: invalidItemPathMessage(input.itemPath),
        hint: hintForOperatorError('is not an acceptable path'),
      };
    }
    if (lookup.kind === 'access-denied')
      return accessDeniedVerdict(input, lookup);
    // A Deployment-annotation failure has no status to read: its event is the
    // operator's own report, so it wins over what Connect says. A
    // OnePasswordItem's Ready=False is better explained by Connect's answer.
    const eventError = operatorEventVerdict(input);
    if (eventError) return eventError;
    if (lookup.kind === 'not-found') return notFoundVerdict(input, lookup);
    const readyError = readyVerdict(input);
    if (readyError) return readyError;
    if (!input.secret) return missingVerdict(input);

    const item = found!.item;
    const currentPath = `vaults/${item.vaultId}/items/${item.id}`;
    const samePath = input.secret.itemPath === currentPath;
    if (secretVersion === item.version && samePath) {
      const ignored = item.tags.includes(OPERATOR_IGNORE_SECRET_TAG);
      return {
        status: 'in-sync',
        message: ignored
          ? `The item is tagged ${OPERATOR_IGNORE_SECRET_TAG}: the operator updates the version annotation but not the Secret's data.`
          : null,
        hint: null,
      };
    }
    const changedAt = item.updatedAt ?? input.previous?.statusSince ?? nowIso;
    const staleAt = addSeconds(changedAt, interval + grace);
    const behind = samePath
      ? `carries item version ${
          secretVersion ?? 'none'
        }, 1Password has version ${item.version} (changed ${changedAt})`
      : `was synced from ${input.secret.itemPath}, the path now names ${currentPath}`;
    if (Date.parse(staleAt) > now.getTime()) {
      return {
        status: 'pending',
        message: `The Secret ${behind}. The operator polls every ${interval}s and should pick it up by ${addSeconds(
          changedAt,
          interval,
        )}.`,
        hint: 'Nothing to do: wait for the next operator poll.',
        since: changedAt,
      };
    }
    const previousStaleSince =
      input.previous?.status === 'stale' ? input.previous.statusSince : null;
    return {
      status: 'stale',
      message: `The Secret ${behind}; more than one polling interval (${interval}s) has passed, and the OnePasswordItem still reports Ready.`,
      hint: "The operator polls but fails silently: its Connect token was probably revoked or lost access to this vault, or Connect is unhealthy. Check the operator logs for 'failed to retrieve 1Password item', fix the token or vault grant, and restart the operator.",
      since:
        previousStaleSince &&
        Date.parse(previousStaleSince) < Date.parse(staleAt)
          ? previousStaleSince
          : staleAt,
    };
  })();

  const previous = input.previous;
  const syncedAt = ((): string | null => {
    if (!input.secret) return previous?.syncedAt ?? null;
    if (input.secret.lastWrittenAt) return input.secret.lastWrittenAt;
    if (previous && previous.secretVersion !== secretVersion) return nowIso;
    return previous?.syncedAt ?? null;
  })();

  const statusSince =
    previous && previous.status === verdict.status && verdict.status !== 'stale'
      ? previous.statusSince
      : verdict.since ??
        (verdict.status === 'in-sync' ? syncedAt : null) ??
        nowIso;

  const lastRestartedAt =
    input.consumers
      .map(c => c.lastRestartedAt)
      .filter((t): t is string => !!t && !Number.isNaN(Date.parse(t)))
      .sort((a, b) => Date.parse(b) - Date.parse(a))[0] ?? null;

  const nextPollBy =
    verdict.status === 'pending' && found?.item.updatedAt
      ? addSeconds(found.item.updatedAt, interval)
      : addSeconds(nowIso, interval);

  const idOrNull = (v: string | undefined) =>
    v !== undefined && isOnePasswordId(v) ? v : null;
  const titleOrNull = (v: string | undefined) =>
    v !== undefined && !isOnePasswordId(v) ? v : null;

  return {
    cluster: input.cluster,
    namespace: input.namespace,
    secretName: input.secretName,
    source: input.source,
    itemPath: input.itemPath,
    vaultId: found?.item.vaultId ?? secretIds?.vault ?? idOrNull(parsed?.vault),
    itemId: found?.item.id ?? secretIds?.item ?? idOrNull(parsed?.item),
    vaultName:
      found?.vaultName ??
      (lookup.kind === 'not-found' ? lookup.vaultName : undefined) ??
      titleOrNull(parsed?.vault),
    itemTitle: found?.item.title ?? titleOrNull(parsed?.item),
    connectServer: input.connectServer,
    status: verdict.status,
    itemVersion: found?.item.version ?? null,
    secretVersion,
    itemUpdatedAt: found?.item.updatedAt ?? null,
    syncedAt,
    verifiedAt:
      verdict.status === 'in-sync' ? nowIso : previous?.verifiedAt ?? null,
    pollingIntervalSeconds: interval,
    nextPollBy,
    autoRestart: resolveAutoRestart({
      secret: input.secret?.autoRestart,
      deployments: input.consumers.map(c => c.autoRestart),
      namespace: input.namespaceAutoRestart,
      operator: input.operator.autoRestart,
    }),
    lastRestartedAt,
    statusSince,
    message: verdict.message,
    hint: verdict.hint,
  };
}

/**
 * A record whose Connect server or cluster could not be reached in a refresh:
 * its last known state, turned `unknown`, with the failure and the age of that
 * state. Pure.
 * @public
 */
export function markUnknown(
  record: SecretSyncRecord,
  failure: { what: string; message: string; lastSuccessAt: string | null },
  now: Date,
): SecretSyncRecord {
  const lastKnown = failure.lastSuccessAt;
  const age = lastKnown
    ? ` Showing the state last seen ${formatAge(
        (now.getTime() - Date.parse(lastKnown)) / 1000,
      )} ago (${lastKnown}).`
    : '';
  return {
    ...record,
    status: 'unknown',
    statusSince:
      record.status === 'unknown' ? record.statusSince : now.toISOString(),
    message: `${failure.what} could not be reached: ${failure.message}.${age}`,
    hint: `Check ${failure.what} and the network path from Backstage to it; the status returns when it answers again.`,
  };
}
