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

export interface Config {
  permission?: {
    /**
     * Groups (entity refs such as group:default/team-platform) that run the
     * platform: under the demo's owner-only policy they may read the
     * 1Password audit, refresh, see server and cluster health, and read any
     * entity's Secrets. Everyone else reads only the entities they own.
     */
    platformGroups?: string[];
  };
}
