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

import { SyncedSecretCandidate } from './collectSyncedSecrets';
import { workloadConsumerFields } from './workloadConsumers';

const WRITTEN = '2026-12-01T10:00:00.000Z';

function candidate(
  overrides: {
    secretAutoRestart?: string | null;
    lastWrittenAt?: string | null;
    podsUnreadable?: string | null;
  } = {},
): SyncedSecretCandidate {
  return {
    labels: {},
    podsUnreadable: overrides.podsUnreadable ?? null,
    workloads: [
      {
        namespace: 'payments',
        name: 'api',
        podSpec: {
          containers: [
            { name: 'api', envFrom: [{ secretRef: { name: 'db' } }] },
          ],
        },
        podCreatedAt: ['2026-12-01T09:00:00Z'],
        autoRestart: null,
        lastRestartedAt: null,
      },
    ],
    facts: {
      cluster: 'dev',
      namespace: 'payments',
      secretName: 'db',
      source: 'OnePasswordItem',
      itemPath: 'vaults/v/items/db',
      secret: {
        itemPath: 'vaults/v/items/db',
        itemVersion: 2,
        lastWrittenAt:
          overrides.lastWrittenAt === undefined
            ? WRITTEN
            : overrides.lastWrittenAt,
        autoRestart: overrides.secretAutoRestart ?? null,
      },
      ready: null,
      events: [],
      namespaceAutoRestart: null,
      consumers: [],
    },
  };
}

describe('workloadConsumerFields', () => {
  it('needs a restart when env pods predate the operator write', () => {
    const fields = workloadConsumerFields(
      candidate(),
      { syncedAt: null },
      false,
    );
    expect(fields.restartNeeded).toBe(true);
    expect(fields.consumers).toEqual([
      expect.objectContaining({
        podsBeforeWrite: 1,
        verdict: 'restart-needed',
      }),
    ]);
    expect(fields.restartHint).toMatch(/roll the Deployment/);
  });

  it("resolves auto-restart with the operator's precedence: the Secret's annotation wins", () => {
    const on = workloadConsumerFields(
      candidate({ secretAutoRestart: 'true' }),
      { syncedAt: null },
      false,
    );
    expect(on.consumers?.[0].verdict).toBe('auto-restart-missed');
    const off = workloadConsumerFields(
      candidate({ secretAutoRestart: 'false' }),
      { syncedAt: null },
      true,
    );
    expect(off.consumers?.[0].verdict).toBe('restart-needed');
  });

  it('falls back to when the record saw the Secret take its version', () => {
    const fields = workloadConsumerFields(
      candidate({ lastWrittenAt: null }),
      { syncedAt: '2026-12-01T08:00:00.000Z' },
      false,
    );
    expect(fields.restartNeeded).toBe(false);
    expect(fields.consumers?.[0].verdict).toBe('current');
  });

  it('gives no verdict where the pods could not be read, and says why', () => {
    expect(
      workloadConsumerFields(
        candidate({ podsUnreadable: 'Forbidden to list pods' }),
        { syncedAt: null },
        false,
      ),
    ).toEqual({ restartHint: 'Forbidden to list pods' });
  });
});
