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

import fc from 'fast-check';
import { SYNC_STATUSES } from '../status';
import { resolveAutoRestart } from './autoRestart';
import { evaluateSecretSync } from './evaluateSecretSync';
import type { ItemLookup, SecretSyncInput } from './types';

const NOW = new Date('2026-11-28T12:00:00.000Z');

/** Times around now, as the backend hands them over (ISO strings). */
const validTime = fc
  .integer({ min: -90 * 86400, max: 3600 })
  .map(s => new Date(NOW.getTime() + s * 1000).toISOString());
/** Strings no clock can read, as a broken Connect or cluster could send. */
const unreadableTime = fc.constantFrom('', 'yesterday', '2026-13-45T99:00:00Z');
const text = fc.string({ maxLength: 40 });
/** Messages come from errors the backend names: never empty. */
const message = fc
  .string({ minLength: 1, maxLength: 40 })
  .filter(m => m.trim() !== '');
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const version = fc.oneof(
  fc.integer({ min: 0, max: 50 }),
  fc.constant(Number.MAX_SAFE_INTEGER),
);
const itemPath = fc.oneof(
  fc.constantFrom(
    'vaults/payments/items/db',
    'vaults/a/items/b/c',
    'nonsense',
    '',
  ),
  text,
);

function secretSyncInput(
  time: fc.Arbitrary<string>,
): fc.Arbitrary<SecretSyncInput> {
  const item: fc.Arbitrary<ItemLookup> = fc.oneof(
    fc.record({
      kind: fc.constant('found' as const),
      vaultName: text,
      item: fc.record({
        id: text,
        title: text,
        vaultId: text,
        version,
        updatedAt: maybe(time),
        createdAt: maybe(time),
        tags: fc.array(
          fc.oneof(text, fc.constant('operator.1password.io:ignore-secret')),
        ),
      }),
    }),
    fc.record({
      kind: fc.constant('not-found' as const),
      what: fc.constantFrom('vault' as const, 'item' as const),
    }),
    fc.record({
      kind: fc.constant('access-denied' as const),
      status: fc.constantFrom(401 as const, 403 as const),
    }),
    fc.record({
      kind: fc.constant('unavailable' as const),
      message,
      since: maybe(time),
    }),
    fc.record({ kind: fc.constant('no-server' as const), message }),
  );

  return fc.record({
    cluster: text,
    namespace: text,
    secretName: text,
    source: fc.constantFrom('OnePasswordItem' as const, 'Deployment' as const),
    itemPath,
    connectServer: maybe(text),
    item,
    secret: maybe(
      fc.record({
        itemPath: maybe(itemPath),
        itemVersion: maybe(version),
        lastWrittenAt: maybe(time),
        autoRestart: maybe(
          fc.oneof(fc.constantFrom('true', 'false', 'TRUE', '1', 'yes'), text),
        ),
      }),
    ),
    ready: maybe(
      fc.record({
        status: fc.constantFrom(
          'True' as const,
          'False' as const,
          'Unknown' as const,
        ),
        message: fc.option(text, { nil: undefined }),
        lastTransitionTime: fc.option(time, { nil: undefined }),
      }),
    ),
    events: fc.array(
      fc.record({
        reason: fc.oneof(fc.constant('ReconcileError'), text),
        message: text,
        at: maybe(time),
      }),
      { maxLength: 3 },
    ),
    operator: fc.record({
      // The backend reads an invalid POLLING_INTERVAL as the default, 600.
      pollingIntervalSeconds: fc.integer({ min: 0, max: 86400 }),
      autoRestart: fc.boolean(),
      watchNamespaces: maybe(fc.array(text, { maxLength: 3 })),
    }),
    namespaceAutoRestart: maybe(text),
    consumers: fc.array(
      fc.record({
        name: text,
        autoRestart: maybe(text),
        lastRestartedAt: maybe(time),
      }),
      { maxLength: 3 },
    ),
    previous: maybe(
      fc.record({
        status: fc.constantFrom(...SYNC_STATUSES),
        statusSince: maybe(time),
        syncedAt: maybe(time),
        verifiedAt: maybe(time),
        secretVersion: maybe(version),
      }),
    ),
  });
}

const input = secretSyncInput(validTime);

describe('evaluateSecretSync (properties)', () => {
  it('never throws, and answers a known status', () => {
    fc.assert(
      fc.property(input, sample => {
        const record = evaluateSecretSync(sample, NOW);
        expect(SYNC_STATUSES).toContain(record.status);
      }),
      { numRuns: 500 },
    );
  });

  it('gives every non-green status a message and a hint', () => {
    fc.assert(
      fc.property(input, sample => {
        const record = evaluateSecretSync(sample, NOW);
        const blank = (value: string | null) => !value || value.trim() === '';
        const missing =
          record.status === 'in-sync'
            ? []
            : [
                ...(blank(record.message) ? ['message'] : []),
                ...(blank(record.hint) ? ['hint'] : []),
              ];
        expect({ status: record.status, missing }).toEqual({
          status: record.status,
          missing: [],
        });
      }),
      { numRuns: 500 },
    );
  });

  it('is pure: the same facts give the same record', () => {
    fc.assert(
      fc.property(input, sample => {
        expect(evaluateSecretSync(sample, NOW)).toEqual(
          evaluateSecretSync(structuredClone(sample), NOW),
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('evaluateSecretSync on unreadable times', () => {
  // An item updatedAt or a stored statusSince that Date cannot parse is
  // treated as absent, never a RangeError.
  it('never throws', () => {
    fc.assert(
      fc.property(secretSyncInput(unreadableTime), f => {
        expect(() => evaluateSecretSync(f, NOW)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});

describe('resolveAutoRestart (properties)', () => {
  it('never throws on any annotation value, and names the level it used', () => {
    const value = maybe(
      fc.oneof(fc.constantFrom('true', 'false', 'T', '0'), text),
    );
    fc.assert(
      fc.property(
        value,
        fc.array(value, { maxLength: 3 }),
        value,
        fc.boolean(),
        (secret, deployments, namespace, operator) => {
          const setting = resolveAutoRestart({
            secret,
            deployments,
            namespace,
            operator,
          });
          expect(typeof setting.enabled).toBe('boolean');
          expect(['secret', 'deployment', 'namespace', 'operator']).toContain(
            setting.source,
          );
        },
      ),
    );
  });
});
