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
      /**
       * The most objects one collection of one cluster (its Secrets, its
       * Deployments, …) is watched and kept with between refreshes. A larger
       * collection is read by paged lists on each refresh instead, and
       * GET /clusters says so under `unwatched`. Default 50000.
       */
      maxObjectsPerCollection?: number;
    };
    /**
     * How often the sync snapshot is refreshed, on one replica at a time.
     * Default: every 60 s, timeout 5 min. A replica that dies mid-refresh is
     * taken over once its lease runs out (at most 15 s), not at the timeout;
     * `scope` is ignored.
     */
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
    /**
     * Backstage notifications (through the notifications backend) when a
     * refresh finds a record turned bad, recovered, or its pods needing a
     * restart. Nothing is sent on the first refresh after install.
     */
    notifications?: {
      /** Default true. */
      enabled?: boolean;
      /**
       * Statuses that notify the owning entity when a record turns to them
       * from in-sync or pending (and, on recovery, when it leaves them).
       * Default stale, error, missing, item-not-found, access-denied.
       */
      statuses?: Array<
        | 'stale'
        | 'error'
        | 'missing'
        | 'item-not-found'
        | 'access-denied'
        | 'unknown'
      >;
      /**
       * A record that made the same transition within this period does not
       * notify again (a flapping Secret). Default { hours: 1 }; a duration
       * object or a string such as '1h'.
       */
      quietPeriod?: HumanDuration | string;
      /** Notify when pods start to need a restart to read a changed Secret; default true. */
      restartNeeded?: boolean;
      /**
       * Entity refs (groups or users) that get one digest per refresh of the
       * Connect servers and operators that turned unhealthy, e.g.
       * [group:default/team-platform]. Default none: no digest.
       */
      platformRecipients?: string[];
    };
    /** The status history of each record. */
    history?: {
      /**
       * How long status transitions are kept; older ones are deleted hourly.
       * Default { days: 90 } (the Secrets tab's timeline shows 30 days).
       */
      retention?: HumanDuration | string;
    };
    /**
     * When an item is due for rotation: rules tried in order, the first that
     * matches an item applies. Records then carry `rotateBy` (the item's
     * last change in 1Password plus `maxAge`) and `rotationDue`, and the
     * audit filters on `rotationDue`. Absent: nothing is due.
     */
    rotation?: {
      maxAge?: Array<{
        /** Vault names or ids, `*` and `?` wildcards (e.g. `team-*`); absent: any vault. */
        vaults?: string[];
        /** Item categories (`LOGIN`, `DATABASE`, `PASSWORD`, ...); absent: any category. */
        categories?: string[];
        /** How old an item may get, e.g. { days: 90 } or 'P90D'. */
        maxAge: HumanDuration | string;
      }>;
    };
    /**
     * Naming conventions, listed on the audit page (`GET /naming`) and
     * enforced by the scaffolder module when it creates a vault or writes a
     * OnePasswordItem. Each is a pattern with placeholders, or
     * `{ regex: '...' }`; an absent rule is not checked.
     */
    naming?: {
      /** Vault titles, from the owning entity: `{system}`, `{owner}`, `{name}`, `{namespace}`, `{lifecycle}`, e.g. '{system}-{lifecycle}'. */
      vaults?: string | { regex: string };
      /** Connect server names, from a cluster they serve: `{cluster}`, e.g. 'connect-{cluster}'. */
      connectServers?: string | { regex: string };
      /** OnePasswordItem (and Secret) names, from the item title as a Kubernetes name: `{title}`. */
      onePasswordItems?: string | { regex: string };
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
