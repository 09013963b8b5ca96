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

import {
  Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { onePasswordApiRef } from '../api';

/** How often an open Secrets tab re-reads the backend's snapshot. */
const ENTITY_SECRETS_RELOAD_MS = 60_000;

/**
 * The entity's synced Secrets, re-read every minute. While a reload runs the
 * previous value stays, so the page does not flicker.
 */
export function useEntitySecrets(entity: Entity) {
  const api = useApi(onePasswordApiRef);
  const entityRef = stringifyEntityRef(entity);
  const state = useAsyncRetry(
    () => api.getEntitySecrets(getCompoundEntityRef(entity)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, entityRef],
  );
  useInterval(state.retry, ENTITY_SECRETS_RELOAD_MS);
  return state;
}
