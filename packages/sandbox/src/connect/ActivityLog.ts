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

import { ConnectApiRequest } from './types';

const MAX_ACTIVITY = 10_000;

/**
 * What `/v1/activity` reports: the vault and item accesses made with tokens,
 * newest first.
 */
export class ActivityLog {
  private readonly requests: ConnectApiRequest[] = [];

  record(request: ConnectApiRequest): void {
    this.requests.unshift(request);
    if (this.requests.length > MAX_ACTIVITY) {
      this.requests.length = MAX_ACTIVITY;
    }
  }

  /** One page and the `Content-Range` header describing it. */
  page(
    limit: number,
    offset: number,
  ): { requests: ConnectApiRequest[]; contentRange: string } {
    const requests = this.requests.slice(offset, offset + limit);
    const total = this.requests.length;
    const contentRange =
      requests.length === 0
        ? `0-0/${total}`
        : `${offset + 1}-${offset + requests.length}/${total}`;
    return { requests, contentRange };
  }
}
