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

/** An ISO time a clock can read, else null: a broken source says nothing about when. */
function readable(iso: string | null | undefined): string | null {
  return iso && !Number.isNaN(Date.parse(iso)) ? iso : null;
}

/**
 * The input with every time the evaluation computes with made readable or
 * absent, so that a malformed time from Connect, a cluster or the store
 * never throws. `lastRestartedAt` is only shown, so it stays as written
 * (operators before 1.10.1 wrote a Go time string).
 */
function withReadableTimes(input: SecretSyncInput): SecretSyncInput {
  return {
    ...input,
    item:
      input.item.kind === 'found'
        ? {
            ...input.item,
            item: {
              ...input.item.item,
              updatedAt: readable(input.item.item.updatedAt),
              ...(input.item.item.createdAt !== undefined
                ? { createdAt: readable(input.item.item.createdAt) }
                : {}),
            },
          }
        : input.item,
    secret: input.secret
      ? { ...input.secret, lastWrittenAt: readable(input.secret.lastWrittenAt) }
      : null,
    ready: input.ready
      ? {
          ...input.ready,
          ...(input.ready.lastTransitionTime !== undefined
            ? {
                lastTransitionTime:
                  readable(input.ready.lastTransitionTime) ?? undefined,
              }
            : {}),
        }
      : null,
    events: input.events.map(event => ({
      ...event,
      at: readable(event.at),
      ...(event.firstAt !== undefined
        ? { firstAt: readable(event.firstAt) }
        : {}),
    })),
    previous: input.previous
      ? {
          ...input.previous,
          statusSince: readable(input.previous.statusSince),
          syncedAt: readable(input.previous.syncedAt),
          verifiedAt: readable(input.previous.verifiedAt),
        }
      : null,
  };
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
  const detail = lookup.message ? `: ${lookup.message}` : '';
  if (lookup.scope !== 'vault' && lookup.status === 401) {
    return {
      status: 'access-denied',
      message: `Connect server '${server}' rejected Backstage's token (${lookup.status})${detail}.`,
      hint: `The token configured for '${server}' under onepassword.connect.servers was revoked or has expired. Issue a new Connect token and update the configuration.`,
    };
  }
  if (lookup.scope === 'server') {
    return {
      status: 'access-denied',
      message: `Connect server '${server}' refused Backstage's token the vault list (${lookup.status})${detail}.`,
      hint: `The token configured for '${server}' under onepassword.connect.servers is not valid (some Connect versions answer an invalid token with 403). Issue a new Connect token and update the configuration.`,
    };
  }
  const operatorCanRead = input.secret !== null;
  return {
    status: 'access-denied',
    message: `Backstage's token for Connect server '${server}' may not read the vault of ${input.itemPath} (${lookup.status})${detail}.`,
    hint: `Grant the vault to the Connect token Backstage uses for '${server}' (for example \`op connect vault grant\`, then issue a new token if needed)${
      operatorCanRead
        ? '. The operator can read it, so the Secret itself may be fine'
        : ''
    }. A single 403 can be transient (Connect 1.7.1 answered false 403s, fixed in 1.8.1): if the grant is right, the next refresh clears it.`,
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

/**
 * The newest operator event, and whether it is current. Events are history
 * (the API server merges repeats and drops them after its TTL): one counts
 * only while it is newer than the Secret's last write and either repeated
 * within the last polling window or the Secret is behind.
 */
function latestEvent(
  input: SecretSyncInput,
  behind: boolean,
  windowSeconds: number,
  now: Date,
): { event: OperatorEvent; current: boolean } | undefined {
  const event = [...input.events].sort((a, b) =>
    (b.at ?? '').localeCompare(a.at ?? ''),
  )[0];
  if (!event) return undefined;
  const lastWrite = input.secret?.lastWrittenAt ?? null;
  const newerThanWrite = input.secret === null || isAfter(event.at, lastWrite);
  const repeatedRecently =
    event.at !== null &&
    now.getTime() - Date.parse(event.at) <= windowSeconds * 1000;
  return { event, current: newerThanWrite && (repeatedRecently || behind) };
}

function operatorDownVerdict(input: SecretSyncInput): Verdict | undefined {
  const health = input.operator.health;
  if (!health || health.available) return undefined;
  const why = health.reason ? ` (${health.reason})` : '';
  switch (health.problem) {
    case 'scaled-to-zero':
      return {
        status: 'error',
        message: `The operator is scaled to 0 replicas${why}: nothing syncs this Secret while it is down.`,
        hint: 'Scale the operator Deployment back up (`kubectl scale deployment <operator> --replicas=1`, or the Helm value `operator.create`); it reconciles every OnePasswordItem and annotated Deployment at start.',
      };
    case 'crash-loop':
      return {
        status: 'error',
        message: `The operator is crash-looping${why}: nothing syncs this Secret while it is down.`,
        hint: "Read the operator pod's logs (`kubectl logs --previous`). The operator exits at start when POLLING_INTERVAL is not a whole number greater than 0, when AUTO_RESTART is not a boolean (true/false), or when both or neither of the Connect and service-account credentials are set.",
      };
    default:
      return {
        status: 'error',
        message: `The operator never became available${why}: nothing syncs this Secret while it is down.`,
        hint: "Check the operator pod's events (image pull, scheduling, probes on :8081) and its logs.",
      };
  }
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
      )}; the list is split on commas and not trimmed, so no spaces), or move the resource to a watched namespace.`,
    };
  }
  return {
    status: 'missing',
    message: `No Secret '${input.secretName}' exists for this ${input.source}.`,
    hint: `${
      input.source === 'Deployment'
        ? "Check that the Deployment also sets operator.1password.io/item-name and look at the Deployment's events. "
        : ''
    }The operator only logs these causes: it is not running or does not watch this namespace; the Secret was deleted (the operator does not watch Secrets, so it comes back only when the ${
      input.source
    } changes, the operator restarts, or its resync runs, 10 hours by default); creating it was rejected (an admission webhook or quota); a file of the item failed to download.`,
  };
}

const STALE_HINT =
  "The operator polls but fails silently, and only logs why ('failed to retrieve 1Password item'): its Connect token was revoked or lost access to this vault; Connect is unhealthy; a file of the item failed to download; the Secret update was rejected (an immutable Secret, an admission webhook); or the operator is down or does not watch this namespace. Check the operator logs, fix the cause and restart the operator.";

/** Options of {@link evaluateSecretSync}. @public */
export interface EvaluateOptions {
  /** Seconds added to the poll window before `stale`; default {@link DEFAULT_POLL_GRACE_SECONDS}. */
  graceSeconds?: number;
  /** Seconds one poll spends per Secret; default {@link DEFAULT_POLL_SECONDS_PER_SECRET}. */
  pollSecondsPerSecret?: number;
}

/**
 * Seconds the operator's poll spends per Secret it walks (one vault lookup by
 * title, one item get, file downloads; one Secret at a time).
 * @public
 */
export const DEFAULT_POLL_SECONDS_PER_SECRET = 0.2;

/**
 * How long one poll of an operator takes: it walks its Secrets one at a
 * time, so the time until a change shows is up to the polling interval plus
 * this. Pure.
 * @public
 */
export function pollDurationSeconds(
  secretCount: number,
  secondsPerSecret: number = DEFAULT_POLL_SECONDS_PER_SECRET,
): number {
  return Math.ceil(Math.max(0, secretCount) * Math.max(0, secondsPerSecret));
}

/**
 * Evaluates the sync status of one operator-managed Secret from the facts of
 * one refresh. Pure: same input, same record.
 *
 * The pending rule: a Secret behind its item is `pending` until the item's
 * `updatedAt` plus the polling interval, one poll's duration (Secrets of the
 * operator times the per-Secret cost) and the grace; after that `stale`.
 * `nextPollBy` is `updatedAt` plus interval plus poll duration; once past,
 * `overdueSince` says so.
 * @public
 */
export function evaluateSecretSync(
  rawInput: SecretSyncInput,
  now: Date,
  options: EvaluateOptions = {},
): SecretSyncRecord {
  const input = withReadableTimes(rawInput);
  const nowIso = now.toISOString();
  const grace = options.graceSeconds ?? DEFAULT_POLL_GRACE_SECONDS;
  const interval = input.operator.pollingIntervalSeconds;
  const pollSeconds = pollDurationSeconds(
    input.operator.secretCount ?? 0,
    options.pollSecondsPerSecret,
  );
  const parsed = parseItemPath(input.itemPath);
  const secretIds = input.secret?.itemPath
    ? parseItemPath(input.secret.itemPath)
    : undefined;
  const lookup = input.item;
  const found = lookup.kind === 'found' ? lookup : undefined;
  const secretVersion = input.secret?.itemVersion ?? null;
  const currentPath = found
    ? `vaults/${found.item.vaultId}/items/${found.item.id}`
    : null;
  const samePath = !!input.secret && input.secret.itemPath === currentPath;
  const behind =
    !input.secret ||
    !found ||
    found.item.version === null ||
    secretVersion !== found.item.version ||
    !samePath;
  const changedAt =
    found?.item.updatedAt ?? input.previous?.statusSince ?? nowIso;
  const latest = latestEvent(
    input,
    behind,
    interval + pollSeconds + grace,
    now,
  );
  let overdueSince: string | null = null;
  let pendingUntil: string | null = null;
  let connectBehind = false;

  const verdict = ((): Verdict => {
    const operatorDown = operatorDownVerdict(input);
    if (operatorDown) return operatorDown;
    if (input.secretsUnreadable) {
      return {
        status: 'unknown',
        message: `The Secrets of namespace '${input.namespace}' could not be listed: ${input.secretsUnreadable}`,
        hint: "Grant the plugin's service account list on secrets (read metadata-only) in this namespace; until then whether the Secret exists and is current is unknown.",
      };
    }
    if (lookup.kind === 'unavailable') {
      if (lookup.scope === 'vault') {
        return {
          status: 'unknown',
          message: `Connect server '${
            input.connectServer
          }' could not list the items of the vault of ${input.itemPath}${
            lookup.status ? ` (${lookup.status})` : ''
          }: ${lookup.message}`,
          hint: 'Only this vault failed; the other vaults of the server were read. Check the Connect logs for this vault; the status returns when its item list answers again.',
          since: lookup.since,
        };
      }
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
    // operator's own report, so while it is current it wins over what Connect
    // says. A OnePasswordItem's Ready=False is better explained by Connect.
    if (latest?.current) {
      return {
        status: 'error',
        message: `${latest.event.reason}: ${latest.event.message}`,
        hint: hintForOperatorError(latest.event.message),
        since: latest.event.firstAt ?? latest.event.at,
      };
    }
    if (lookup.kind === 'not-found') return notFoundVerdict(input, lookup);
    const readyError = readyVerdict(input);
    if (readyError) return readyError;
    if (!input.secret) return missingVerdict(input);

    const item = found!.item;
    if (item.version === null) {
      return {
        status: 'unknown',
        message: `Connect server '${
          input.connectServer
        }' listed the item without a version: whether the Secret (version ${
          secretVersion ?? 'none'
        }) is current is unknown.`,
        hint: 'Upgrade the Connect server; current versions list every item with its version.',
      };
    }
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
    if (samePath && secretVersion !== null && secretVersion > item.version) {
      connectBehind = true;
      return {
        status: 'unknown',
        message: `Backstage's view of Connect server '${input.connectServer}' is behind: the Secret carries item version ${secretVersion}, newer than the version ${item.version} this server lists.`,
        hint: `The operator reads another Connect server (the Helm chart runs one per cluster) that synced first. If this lasts, check the sync of '${input.connectServer}' (\`/health\` dependencies).`,
      };
    }
    const dueBy = addSeconds(changedAt, interval + pollSeconds);
    const staleAt = addSeconds(dueBy, grace);
    pendingUntil = staleAt;
    if (Date.parse(dueBy) < now.getTime()) overdueSince = dueBy;
    const behindText = samePath
      ? `carries item version ${
          secretVersion ?? 'none'
        }, 1Password has version ${item.version}`
      : `was synced from ${input.secret.itemPath}, the path now names ${currentPath}`;
    if (Date.parse(staleAt) > now.getTime()) {
      return {
        status: 'pending',
        message: `The Secret ${behindText}. The operator polls every ${interval}s${
          pollSeconds ? ` and one poll takes about ${pollSeconds}s` : ''
        }${overdueSince ? '; its poll is overdue' : ''}.`,
        hint: overdueSince
          ? 'The poll is overdue but within the grace: if it stays behind it turns stale.'
          : 'Nothing to do: wait for the next operator poll.',
        since: changedAt,
      };
    }
    if (input.connectSync?.lagging) {
      connectBehind = true;
      return {
        status: 'unknown',
        message: `The Secret ${behindText}, but Backstage's view of Connect server '${
          input.connectServer
        }' is not current${
          input.connectSync.reason ? ` (${input.connectSync.reason})` : ''
        }, so whether the operator is behind is unknown.`,
        hint: `Fix the sync of Connect server '${input.connectServer}' (its \`/health\` dependencies); the status returns when its cache is current.`,
      };
    }
    const previousStaleSince =
      input.previous?.status === 'stale' ? input.previous.statusSince : null;
    return {
      status: 'stale',
      message: `The Secret ${behindText}; its poll is overdue by more than the grace, and the operator reports no error.`,
      hint: STALE_HINT,
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

  // Operators before 1.10.1 wrote `time.Now().String()`, not RFC 3339: such a
  // value is shown as written, after every parseable one.
  const restartValues = input.consumers
    .map(c => c.lastRestartedAt)
    .filter((t): t is string => !!t);
  const lastRestartedAt =
    restartValues
      .filter(t => !Number.isNaN(Date.parse(t)))
      .sort((a, b) => Date.parse(b) - Date.parse(a))[0] ??
    restartValues[0] ??
    null;

  const nextPollBy =
    pendingUntil !== null
      ? addSeconds(changedAt, interval + pollSeconds)
      : addSeconds(nowIso, interval + pollSeconds);

  const failure = ((): {
    at: string | null;
    message: string;
    recovered: boolean;
  } | null => {
    if (input.ready?.status === 'False') {
      return {
        at: input.ready.lastTransitionTime ?? null,
        message: input.ready.message ?? '',
        recovered: false,
      };
    }
    if (latest) {
      return {
        at: latest.event.at,
        message: `${latest.event.reason}: ${latest.event.message}`,
        recovered: !latest.current,
      };
    }
    return null;
  })();

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
    // Unlisted Secrets are not absent ones: keep the version last seen.
    secretVersion:
      input.secretsUnreadable && !input.secret
        ? previous?.secretVersion ?? null
        : secretVersion,
    itemUpdatedAt: found?.item.updatedAt ?? null,
    itemCategory: found?.item.category ?? null,
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
    lastFailedAt: failure?.at ?? null,
    lastFailureMessage: failure?.message ?? null,
    recovered: failure?.recovered ?? false,
    pendingUntil,
    pollDurationSeconds: pollSeconds,
    overdueSince,
    lastSeenAt: null,
    connectBehind,
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
  failure: {
    what: string;
    message: string;
    lastSuccessAt: string | null;
    /** Reachable, but not readable by a background refresh (a user-token auth provider). */
    notReadable?: boolean;
  },
  now: Date,
): SecretSyncRecord {
  return {
    ...record,
    status: 'unknown',
    statusSince:
      record.status === 'unknown' ? record.statusSince : now.toISOString(),
    message: failure.notReadable
      ? `${failure.what} cannot be read by a background refresh: ${failure.message}.`
      : `${failure.what} could not be reached: ${failure.message}. Showing the state last seen.`,
    hint: failure.notReadable
      ? `Give the Kubernetes plugin server-side credentials for ${failure.what} (serviceAccount, aws, azure or googleServiceAccount); user-token providers (google, oidc, aks) only work for a signed-in user's own requests.`
      : `Check ${failure.what} and the network path from Backstage to it; the status returns when it answers again.`,
    lastSeenAt: failure.lastSuccessAt ?? record.lastSeenAt ?? null,
  };
}
