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

import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the 1Password Connect sync-status plugin. */
  onepassword?: {
    connect: {
      /** The Connect servers Backstage reads item versions from. */
      servers: Array<{
        /** Unique name, referenced by `clusters.<name>.connectServer` and `scaffolder.allowedVaults`. */
        name: string;
        /** Base URL of the Connect API, e.g. http://onepassword-connect:8080 */
        url: string;
        /**
         * A Connect token with read access to the vaults to check.
         * @visibility secret
         */
        token: string;
      }>;
      /** Retries of transient Connect failures (no answer, 429, 5xx) within one refresh. */
      retry?: {
        /** Tries after the first; default 2. */
        retries?: number;
        /** Wait before the first retry, doubled each time; default 250. */
        backoffMs?: number;
      };
    };
    /** How long the operator's poll takes: it walks its Secrets one at a time. */
    operatorPoll?: {
      /** Seconds per Secret (vault lookup, item get, files); default 0.2. The pending window is POLLING_INTERVAL + Secrets x this + a grace. */
      secondsPerSecret?: number;
    };
    /** How clusters are kept current between refreshes. */
    clusterWatch?: {
      /**
       * Watch each collection a refresh reads (through the Kubernetes
       * plugin's proxy) so that a refresh with nothing changed sends no
       * request to any cluster. False: list every collection, paged, on every
       * refresh. Default true.
       */
      enabled?: boolean;
      /**
       * How long after a watched change a refresh runs (changes within this
       * delay share one refresh), or false to refresh only on the schedule.
       * Default { seconds: 2 }.
       */
      refreshDelay?: false | HumanDuration;
    };
    /** How often the sync snapshot is refreshed. Default: every 60 s, timeout 5 min. */
    refresh?: SchedulerServiceTaskScheduleDefinitionConfig;
    /** Polling interval assumed where the operator's Deployment cannot be read. Default 600. */
    pollingIntervalSeconds?: number;
    /** Per-cluster overrides, keyed by the Kubernetes plugin's cluster name. */
    clusters?: {
      [clusterName: string]: {
        /** The Connect server (by name) this cluster's operator uses. */
        connectServer?: string;
        /**
         * Namespaces to read one by one where the plugin's RBAC forbids
         * cluster-wide lists (Roles per namespace); default: the operators' WATCH_NAMESPACE.
         */
        namespaces?: string[];
      };
    };
    /** Self-service credentials through the scaffolder. */
    scaffolder?: {
      /**
       * The vaults self-service credentials may use, per Connect server:
       * `GET /vaults` offers only these, and the scaffolder module
       * (`@secret-sync/backstage-plugin-scaffolder-backend-module-onepassword`)
       * writes only to these. Vault names or ids; `*` and `?` are wildcards
       * (e.g. `team-*`). Absent or empty: no vault is offered and every
       * request is refused (a warning at start-up names this key).
       */
      allowedVaults?: Array<{
        /** A server name from `onepassword.connect.servers`. */
        server: string;
        vaults: string[];
      }>;
    };
  };
}
