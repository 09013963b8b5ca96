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

export interface Config {
  /**
   * `onepassword.connect.servers` is declared by
   * `@secret-sync/backstage-plugin-onepassword-backend`; this module reads
   * the vaults of each of those servers with the same name, URL and token.
   */
  catalog?: {
    providers?: {
      /** 1Password vaults as `Resource` entities of type `1password-vault`. */
      onepassword?: {
        /**
         * The platform group that owns a vault no service claims in its
         * `1password.com/vaults` annotation, or that services with different
         * owners claim. An entity reference; the kind defaults to Group.
         */
        defaultOwner: string;
        /**
         * How often the vaults are read from Connect; default every 10
         * minutes with a 2 minute timeout.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
