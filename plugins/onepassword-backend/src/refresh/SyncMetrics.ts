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

import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import {
  SYNC_STATUSES,
  StatusCounts,
  emptyStatusCounts,
} from '@secret-sync/backstage-plugin-onepassword-common';

/**
 * The plugin's metrics: Secrets by status, the oldest stale age, Connect and
 * cluster requests and errors, refresh duration.
 */
export class SyncMetrics {
  private counts: StatusCounts = emptyStatusCounts();
  private oldestStaleSeconds = 0;
  private readonly connectRequests;
  private readonly connectErrors;
  private readonly connectRetries;
  private readonly clusterRequests;
  private readonly clusterErrors;
  private readonly refreshDuration;

  static create(options: { metrics: MetricsService }) {
    return new SyncMetrics(options.metrics);
  }

  private constructor(metrics: MetricsService) {
    this.connectRequests = metrics.createCounter(
      'onepassword.connect.requests',
      { description: 'Requests to Connect servers' },
    );
    this.connectErrors = metrics.createCounter('onepassword.connect.errors', {
      description: 'Failed requests to Connect servers',
    });
    this.connectRetries = metrics.createCounter('onepassword.connect.retries', {
      description:
        'Transient Connect failures tried again within a refresh (bounded by onepassword.connect.retry)',
    });
    this.clusterRequests = metrics.createCounter(
      'onepassword.cluster.requests',
      { description: 'Requests to clusters through the Kubernetes proxy' },
    );
    this.clusterErrors = metrics.createCounter('onepassword.cluster.errors', {
      description: 'Failed requests to clusters',
    });
    this.refreshDuration = metrics.createHistogram(
      'onepassword.refresh.duration',
      { description: 'Duration of a refresh', unit: 's' },
    );
    metrics
      .createObservableGauge('onepassword.secrets', {
        description: 'Synced Secrets by status',
      })
      .addCallback(result => {
        for (const status of SYNC_STATUSES)
          result.observe(this.counts[status], { status });
      });
    metrics
      .createObservableGauge('onepassword.secrets.oldest_stale_age', {
        description: 'Age of the oldest stale Secret',
        unit: 's',
      })
      .addCallback(result => result.observe(this.oldestStaleSeconds));
  }

  connectRequest(event: {
    server: string;
    operation: string;
    error?: unknown;
    retrying?: boolean;
  }) {
    if (event.retrying) {
      this.connectRetries.add(1, {
        server: event.server,
        operation: event.operation,
      });
    }
    this.connectRequests.add(1, {
      server: event.server,
      operation: event.operation,
    });
    if (event.error)
      this.connectErrors.add(1, {
        server: event.server,
        operation: event.operation,
      });
  }

  clusterRequest(event: { cluster: string; error?: unknown }) {
    this.clusterRequests.add(1, { cluster: event.cluster });
    if (event.error) this.clusterErrors.add(1, { cluster: event.cluster });
  }

  refreshed(options: {
    durationSeconds: number;
    counts: StatusCounts;
    oldestStaleSeconds: number;
  }) {
    this.refreshDuration.record(options.durationSeconds);
    this.counts = options.counts;
    this.oldestStaleSeconds = options.oldestStaleSeconds;
  }
}
