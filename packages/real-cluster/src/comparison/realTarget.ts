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

import { join } from 'node:path';
import { ClusterTarget, createCa, httpWrites } from '@internal/sandbox';
import { requireRealBinaries } from '../binaries';
import { startScenarioCluster } from '../scenarioCluster';

/**
 * A real kube-apiserver seeded from the same spec as the sandbox's cases
 * (no operator running), for the sandbox's own kubectl and client-node cases.
 */
export const realTarget: ClusterTarget = {
  name: 'real kube-apiserver',
  decodesProtobuf: true,
  canGoDown: false,
  start: async (spec, dir) => {
    const real = await startScenarioCluster({
      spec,
      connect: { url: 'http://127.0.0.1:1', token: 'unused' },
      workDir: join(dir, 'real'),
      ca: createCa(),
      operator: false,
      binaries: requireRealBinaries(),
    });
    const cluster = real.cluster;
    return {
      url: cluster.url,
      caData: cluster.caData,
      adminToken: cluster.adminToken,
      ...httpWrites(cluster),
      stop: () => real.stop(),
    };
  },
};
