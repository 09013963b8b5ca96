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

import { LoggerService } from '@backstage/backend-plugin-api';
import { toError } from '@backstage/errors';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  EntitySecretsSignal,
  entitySecretsSignalChannel,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { recordKey } from '@secret-sync/backstage-plugin-onepassword-common';
import { RefreshOutcome } from '../refresh/RefreshOutcome';

/** The entities whose Secrets a refresh changed: written, deleted or moved between entities. */
export function changedEntities(outcome: RefreshOutcome): string[] {
  const written = new Set(outcome.write.writtenKeys);
  const deleted = new Set(outcome.write.deletedKeys);
  if (written.size === 0 && deleted.size === 0) return [];
  const refs = new Set<string>();
  for (const record of outcome.records) {
    if (record.entityRef && written.has(recordKey(record))) {
      refs.add(record.entityRef);
    }
  }
  for (const record of outcome.previous.records) {
    const key = recordKey(record);
    if (record.entityRef && (written.has(key) || deleted.has(key))) {
      refs.add(record.entityRef);
    }
  }
  return [...refs].sort();
}

/**
 * Publishes, after a refresh, one signal per entity whose Secrets changed
 * (see {@link entitySecretsSignalChannel}); the message says only when, so it
 * is broadcast: whoever has the tab open reads the Secrets again, through the
 * API and its permission checks. Without the signals backend installed the
 * events go nowhere and the tabs simply do not update live.
 * @public
 */
export class EntitySecretsSignals {
  static create(options: { signals: SignalsService; logger: LoggerService }) {
    return new EntitySecretsSignals(options.signals, options.logger);
  }

  private constructor(
    private readonly signals: SignalsService,
    private readonly logger: LoggerService,
  ) {}

  async onRefreshed(outcome: RefreshOutcome): Promise<void> {
    try {
      for (const entityRef of changedEntities(outcome)) {
        await this.signals.publish<EntitySecretsSignal>({
          recipients: { type: 'broadcast' },
          channel: entitySecretsSignalChannel(entityRef),
          message: { refreshedAt: outcome.at },
        });
      }
    } catch (e) {
      this.logger.warn(
        `Could not publish the Secrets signals of the refresh at ${
          outcome.at
        }: ${toError(e).message}`,
      );
    }
  }
}
