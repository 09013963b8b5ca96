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

import { InputError } from '@backstage/errors';
import { ConnectFaults } from '../scenario/types';

const FAULT_KEYS = [
  'error500',
  'delayMs',
  'refuse',
  'vaultErrors',
  'transientErrors',
  'omitItemVersions',
  'syncLagging',
] as const;

/** Checks a faults object from a scenario or the control endpoint. */
export function parseFaults(value: unknown): ConnectFaults {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(
      'Faults must be an object such as { "error500": true }',
    );
  }
  const faults: ConnectFaults = {};
  for (const [key, entry] of Object.entries(value)) {
    if (
      key === 'error500' ||
      key === 'refuse' ||
      key === 'omitItemVersions' ||
      key === 'syncLagging'
    ) {
      if (typeof entry !== 'boolean') {
        throw new InputError(`Fault '${key}' must be true or false`);
      }
      faults[key] = entry;
    } else if (key === 'delayMs') {
      if (typeof entry !== 'number' || !Number.isInteger(entry) || entry < 0) {
        throw new InputError(`Fault 'delayMs' must be a non-negative integer`);
      }
      faults.delayMs = entry;
    } else if (key === 'transientErrors') {
      if (typeof entry !== 'number' || !Number.isInteger(entry) || entry < 0) {
        throw new InputError(
          `Fault 'transientErrors' must be a non-negative integer`,
        );
      }
      faults.transientErrors = entry;
    } else if (key === 'vaultErrors') {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        throw new InputError(
          `Fault 'vaultErrors' must map vault names or ids to HTTP statuses`,
        );
      }
      for (const [vault, status] of Object.entries(entry)) {
        if (
          typeof status !== 'number' ||
          !Number.isInteger(status) ||
          status < 400 ||
          status > 599
        ) {
          throw new InputError(
            `Fault 'vaultErrors.${vault}' must be an HTTP error status (400-599)`,
          );
        }
      }
      faults.vaultErrors = { ...(entry as Record<string, number>) };
    } else {
      throw new InputError(
        `Unknown fault '${key}' (known: ${FAULT_KEYS.join(', ')})`,
      );
    }
  }
  return faults;
}

/** The faults a Connect server is answering with right now, switchable at run time. @public */
export class ConnectFaultSwitch {
  private faults: ConnectFaults;

  constructor(initial: ConnectFaults = {}) {
    this.faults = { ...initial };
  }

  get current(): ConnectFaults {
    return { ...this.faults };
  }

  /** Turns the given faults on or off, leaving the others as they are. */
  set(faults: ConnectFaults): void {
    this.faults = { ...this.faults, ...parseFaults(faults) };
  }

  /** Uses up one transient error; true when this request should fail. */
  takeTransientError(): boolean {
    if (!this.faults.transientErrors) return false;
    this.faults = {
      ...this.faults,
      transientErrors: this.faults.transientErrors - 1,
    };
    return true;
  }

  /** Back to a healthy server. */
  clear(): void {
    this.faults = {};
  }
}
