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
 * A sandbox scenario, as loaded from YAML. Field values in scenarios are fake.
 * Times may be absolute ISO strings or relative durations such as `-2h`,
 * `-90s`, `-3d` (relative to when the sandbox starts).
 */
export interface Scenario {
  name: string;
  connect: ConnectServerSpec[];
  clusters: ClusterSpec[];
}

export interface ConnectServerSpec {
  /** Matches `onepassword.connect.servers[].name` in app-config. */
  name: string;
  /** Fixed port; 0 = any free port. */
  port: number;
  tokens: ConnectTokenSpec[];
  vaults: VaultSpec[];
  /** Faults active from start, e.g. to show `unknown` in the demo. */
  faults?: ConnectFaults;
  /**
   * Bearer token of the sandbox's own control endpoints (`/__sandbox/...`),
   * which real Connect does not have. Default `sandbox-connect-<name>-control`.
   */
  adminToken?: string;
}

export interface ConnectTokenSpec {
  /** Name used in scenarios (e.g. by a cluster's operator) and in the info file. */
  name: string;
  /** The bearer token value; fake, fixed in the demo so app-config can use it. */
  token: string;
  /** Vault titles (or ids) this token may read; `'*'` for all. */
  vaults: string[] | '*';
  /** Whether the token may create/update/delete items (Connect write access). */
  write?: boolean;
  revoked?: boolean;
}

export interface VaultSpec {
  /** 26 lowercase alphanumerics; generated deterministically from the title if absent. */
  id?: string;
  name: string;
  description?: string;
  createdAt?: string;
  items: ItemSpec[];
}

export interface ItemSpec {
  id?: string;
  title: string;
  category?: string;
  tags?: string[];
  /** Current version; the item history before it is implied. Default 1. */
  version?: number;
  createdAt?: string;
  updatedAt?: string;
  fields?: Array<{
    id?: string;
    label: string;
    type?: string;
    purpose?: 'USERNAME' | 'PASSWORD' | 'NOTES';
    value?: string;
  }>;
  urls?: Array<{ label?: string; primary?: boolean; href: string }>;
  /** Files attached to the item; `content` is text. */
  files?: Array<{ id?: string; name: string; content: string }>;
  /**
   * A cluster (by name) after each of whose operator polls the sandbox edits
   * this item again, so the cluster's Secret stays one change behind and
   * `pending` for as long as the sandbox runs, as a busy item would.
   */
  reEditAfterPollsOf?: string;
}

export interface ConnectFaults {
  /** Answer every request with HTTP 500. */
  error500?: boolean;
  /** Delay every answer by this many milliseconds. */
  delayMs?: number;
  /** Close every connection without answering. */
  refuse?: boolean;
  /**
   * Vaults (by name or id) whose item list answers with this status: 403 as
   * Connect 1.7.1's false "token does not have access to vault" (connect#82),
   * 5xx as "Something went wrong". The other vaults answer normally.
   */
  vaultErrors?: Record<string, number>;
  /** The next this many `/v1` requests answer 503, then the server recovers. */
  transientErrors?: number;
  /** Item lists without `version`, which no live capture confirms Connect always sends. */
  omitItemVersions?: boolean;
  /** `/health` answers 200 with `sync` NOT_SYNCED: the cache is behind 1Password. */
  syncLagging?: boolean;
}

export interface ClusterSpec {
  /** Matches `kubernetes.clusterLocatorMethods[].clusters[].name` in app-config. */
  name: string;
  /** Fixed HTTPS port; 0 = any free port. */
  port: number;
  /** Bearer tokens the API server accepts; the first is the admin token. */
  tokens: string[];
  operator: OperatorSpec;
  namespaces: NamespaceSpec[];
  /** Unreachable from start: the server refuses connections. */
  down?: boolean;
  /**
   * Narrower RBAC per token (the others are admin or cluster-wide readers):
   * `namespaces` allows namespaced kinds only in those namespaces (Roles per
   * namespace: cluster-wide lists answer 403); `deny` forbids kinds, e.g.
   * `secrets` or `events`.
   */
  rbac?: Record<string, { namespaces?: string[]; deny?: string[] }>;
  /** False: the OnePasswordItem CRD is not installed (its paths answer 404). Default true. */
  crdInstalled?: boolean;
  /** The API server's `--event-ttl` in seconds: events are deleted that long after their last update. Default 3600. */
  eventTtlSeconds?: number;
}

interface OperatorSpec {
  /** Namespace of the operator Deployment the sandbox creates, as Helm would. */
  namespace?: string;
  /** Name of the operator Deployment; Helm default `onepassword-connect-operator`. */
  deploymentName?: string;
  /** Image tag, default `1.12.0`. */
  version?: string;
  /** The Connect server (by scenario name) and token (by name) the operator uses. */
  connectServer: string;
  connectToken: string;
  /** POLLING_INTERVAL in seconds; default 600. */
  pollingIntervalSeconds?: number;
  autoRestart?: boolean;
  /** WATCH_NAMESPACE; absent = all namespaces. */
  watchNamespaces?: string[];
  /** False: the operator Deployment has 0 replicas (no reconcile, no poll until scaled up). Default true. */
  running?: boolean;
  /** controller-runtime's cache resync period in seconds; default 36000 (10 hours). */
  resyncPeriodSeconds?: number;
  /** When the running operator pod started; default when the sandbox starts. */
  startedAt?: string;
  /**
   * The token Secret `onepassword-token` was rewritten at `at` with the token
   * named `token` (on the same Connect server), after the operator pod
   * started: the running operator keeps `connectToken` until it restarts.
   */
  rotatedToken?: { token: string; at: string };
  /**
   * A Connect server deployed in the operator's namespace (Deployment and
   * Service `onepassword-connect`, credentials in Secret `op-credentials`),
   * which the operator reaches as `http://onepassword-connect:8080`. It
   * serves `connectServer`'s vaults.
   */
  inClusterConnect?: InClusterConnectSpec;
}

export interface InClusterConnectSpec {
  /**
   * How the credentials file is stored in the Secret's data: `twice` (what
   * the Helm chart did; default) or `once`, as `kubectl create secret
   * --from-file` does, on which Connect exits at start and crash-loops.
   */
  credentialsEncoding?: 'twice' | 'once';
  /** When the Connect pods started; default when the sandbox starts. */
  startedAt?: string;
  /**
   * The Connect server was deleted and re-created with the CLI at this time,
   * after the pods started, and its new credentials written to the Secret:
   * the pods keep the old ones, and the operator's calls fail, until the
   * Deployment is rolled.
   */
  recreatedAt?: string;
}

export interface NamespaceSpec {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  onePasswordItems?: OnePasswordItemSpec[];
  deployments?: DeploymentSpec[];
}

export interface OnePasswordItemSpec {
  name: string;
  /** `vaults/<vault id or title>/items/<item id or title>`. */
  itemPath: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Secret type (top-level `type` of the CRD). */
  type?: string;
  /**
   * History before the sandbox starts: the Secret already exists, synced at
   * this item version at this time (e.g. to show a stale Secret whose operator
   * lost access since).
   */
  syncedSecret?: { version: number; syncedAt: string };
}

/**
 * One way a pod template reads a Secret: `env` (`valueFrom.secretKeyRef`
 * of `key`), `envFrom` (`secretRef`), `volume` (a `secret` volume),
 * `projected` (a projected volume's `secret` source) or `subPath` (a
 * `secret` volume mounted with `subPath: key`).
 */
export interface SecretConsumerSpec {
  secret: string;
  as: 'env' | 'envFrom' | 'volume' | 'projected' | 'subPath';
  /** The Secret's key, for `env` and `subPath`; default `password`. */
  key?: string;
}

export interface DeploymentSpec {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Secret names the pod template references through `envFrom.secretRef`. */
  secretRefs?: string[];
  /** Further ways the pod template reads Secrets (beside `secretRefs`). */
  consumes?: SecretConsumerSpec[];
  /**
   * Literal `env[].value`s of the container: people paste credentials
   * there, so leak tests put canaries in them.
   */
  literalEnv?: Record<string, string>;
  /** When its running pods were created (scenario history); default when the sandbox starts. */
  podsStartedAt?: string;
  replicas?: number;
  /** Pre-existing `ReconcileError` / `RateLimited` events on this Deployment. */
  events?: Array<{
    reason: 'ReconcileError' | 'RateLimited';
    message: string;
    at?: string;
  }>;
}
