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

import { useCallback } from 'react';
import { alertApiRef, useApi, useApiHolder } from '@backstage/core-plugin-api';
import { coreApis } from '@backstage/frontend-plugin-api';

interface Notice {
  title: string;
  status: 'info' | 'danger';
}

/** How long an informational notice stays; errors stay until dismissed. */
const INFO_TIMEOUT_MS = 5_000;

/**
 * Tells the user something happened: through the new frontend system's
 * toast API where the app has it, else (legacy apps) the alert API, which
 * the new system deprecates.
 */
export function useNotify(): (notice: Notice) => void {
  const apis = useApiHolder();
  const toastApi = apis.get(coreApis.toast);
  // Legacy apps have no toast API; every app still has the alert API.
  const alertApi = useApi(alertApiRef);
  return useCallback(
    ({ title, status }: Notice) => {
      if (toastApi) {
        toastApi.post({
          title,
          status,
          timeout: status === 'info' ? INFO_TIMEOUT_MS : undefined,
        });
        return;
      }
      alertApi.post({
        message: title,
        severity: status === 'danger' ? 'error' : 'info',
        display: status === 'info' ? 'transient' : 'permanent',
      });
    },
    [toastApi, alertApi],
  );
}
