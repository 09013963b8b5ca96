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

import { useEffect, useRef } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { onePasswordRefreshPermission } from '@secret-sync/backstage-plugin-onepassword-common';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { onePasswordApiRef } from '../api';
import { useNotify } from './useNotify';

/** The backend refreshes in the background; read again after this delay. */
const RELOAD_AFTER_REFRESH_MS = 3_000;

/**
 * "Refresh now": asks the backend for a refresh (if the user may) and calls
 * `onRefreshed` once the new snapshot is likely stored.
 */
export function useRefreshSnapshot(onRefreshed: () => void) {
  const api = useApi(onePasswordApiRef);
  const notify = useNotify();
  const { allowed } = usePermission({
    permission: onePasswordRefreshPermission,
  });
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);

  const [{ loading }, refresh] = useAsyncFn(async () => {
    try {
      await api.refresh();
      notify({
        title: 'Refresh requested; the view updates in a few seconds.',
        status: 'info',
      });
      clearTimeout(timer.current);
      timer.current = setTimeout(onRefreshed, RELOAD_AFTER_REFRESH_MS);
    } catch (error) {
      notify({
        title: `Could not request a refresh: ${(error as Error).message}`,
        status: 'danger',
      });
    }
  }, [api, notify, onRefreshed]);

  return { allowed, loading, refresh };
}
