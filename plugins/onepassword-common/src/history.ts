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

import type { SyncStatus } from './status';

/** One status change of a synced Secret. @public */
export interface SecretStatusTransition {
  /** `cluster/namespace/secretName`, the record it belongs to. */
  recordKey: string;
  cluster: string;
  namespace: string;
  secretName: string;
  /** Null when the record first appeared. */
  fromStatus: SyncStatus | null;
  toStatus: SyncStatus;
  /** When the record entered `toStatus` (ISO 8601). */
  at: string;
  itemVersion: number | null;
  secretVersion: number | null;
  message: string | null;
}

/** Query of `GET /entities/:namespace/:kind/:name/secrets/history`. @public */
export interface SecretHistoryQuery {
  /** One record of the entity (`cluster/namespace/secretName`); default all of them. */
  record?: string;
  /** Only transitions at or after this time (ISO 8601). */
  since?: string;
  /** 1-500, default 100. */
  limit?: number;
  cursor?: string;
}

/** `GET /entities/:namespace/:kind/:name/secrets/history`, newest first. @public */
export interface SecretHistoryResponse {
  entityRef: string;
  items: SecretStatusTransition[];
  nextCursor: string | null;
}

/**
 * The signals channel on which the backend tells that a refresh changed an
 * entity's Secrets, so an open Secrets tab reads them again.
 * @public
 */
export function entitySecretsSignalChannel(entityRef: string): string {
  return `onepassword:secrets:${entityRef}`;
}

/** The message of {@link entitySecretsSignalChannel}. @public */
export interface EntitySecretsSignal {
  [key: string]: string;
  /** When the refresh that changed them ran. */
  refreshedAt: string;
}
