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
 * Local stand-ins for 1Password Connect servers, Kubernetes API servers and
 * the 1Password operator, for development and tests.
 *
 * @packageDocumentation
 */

export * from './sandbox';
export { startKubernetesCluster, loadOrCreateCa } from './kubernetes';
export type {
  KubernetesCluster,
  KubernetesClusterOptions,
  OperatorControls,
} from './kubernetes';
export {
  ConnectServer,
  defaultAdminToken,
  CONTROL_PATH_PREFIX,
} from './connect/ConnectServer';
export type { ConnectServerOptions } from './connect/ConnectServer';
export { ConnectStore } from './connect/ConnectStore';
export type { ItemChanges } from './connect/ConnectStore';
export { ConnectTokens } from './connect/ConnectTokens';
export type { ConnectTokenState } from './connect/ConnectTokens';
export { ConnectFaultSwitch } from './connect/ConnectFaultSwitch';
export type { RequestLogEntry, RequestStats } from './connect/RequestLog';
export { deterministicId } from './connect/ids';
export type * from './connect/types';
export { loadScenario, scenarioFilePath } from './scenario/loadScenario';
export { parseScenario } from './scenario/parseScenario';
export {
  generateScenario,
  generatedServiceName,
} from './scenario/generateScenario';
export type { GenerateScenarioOptions } from './scenario/generateScenario';
export type * from './scenario/types';
export type { SandboxLogger } from './logger';
// For @internal/real-cluster, which seeds real API servers like the sandbox's
// and runs the sandbox's Kubernetes API cases against them.
export { ResourceStore, createCa } from './kubernetes';
export type { CertificateAuthority } from './kubernetes';
export { issueServerCertificate } from './kubernetes/tls';
export { seedCluster, operatorLocation } from './kubernetes/scenarioSeed';
export {
  sandboxTarget,
  httpWrites,
  collectionPath,
} from './kubernetes/conformance/ClusterTarget';
export type {
  ClusterTarget,
  ClusterUnderTest,
} from './kubernetes/conformance/ClusterTarget';
export { describeClientNodeCases } from './kubernetes/conformance/clientNodeCases';
export { describeKubectlCases } from './kubernetes/conformance/kubectlCases';
