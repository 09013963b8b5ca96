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
  ClusterHealth,
  ConnectServerHealth,
} from '@secret-sync/backstage-plugin-onepassword-common';
import type {
  RecordWriteResult,
  StoredSecretRecord,
} from '../database/SecretSyncStore';

/**
 * What one finished refresh changed, for what follows it (notifications,
 * signals): the state before it, the records after it and what the store
 * wrote. Health after the refresh is in the store.
 * @public
 */
export interface RefreshOutcome {
  /** When the refresh evaluated the records. */
  at: string;
  /**
   * When the refresh before this one finished, from the database; null on
   * the first refresh after install (so a restart is not a first refresh).
   */
  previousRefreshAt: string | null;
  previous: {
    records: StoredSecretRecord[];
    servers: ConnectServerHealth[];
    clusters: ClusterHealth[];
  };
  records: StoredSecretRecord[];
  write: RecordWriteResult;
}

/** Runs after every refresh that stored its result. @public */
export type RefreshFollowUp = (outcome: RefreshOutcome) => Promise<void>;
