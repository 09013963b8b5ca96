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

import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** This package's directory, from source and from a build alike. */
export const REAL_CLUSTER_PACKAGE_DIR = dirname(
  require.resolve('@internal/real-cluster/package.json'),
);

/** Where `scripts/build.sh` leaves the binaries: `<repo>/.cache/real/bin`. */
export const REAL_BINARIES_DIR = resolve(
  process.env.REAL_CLUSTER_CACHE ??
    resolve(REAL_CLUSTER_PACKAGE_DIR, '../../.cache/real'),
  'bin',
);

/** The real components, built from their Go modules by `scripts/build.sh`. */
export interface RealBinaries {
  etcd: string;
  kubeApiserver: string;
  operator: string;
  /** The operator module's `config/crd/bases/onepassword.com_onepassworditems.yaml`. */
  onePasswordItemCrd: string;
  /** The operator module's `config/rbac/role.yaml` (ClusterRole `manager-role`). */
  operatorRole: string;
}

export function realBinaryPaths(dir = REAL_BINARIES_DIR): RealBinaries {
  return {
    etcd: resolve(dir, 'etcd'),
    kubeApiserver: resolve(dir, 'kube-apiserver'),
    operator: resolve(dir, 'operator'),
    onePasswordItemCrd: resolve(dir, 'onepassword.com_onepassworditems.yaml'),
    operatorRole: resolve(dir, 'operator-role.yaml'),
  };
}

/**
 * The binaries, or an error that says how to build them. Tests call this
 * instead of skipping: a missing build is a failure, never a silent pass.
 */
export function requireRealBinaries(dir = REAL_BINARIES_DIR): RealBinaries {
  const paths = realBinaryPaths(dir);
  const missing = Object.values(paths).filter(path => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(
      `The real components are not built (missing ${missing.join(
        ', ',
      )}); run packages/real-cluster/scripts/build.sh (needs Go)`,
    );
  }
  return paths;
}
