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

import { emptyStatusCounts } from '@secret-sync/backstage-plugin-onepassword-common';
import {
  describeAutoRestart,
  findWorstRecord,
  presentStatuses,
} from './status';
import { secretRecord } from '../__testUtils__/fixtures';

describe('findWorstRecord', () => {
  it('picks the most severe status', () => {
    const records = [
      secretRecord({ secretName: 'a', status: 'pending' }),
      secretRecord({ secretName: 'b', status: 'access-denied' }),
      secretRecord({ secretName: 'c', status: 'stale' }),
    ];
    expect(findWorstRecord(records)?.secretName).toBe('b');
  });

  it('finds nothing when everything is in sync', () => {
    expect(findWorstRecord([secretRecord({ status: 'in-sync' })])).toBe(
      undefined,
    );
  });
});

describe('presentStatuses', () => {
  it('lists non-zero statuses, most severe first', () => {
    const counts = { ...emptyStatusCounts(), 'in-sync': 3, stale: 1, error: 2 };
    expect(presentStatuses(counts)).toEqual(['error', 'stale', 'in-sync']);
  });
});

describe('describeAutoRestart', () => {
  it('says whether it is on and where it is set', () => {
    expect(describeAutoRestart({ enabled: true, source: 'namespace' })).toBe(
      'on (set on the namespace)',
    );
    expect(describeAutoRestart({ enabled: false, source: 'operator' })).toBe(
      'off (operator default)',
    );
  });
});
