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

/**
 * The real components in the test world: etcd and kube-apiserver (as envtest
 * runs them) and the 1Password operator, built from their Go modules.
 *
 * @packageDocumentation
 */

export * from './binaries';
export { KubeHttp, waitFor } from './KubeHttp';
export type { KubeRequest, KubeResponse } from './KubeHttp';
export { ManagedProcess, freePort } from './ManagedProcess';
export { RealCluster } from './RealCluster';
export type { RealClusterOptions, RealClusterUser } from './RealCluster';
export { startRealOperator } from './RealOperator';
export type { RealOperatorOptions } from './RealOperator';
export {
  startScenarioCluster,
  OPERATOR_USER,
  READER_CLUSTER_ROLE,
} from './scenarioCluster';
export type {
  ScenarioCluster,
  ScenarioClusterOptions,
} from './scenarioCluster';
export { startRealWorld } from './realWorld';
export type { RealWorld, RealWorldOptions } from './realWorld';
