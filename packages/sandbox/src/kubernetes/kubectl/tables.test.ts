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

import { requireResourceType } from '../resourceTypes';
import { humanDuration, toTable } from './tables';

const now = new Date('2026-06-01T12:00:00Z');
const ago = (seconds: number) =>
  new Date(now.getTime() - seconds * 1000).toISOString();

describe('server-side tables', () => {
  it.each([
    [45, '45s'],
    [150, '2m30s'],
    [3600, '60m'],
    [4 * 3600 + 300, '4h5m'],
    [20 * 3600, '20h'],
    [3 * 86400 + 7200, '3d2h'],
    [40 * 86400, '40d'],
  ])('prints %ss as %s', (seconds, expected) => {
    expect(humanDuration(ago(seconds), now)).toBe(expected);
  });

  it('prints the CRD printer columns of a OnePasswordItem', () => {
    const table = toTable(
      requireResourceType('onepassworditems'),
      [
        {
          metadata: { name: 'db', creationTimestamp: ago(30) },
          status: { conditions: [{ type: 'Ready', status: 'False' }] },
        },
      ],
      { now },
    );
    expect(table.columnDefinitions?.map(column => column.name)).toEqual([
      'Name',
      'Age',
      'Ready',
    ]);
    expect(table.rows[0].cells).toEqual(['db', '30s', 'False']);
    expect(table.rows[0].object.kind).toBe('PartialObjectMetadata');
  });

  it('prints a crash-looping pod as kubectl does, without its spec', () => {
    const table = toTable(
      requireResourceType('pods'),
      [
        {
          metadata: { name: 'op-1', creationTimestamp: ago(600) },
          spec: {
            containers: [{ name: 'op', env: [{ name: 'X', value: 'v' }] }],
          },
          status: {
            phase: 'Running',
            containerStatuses: [
              {
                ready: false,
                restartCount: 5,
                state: { waiting: { reason: 'CrashLoopBackOff' } },
                lastState: { terminated: { exitCode: 2, finishedAt: ago(60) } },
              },
            ],
          },
        },
      ],
      { now },
    );
    expect(table.rows[0].cells).toEqual([
      'op-1',
      '0/1',
      'CrashLoopBackOff',
      '5 (60s ago)',
      '10m',
    ]);
    expect(JSON.stringify(table)).not.toContain('env');
  });
});
