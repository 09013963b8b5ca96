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

import type {
  AuditResponse,
  ClustersResponse,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { Knex } from 'knex';
import request from 'supertest';
import { createTestDatabases } from './__testUtils__/databases';
import {
  GeneratedScenarioRun,
  startGeneratedScenario,
} from './__testUtils__/generatedScenario';
import { RefreshCostCounter } from './__testUtils__/refreshCost';
import { SandboxBackend } from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const { databases, supportedIds } = createTestDatabases();

// One cluster: 6 namespaces, 6 Secrets (and the operator's own).
const sizes = { services: 6, items: 6, clusters: 1, vaults: 2 };

describe.each(supportedIds)(
  'a cluster larger than a watched collection may be (%s)',
  databaseId => {
    let backend: SandboxBackend;
    let knex: Knex;
    let cost: RefreshCostCounter;
    let run: GeneratedScenarioRun;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      run = await startGeneratedScenario({ sizes, knex });
      ({ cost } = run);
      backend = await run.startBackend({
        onePasswordConfig: {
          clusterWatch: {
            enabled: true,
            refreshDelay: false,
            maxObjectsPerCollection: 4,
          },
        },
      });
    });

    afterAll(async () => {
      await run?.stop();
    });

    it('reads its larger collections by paged lists on each refresh, says so in GET /clusters, and still stores every Secret', async () => {
      await backend.refresh();
      await backend.refresh();
      cost.reset();
      await backend.refresh();
      const paths = cost.clusterRequests.map(url => url.split('?')[0]);
      // Over the cap (more than 4 objects): listed again, never watched.
      expect(paths).toContain('/api/v1/secrets');
      expect(paths).toContain('/api/v1/namespaces');
      expect(cost.clusterRequests.some(url => /[?&]watch=/.test(url))).toBe(
        false,
      );

      const clusters = (
        await request(backend.server).get('/api/onepassword/clusters')
      ).body as ClustersResponse;
      const unwatched = clusters.items[0].unwatched ?? [];
      expect(unwatched.map(u => u.collection)).toEqual(
        expect.arrayContaining(['/api/v1/secrets', '/api/v1/namespaces']),
      );
      expect(unwatched[0].reason).toContain(
        'more than the 4 a watched collection may hold',
      );

      const audit = (
        await request(backend.server).get('/api/onepassword/audit?limit=1')
      ).body as AuditResponse;
      expect(audit.total).toBe(sizes.items);
      expect(audit.byStatus.unknown).toBe(0);
    });
  },
);
