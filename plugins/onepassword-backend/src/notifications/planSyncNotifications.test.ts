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
  DEFAULT_NOTIFY_STATUSES,
  planHealthDigest,
  planSyncNotifications,
  RecordChange,
} from './planSyncNotifications';

const now = new Date('2026-11-28T12:00:00.000Z');

function change(
  before: RecordChange['before'],
  after: Partial<RecordChange['after']>,
  overrides: Partial<RecordChange> = {},
): RecordChange {
  return {
    key: 'prod/payments/payments-db',
    cluster: 'prod',
    namespace: 'payments',
    secretName: 'payments-db',
    entityRef: 'component:default/payments-api',
    before,
    after: {
      status: 'in-sync',
      message: 'The Secret carries version 2; the item is at version 3.',
      hint: 'Check the operator logs.',
      ...after,
    },
    ...overrides,
  };
}

function plan(
  changes: RecordChange[],
  options: { firstRefresh?: boolean; lastAt?: Date | null } = {},
) {
  return planSyncNotifications({
    changes,
    rules: { statuses: DEFAULT_NOTIFY_STATUSES, quietPeriodMs: 3_600_000 },
    firstRefresh: options.firstRefresh ?? false,
    now,
    lastTransitionAt: () => options.lastAt ?? null,
    linkFor: ref => `/catalog/default/component/${ref.split('/')[1]}/secrets`,
  });
}

describe('planSyncNotifications', () => {
  it('tells the owning entity when a record turns from green to stale, with message, hint and link', () => {
    expect(plan([change({ status: 'in-sync' }, { status: 'stale' })])).toEqual([
      {
        recipients: {
          type: 'entity',
          entityRef: 'component:default/payments-api',
        },
        payload: {
          title: 'payments-api: Secret payments-db is stale',
          description:
            'payments/payments-db in cluster prod: The Secret carries version 2; the item is at version 3. Check the operator logs.',
          link: '/catalog/default/component/payments-api/secrets',
          severity: 'normal',
          topic: '1Password secret sync',
          scope: 'onepassword:prod/payments/payments-db:stale',
          metadata: {
            entityRef: 'component:default/payments-api',
            cluster: 'prod',
            namespace: 'payments',
            secretName: 'payments-db',
            previousStatus: 'in-sync',
            status: 'stale',
            message: 'The Secret carries version 2; the item is at version 3.',
            hint: 'Check the operator logs.',
          },
        },
      },
    ]);
  });

  it.each([
    ['error', 'high'],
    ['missing', 'high'],
    ['item-not-found', 'high'],
    ['access-denied', 'high'],
  ] as const)('notifies %s with severity %s', (status, severity) => {
    const [notification] = plan([change({ status: 'pending' }, { status })]);
    expect(notification.payload.severity).toBe(severity);
  });

  it('sends nothing on the first refresh after install', () => {
    expect(
      plan([change(null, { status: 'stale' })], { firstRefresh: true }),
    ).toEqual([]);
  });

  it('sends nothing for a record that stays in its status, or moves between bad ones', () => {
    expect(plan([change({ status: 'stale' }, { status: 'stale' })])).toEqual(
      [],
    );
    expect(plan([change({ status: 'stale' }, { status: 'error' })])).toEqual(
      [],
    );
  });

  it('sends nothing for a status that is not configured to notify', () => {
    expect(
      plan([change({ status: 'in-sync' }, { status: 'unknown' })]),
    ).toEqual([]);
  });

  it('sends nothing for an orphan: no entity owns it', () => {
    expect(
      plan([
        change({ status: 'in-sync' }, { status: 'stale' }, { entityRef: null }),
      ]),
    ).toEqual([]);
  });

  it('tells once more when the record recovers', () => {
    const [notification] = plan([
      change({ status: 'stale' }, { status: 'in-sync' }),
    ]);
    expect(notification.payload).toMatchObject({
      title: 'payments-api: Secret payments-db recovered',
      severity: 'low',
      scope: 'onepassword:prod/payments/payments-db:recovered',
    });
  });

  it('keeps quiet for a transition the record made within the quiet period', () => {
    const recently = new Date(now.getTime() - 60_000);
    const longAgo = new Date(now.getTime() - 2 * 3_600_000);
    expect(
      plan([change({ status: 'in-sync' }, { status: 'stale' })], {
        lastAt: recently,
      }),
    ).toEqual([]);
    expect(
      plan([change({ status: 'in-sync' }, { status: 'stale' })], {
        lastAt: longAgo,
      }),
    ).toHaveLength(1);
  });

  it('tells when a restart becomes needed, once', () => {
    const needed = plan([
      change(
        { status: 'in-sync', restartNeeded: false },
        { status: 'in-sync', restartNeeded: true },
      ),
    ]);
    expect(needed.map(n => n.payload.scope)).toEqual([
      'onepassword:prod/payments/payments-db:restart-needed',
    ]);
    expect(
      plan([
        change(
          { status: 'in-sync', restartNeeded: true },
          { status: 'in-sync', restartNeeded: true },
        ),
      ]),
    ).toEqual([]);
  });
});

describe('planHealthDigest', () => {
  const healthy = { name: 'Connect server main', healthy: true, reason: null };
  const down = {
    name: 'Connect server main',
    healthy: false,
    reason: 'connect ECONNREFUSED',
  };
  const operator = {
    name: 'operator in prod/onepassword',
    healthy: false,
    reason: 'CrashLoopBackOff',
  };

  it('sends one digest of what turned unhealthy in this refresh', () => {
    const digest = planHealthDigest({
      before: [healthy],
      after: [down, operator],
      recipients: ['group:default/platform'],
      firstRefresh: false,
      link: '/onepassword',
      now,
    });
    expect(digest).toMatchObject({
      recipients: { type: 'entity', entityRef: ['group:default/platform'] },
      payload: {
        title: '2 1Password sync components unhealthy',
        description:
          'Connect server main: connect ECONNREFUSED; operator in prod/onepassword: CrashLoopBackOff',
        severity: 'high',
      },
    });
  });

  it('sends nothing for what was unhealthy already, on the first refresh, or without recipients', () => {
    const base = {
      after: [down],
      recipients: ['group:default/platform'],
      link: '/onepassword',
      now,
    };
    expect(
      planHealthDigest({ ...base, before: [down], firstRefresh: false }),
    ).toBeNull();
    expect(
      planHealthDigest({ ...base, before: [healthy], firstRefresh: true }),
    ).toBeNull();
    expect(
      planHealthDigest({
        ...base,
        before: [healthy],
        recipients: [],
        firstRefresh: false,
      }),
    ).toBeNull();
  });
});
