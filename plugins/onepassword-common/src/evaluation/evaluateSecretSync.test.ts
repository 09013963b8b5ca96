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

import {
  evaluateSecretSync,
  formatAge,
  hintForOperatorError,
  markUnknown,
} from './evaluateSecretSync';
import { resolveAutoRestart } from './autoRestart';
import { connectCacheState } from './connectCacheState';
import type { SecretSyncInput } from './types';

const VAULT = 'aaaaaaaaaaaaaaaaaaaaaaaaaa';
const ITEM = 'bbbbbbbbbbbbbbbbbbbbbbbbbb';
const now = new Date('2026-11-28T12:00:00.000Z');
const ago = (seconds: number) =>
  new Date(now.getTime() - seconds * 1000).toISOString();

function input(overrides: Partial<SecretSyncInput> = {}): SecretSyncInput {
  return {
    cluster: 'dev-eu',
    namespace: 'payments',
    secretName: 'payments-db',
    source: 'OnePasswordItem',
    itemPath: 'vaults/payments/items/payments-db',
    connectServer: 'main',
    item: {
      kind: 'found',
      vaultName: 'payments',
      item: {
        id: ITEM,
        title: 'payments-db',
        vaultId: VAULT,
        version: 3,
        updatedAt: ago(3600),
        tags: [],
        category: 'LOGIN',
      },
    },
    secret: {
      itemPath: `vaults/${VAULT}/items/${ITEM}`,
      itemVersion: 3,
      lastWrittenAt: ago(3000),
      autoRestart: null,
    },
    ready: { status: 'True' },
    events: [],
    operator: {
      pollingIntervalSeconds: 600,
      autoRestart: false,
      watchNamespaces: null,
    },
    namespaceAutoRestart: null,
    consumers: [],
    previous: null,
    ...overrides,
  };
}

function behind(
  updatedSecondsAgo: number,
  extra: Partial<SecretSyncInput> = {},
) {
  const base = input();
  return input({
    item: {
      kind: 'found',
      vaultName: 'payments',
      item: {
        ...(base.item as any).item,
        version: 4,
        updatedAt: ago(updatedSecondsAgo),
      },
    },
    ...extra,
  });
}

describe('evaluateSecretSync', () => {
  it('is in-sync when the Secret carries the current version', () => {
    const record = evaluateSecretSync(input(), now);
    expect(record).toEqual({
      cluster: 'dev-eu',
      namespace: 'payments',
      secretName: 'payments-db',
      source: 'OnePasswordItem',
      itemPath: 'vaults/payments/items/payments-db',
      vaultId: VAULT,
      itemId: ITEM,
      vaultName: 'payments',
      itemTitle: 'payments-db',
      connectServer: 'main',
      status: 'in-sync',
      itemVersion: 3,
      secretVersion: 3,
      itemUpdatedAt: ago(3600),
      itemCategory: 'LOGIN',
      syncedAt: ago(3000),
      verifiedAt: now.toISOString(),
      pollingIntervalSeconds: 600,
      nextPollBy: new Date(now.getTime() + 600_000).toISOString(),
      autoRestart: { enabled: false, source: 'operator' },
      lastRestartedAt: null,
      statusSince: ago(3000),
      message: null,
      hint: null,
      lastFailedAt: null,
      lastFailureMessage: null,
      recovered: false,
      pendingUntil: null,
      pollDurationSeconds: 0,
      overdueSince: null,
      lastSeenAt: null,
      connectBehind: false,
    });
  });

  it('notes the ignore-secret tag on an in-sync record', () => {
    const base = input();
    const record = evaluateSecretSync(
      input({
        item: {
          kind: 'found',
          vaultName: 'payments',
          item: {
            ...(base.item as any).item,
            tags: ['operator.1password.io:ignore-secret'],
          },
        },
      }),
      now,
    );
    expect(record.status).toBe('in-sync');
    expect(record.message).toMatch(/does not|not the Secret's data/);
  });

  it('is pending within one polling interval plus grace of the change', () => {
    const record = evaluateSecretSync(behind(120), now);
    expect(record.status).toBe('pending');
    expect(record.statusSince).toBe(ago(120));
    expect(record.nextPollBy).toBe(
      new Date(now.getTime() + 480_000).toISOString(),
    );
    expect(record.message).toContain('version 3');
    expect(record.verifiedAt).toBeNull();
  });

  it('is still pending inside the grace and stale after it', () => {
    expect(evaluateSecretSync(behind(650), now).status).toBe('pending');
    const stale = evaluateSecretSync(behind(661), now);
    expect(stale.status).toBe('stale');
    expect(stale.statusSince).toBe(ago(1));
    expect(stale.hint).toMatch(/fails silently/);
  });

  it('uses a custom grace', () => {
    expect(
      evaluateSecretSync(behind(610), now, { graceSeconds: 0 }).status,
    ).toBe('stale');
  });

  it('keeps the earlier stale-since across a newer item change', () => {
    const record = evaluateSecretSync(
      behind(700, {
        previous: {
          status: 'stale',
          statusSince: ago(7200),
          syncedAt: ago(9000),
          verifiedAt: ago(9000),
          secretVersion: 3,
        },
      }),
      now,
    );
    expect(record.status).toBe('stale');
    expect(record.statusSince).toBe(ago(7200));
    expect(record.verifiedAt).toBe(ago(9000));
  });

  it('counts a Secret synced from another item than the path names as behind', () => {
    const record = evaluateSecretSync(
      input({
        secret: {
          itemPath: `vaults/${VAULT}/items/cccccccccccccccccccccccccc`,
          itemVersion: 3,
          lastWrittenAt: ago(9000),
          autoRestart: null,
        },
      }),
      now,
    );
    expect(record.status).toBe('stale');
    expect(record.message).toContain('the path now names');
  });

  it('is error when Ready=False, with the operator message and a hint', () => {
    const record = evaluateSecretSync(
      input({
        ready: {
          status: 'False',
          message:
            'failed to retrieve item: status 403: Authorization: (Invalid bearer token)',
          lastTransitionTime: ago(500),
        },
      }),
      now,
    );
    expect(record.status).toBe('error');
    expect(record.message).toContain('Invalid bearer token');
    expect(record.hint).toMatch(/token was rejected/);
    expect(record.statusSince).toBe(ago(500));
  });

  it('is error on a ReconcileError event newer than the last write', () => {
    const events = [
      {
        reason: 'ReconcileError',
        message:
          'Failed to sync secret from 1Password: status 500: Something went wrong',
        at: ago(100),
      },
    ];
    const record = evaluateSecretSync(
      input({ source: 'Deployment', events }),
      now,
    );
    expect(record.status).toBe('error');
    expect(record.message).toBe(`ReconcileError: ${events[0].message}`);
    expect(record.hint).toMatch(/Connect server/);
  });

  it('ignores an event older than the last successful write', () => {
    const events = [
      { reason: 'ReconcileError', message: 'old', at: ago(4000) },
    ];
    expect(evaluateSecretSync(input({ events }), now).status).toBe('in-sync');
  });

  it('prefers a Deployment event over item-not-found, as the operator reports it', () => {
    const events = [
      {
        reason: 'ReconcileError',
        message:
          'Failed to sync secret from 1Password: no items found with title "x"',
        at: ago(300),
      },
    ];
    const record = evaluateSecretSync(
      input({
        source: 'Deployment',
        secret: null,
        events,
        item: { kind: 'not-found', what: 'item', vaultName: 'platform' },
      }),
      now,
    );
    expect(record.status).toBe('error');
    expect(record.hint).toMatch(/does not exist/);
  });

  it('is error with no Secret and an event', () => {
    const events = [
      {
        reason: 'ReconcileError',
        message: 'Failed to sync secret from 1Password: x',
        at: null,
      },
    ];
    expect(
      evaluateSecretSync(input({ secret: null, events }), now).status,
    ).toBe('error');
  });

  it('is missing when there is no Secret and no error', () => {
    const record = evaluateSecretSync(
      input({ secret: null, ready: null }),
      now,
    );
    expect(record.status).toBe('missing');
    expect(record.secretVersion).toBeNull();
    expect(record.syncedAt).toBeNull();
  });

  it('says which namespaces the operator watches when it is missing', () => {
    const record = evaluateSecretSync(
      input({
        namespace: 'search',
        secret: null,
        operator: {
          pollingIntervalSeconds: 60,
          autoRestart: false,
          watchNamespaces: ['payments', 'default'],
        },
      }),
      now,
    );
    expect(record.status).toBe('missing');
    expect(record.hint).toContain(
      "Add 'search' to the operator's WATCH_NAMESPACE (it watches payments, default;",
    );
  });

  it('is item-not-found for a missing item, before Ready=False', () => {
    const record = evaluateSecretSync(
      input({
        itemPath: 'vaults/identity/items/signing-key-v2',
        item: { kind: 'not-found', what: 'item', vaultName: 'identity' },
        secret: null,
        ready: {
          status: 'False',
          message:
            'no items found with identifier "signing-key-v2" in vault "x"',
        },
      }),
      now,
    );
    expect(record.status).toBe('item-not-found');
    expect(record.message).toBe(
      "Connect server 'main' has no item 'signing-key-v2' in vault 'identity'.",
    );
    expect(record.hint).toMatch(/deleted, renamed or moved/);
    expect(record.itemTitle).toBe('signing-key-v2');
  });

  it('warns that a vault named by title may just be hidden', () => {
    const record = evaluateSecretSync(
      input({ item: { kind: 'not-found', what: 'vault' } }),
      now,
    );
    expect(record.status).toBe('item-not-found');
    expect(record.hint).toMatch(/not granted to Backstage's token/);
  });

  it('is access-denied on 403, noting the operator can still read it', () => {
    const record = evaluateSecretSync(
      input({ item: { kind: 'access-denied', status: 403 } }),
      now,
    );
    expect(record.status).toBe('access-denied');
    expect(record.hint).toMatch(/Grant the vault.*The operator can read it/);
    expect(record.vaultId).toBe(VAULT);
  });

  it('is access-denied on 401 with a revoked-token hint', () => {
    const record = evaluateSecretSync(
      input({
        item: {
          kind: 'access-denied',
          status: 401,
          message: 'Invalid token signature',
        },
      }),
      now,
    );
    expect(record.status).toBe('access-denied');
    expect(record.message).toContain('401');
    expect(record.hint).toMatch(/revoked or has expired/);
  });

  it('is unknown when the server is unavailable', () => {
    const record = evaluateSecretSync(
      input({
        item: { kind: 'unavailable', message: 'status 500', since: ago(60) },
      }),
      now,
    );
    expect(record.status).toBe('unknown');
    expect(record.statusSince).toBe(ago(60));
    expect(record.itemVersion).toBeNull();
  });

  it('is unknown when no server matches the operator', () => {
    const record = evaluateSecretSync(
      input({
        connectServer: null,
        item: {
          kind: 'no-server',
          message: 'No Connect server matches http://x',
        },
      }),
      now,
    );
    expect(record.status).toBe('unknown');
    expect(record.hint).toContain('onepassword.clusters.dev-eu.connectServer');
  });

  it('is error for a path the operator rejects', () => {
    const record = evaluateSecretSync(
      input({
        itemPath: 'vaults/a/b',
        item: { kind: 'not-found', what: 'vault' },
      }),
      now,
    );
    expect(record.status).toBe('error');
    expect(record.message).toContain('is not an acceptable path');
  });

  describe('times', () => {
    it('keeps statusSince while the status holds', () => {
      const record = evaluateSecretSync(
        input({
          previous: {
            status: 'in-sync',
            statusSince: ago(99999),
            syncedAt: ago(3000),
            verifiedAt: ago(60),
            secretVersion: 3,
          },
        }),
        now,
      );
      expect(record.statusSince).toBe(ago(99999));
    });

    it('takes syncedAt from an observed version change without managedFields', () => {
      const record = evaluateSecretSync(
        input({
          secret: {
            itemPath: `vaults/${VAULT}/items/${ITEM}`,
            itemVersion: 3,
            lastWrittenAt: null,
            autoRestart: null,
          },
          previous: {
            status: 'pending',
            statusSince: ago(200),
            syncedAt: ago(90000),
            verifiedAt: ago(90000),
            secretVersion: 2,
          },
        }),
        now,
      );
      expect(record.status).toBe('in-sync');
      expect(record.syncedAt).toBe(now.toISOString());
      expect(record.statusSince).toBe(now.toISOString());
    });

    it('keeps syncedAt without managedFields and without a change', () => {
      const record = evaluateSecretSync(
        input({
          secret: {
            itemPath: `vaults/${VAULT}/items/${ITEM}`,
            itemVersion: 3,
            lastWrittenAt: null,
            autoRestart: null,
          },
          previous: {
            status: 'in-sync',
            statusSince: ago(200),
            syncedAt: ago(5000),
            verifiedAt: ago(20),
            secretVersion: 3,
          },
        }),
        now,
      );
      expect(record.syncedAt).toBe(ago(5000));
    });

    it('reports the latest restart of the consuming Deployments', () => {
      const record = evaluateSecretSync(
        input({
          consumers: [
            { name: 'a', autoRestart: null, lastRestartedAt: ago(500) },
            { name: 'b', autoRestart: null, lastRestartedAt: ago(100) },
            { name: 'c', autoRestart: null, lastRestartedAt: 'not a time' },
          ],
        }),
        now,
      );
      expect(record.lastRestartedAt).toBe(ago(100));
    });
  });
});

describe('resolveAutoRestart', () => {
  it('follows secret, deployment, namespace, operator', () => {
    expect(
      resolveAutoRestart({
        secret: 'false',
        deployments: ['true'],
        namespace: 'true',
        operator: true,
      }),
    ).toEqual({ enabled: false, source: 'secret' });
    expect(
      resolveAutoRestart({
        secret: null,
        deployments: [null, 'true'],
        namespace: 'false',
        operator: false,
      }),
    ).toEqual({ enabled: true, source: 'deployment' });
    expect(
      resolveAutoRestart({
        secret: undefined,
        deployments: [],
        namespace: 'True',
        operator: false,
      }),
    ).toEqual({ enabled: true, source: 'namespace' });
    expect(
      resolveAutoRestart({
        secret: null,
        deployments: [],
        namespace: null,
        operator: true,
      }),
    ).toEqual({ enabled: true, source: 'operator' });
  });

  it('parses values like Go and treats garbage as false', () => {
    expect(
      resolveAutoRestart({
        secret: '1',
        deployments: [],
        namespace: null,
        operator: false,
      }).enabled,
    ).toBe(true);
    expect(
      resolveAutoRestart({
        secret: 'yes',
        deployments: [],
        namespace: null,
        operator: true,
      }),
    ).toEqual({ enabled: false, source: 'secret' });
  });
});

describe('evaluateSecretSync on a real cluster', () => {
  const failure = (at: string, extra: object = {}) => ({
    reason: 'ReconcileError',
    message:
      'Failed to sync secret from 1Password: status 500: Something went wrong',
    at,
    ...extra,
  });

  it('shows an old event on a current Secret as recovered, not as an error', () => {
    // Written 3000 s ago, failed 1000 s ago, not repeated since: the Secret
    // carries the item's current version, so the failure is history.
    const record = evaluateSecretSync(
      input({ source: 'Deployment', events: [failure(ago(1000))] }),
      now,
    );
    expect(record.status).toBe('in-sync');
    expect(record.lastFailedAt).toBe(ago(1000));
    expect(record.lastFailureMessage).toContain('Something went wrong');
    expect(record.recovered).toBe(true);
  });

  it('is error while the event repeats within the polling window', () => {
    const record = evaluateSecretSync(
      input({
        source: 'Deployment',
        events: [failure(ago(30), { count: 12, firstAt: ago(2000) })],
      }),
      now,
    );
    expect(record.status).toBe('error');
    expect(record.statusSince).toBe(ago(2000));
    expect(record.recovered).toBe(false);
  });

  it('is error for an old event while the Secret is behind', () => {
    const record = evaluateSecretSync(
      behind(5000, { source: 'Deployment', events: [failure(ago(1000))] }),
      now,
    );
    expect(record.status).toBe('error');
  });

  it.each([
    ['scaled-to-zero', /scaled to 0/, /kubectl scale/],
    ['crash-loop', /crash-looping/, /POLLING_INTERVAL.*AUTO_RESTART/],
    ['not-available', /never became available/, /events/],
  ] as const)(
    'is error for every record of an operator that is %s',
    (problem, message, hint) => {
      const base = input();
      const record = evaluateSecretSync(
        input({
          operator: {
            ...base.operator,
            health: { available: false, problem, reason: 'r' },
          },
        }),
        now,
      );
      expect(record.status).toBe('error');
      expect(record.message).toMatch(message);
      expect(record.hint).toMatch(hint);
    },
  );

  it('adds the duration of one poll to the pending window and shows the deadline', () => {
    const base = input();
    // 3000 Secrets at 0.2 s: a poll takes 600 s; the window is 600+600+60.
    const operator = { ...base.operator, secretCount: 3000 };
    const pending = evaluateSecretSync(behind(1200, { operator }), now);
    expect(pending.status).toBe('pending');
    expect(pending.pollDurationSeconds).toBe(600);
    expect(pending.pendingUntil).toBe(
      new Date(now.getTime() + 60_000).toISOString(),
    );
    expect(
      evaluateSecretSync(behind(1200, { operator }), now, {
        pollSecondsPerSecret: 0.1,
      }).status,
    ).toBe('stale');
  });

  it('shows a past nextPollBy as overdue, never as a time to come', () => {
    const record = evaluateSecretSync(behind(630), now);
    expect(record.status).toBe('pending');
    expect(record.nextPollBy).toBe(ago(30));
    expect(record.overdueSince).toBe(ago(30));
    expect(record.message).toMatch(/overdue/);
    expect(evaluateSecretSync(behind(120), now).overdueSince).toBeNull();
  });

  it('says Backstage is behind when the Secret carries a newer version than it sees', () => {
    const base = input();
    const record = evaluateSecretSync(
      input({
        secret: { ...base.secret!, itemVersion: 4, lastWrittenAt: ago(100) },
      }),
      now,
    );
    expect(record.status).toBe('unknown');
    expect(record.connectBehind).toBe(true);
    expect(record.message).toMatch(/Backstage's view/);
  });

  it("is never stale while Backstage's Connect server says its sync is not current", () => {
    const record = evaluateSecretSync(
      behind(5000, {
        connectSync: { lagging: true, reason: 'sync: NOT_SYNCED' },
      }),
      now,
    );
    expect(record.status).toBe('unknown');
    expect(record.connectBehind).toBe(true);
  });

  it('carries the real status code of a vault-scoped 403', () => {
    const record = evaluateSecretSync(
      input({ item: { kind: 'access-denied', status: 403, scope: 'vault' } }),
      now,
    );
    expect(record.status).toBe('access-denied');
    expect(record.message).toContain('(403)');
    expect(record.message).not.toContain('401');
  });

  it('is unknown, never in-sync or behind, when Connect lists no version', () => {
    const base = input();
    const record = evaluateSecretSync(
      input({
        item: {
          kind: 'found',
          vaultName: 'payments',
          item: { ...(base.item as any).item, version: null },
        },
      }),
      now,
    );
    expect(record.status).toBe('unknown');
    expect(record.itemVersion).toBeNull();
    expect(record.message).toMatch(/without a version/);
  });

  it('is unknown, never a false missing, when the Secrets could not be listed', () => {
    const record = evaluateSecretSync(
      input({
        secret: null,
        secretsUnreadable: 'Forbidden to list secrets cluster-wide',
      }),
      now,
    );
    expect(record.status).toBe('unknown');
    expect(record.message).toMatch(/could not be listed: Forbidden/);
  });

  it('keeps the Secret version last seen while the Secrets cannot be listed', () => {
    const previous = {
      status: 'in-sync' as const,
      statusSince: ago(7200),
      syncedAt: ago(7200),
      verifiedAt: ago(60),
      secretVersion: 3,
    };
    const unlisted = evaluateSecretSync(
      input({ secret: null, secretsUnreadable: 'Forbidden', previous }),
      now,
    );
    expect(unlisted.secretVersion).toBe(3);
    const gone = evaluateSecretSync(input({ secret: null, previous }), now);
    expect(gone.secretVersion).toBeNull();
  });

  it('puts no time or relative age in a message', () => {
    const records = [
      evaluateSecretSync(behind(120), now),
      evaluateSecretSync(behind(5000), now),
      markUnknown(
        evaluateSecretSync(input(), now),
        { what: 'x', message: 'down', lastSuccessAt: ago(7200) },
        now,
      ),
    ];
    for (const r of records) {
      expect(r.message).not.toMatch(/\d{4}-\d\d-\d\dT|\d+[smhd] ago/);
    }
  });

  it('shows a last-restarted value that is not RFC 3339, not drop it', () => {
    const value = '2023-01-05 10:00:00.123 +0000 UTC m=+12.3';
    const record = evaluateSecretSync(
      input({
        consumers: [{ name: 'api', autoRestart: null, lastRestartedAt: value }],
      }),
      now,
    );
    expect(record.lastRestartedAt).toBe(value);
  });
});

describe('markUnknown', () => {
  it('keeps the last known state, with the time it was seen in a field, not the message', () => {
    const record = evaluateSecretSync(input(), now);
    const later = new Date(now.getTime() + 7200_000);
    const marked = markUnknown(
      record,
      {
        what: "Cluster 'dev-eu'",
        message: 'connect ECONNREFUSED',
        lastSuccessAt: now.toISOString(),
      },
      later,
    );
    expect(marked).toEqual({
      ...record,
      status: 'unknown',
      statusSince: later.toISOString(),
      message: `Cluster 'dev-eu' could not be reached: connect ECONNREFUSED. Showing the state last seen.`,
      lastSeenAt: now.toISOString(),
      hint: "Check Cluster 'dev-eu' and the network path from Backstage to it; the status returns when it answers again.",
    });
    const again = markUnknown(
      marked,
      {
        what: "Cluster 'dev-eu'",
        message: 'x',
        lastSuccessAt: now.toISOString(),
      },
      new Date(later.getTime() + 1000),
    );
    expect(again.statusSince).toBe(later.toISOString());
  });
});

describe('markUnknown for a cluster a background refresh cannot read', () => {
  it('says so instead of unreachable', () => {
    const marked = markUnknown(
      evaluateSecretSync(input(), now),
      {
        what: "Cluster 'gke'",
        message: "it uses the 'google' auth provider",
        lastSuccessAt: null,
        notReadable: true,
      },
      now,
    );
    expect(marked.message).toMatch(/cannot be read by a background refresh/);
    expect(marked.message).not.toMatch(/could not be reached/);
    expect(marked.hint).toMatch(/serviceAccount/);
  });
});

describe('hints for what the operator only logs', () => {
  it('names every cause of stale and missing', () => {
    const stale = evaluateSecretSync(behind(5000), now);
    for (const cause of [
      /not granted|lost access/,
      /immutable/,
      /admission webhook/,
      /file/,
      /down/,
      /does not watch/,
    ]) {
      expect(stale.hint).toMatch(cause);
    }
    const missing = evaluateSecretSync(
      input({ secret: null, ready: null }),
      now,
    );
    for (const cause of [
      /not running/,
      /does not watch/,
      /deleted/,
      /resync/,
      /admission webhook/,
      /file/,
    ]) {
      expect(missing.hint).toMatch(cause);
    }
  });
});

describe('formatAge', () => {
  it('rounds to a readable unit', () => {
    expect(formatAge(45)).toBe('45s');
    expect(formatAge(600)).toBe('10m');
    expect(formatAge(3 * 3600)).toBe('3h');
    expect(formatAge(3 * 86400)).toBe('3d');
  });
});

describe('hintForOperatorError', () => {
  it.each([
    ['no items found with identifier "x" in vault "y"', /does not exist/],
    ['1Password rate limit hit', /rate limit/],
    [
      'cannot change secret type: secret type is immutable',
      /delete the Secret/,
    ],
    [
      'failed to GetItemByID using 1Password Connect: status 401: Invalid token',
      /token was rejected/,
    ],
    ['status 500: Something went wrong', /roll its Deployment/],
    ['something odd', /operator logs/],
  ])('%s', (message, hint) => {
    expect(hintForOperatorError(message)).toMatch(hint);
  });
});

describe('connectCacheState', () => {
  it('reads /health dependencies, not only the status code', () => {
    expect(
      connectCacheState({
        healthy: true,
        dependencies: [
          { service: 'sqlite', status: 'ACTIVE' },
          { service: 'sync', status: 'NOT_SYNCED', message: 'not yet' },
        ],
      }),
    ).toEqual({
      lagging: true,
      reason: '/health: sync is NOT_SYNCED (not yet)',
    });
    expect(
      connectCacheState({
        healthy: true,
        dependencies: [
          { service: 'sync', status: 'ACTIVE' },
          { service: 'account_data', status: 'ACTIVE' },
        ],
      }).lagging,
    ).toBe(false);
    // An undocumented status is no alarm.
    expect(
      connectCacheState({
        healthy: true,
        dependencies: [{ service: 'sync', status: 'WHATEVER' }],
      }).lagging,
    ).toBe(false);
    expect(
      connectCacheState({
        healthy: false,
        error: '/health answered 503',
        dependencies: [],
      }),
    ).toEqual({ lagging: true, reason: '/health answered 503' });
  });
});
