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
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  VaultOption,
  VaultsResponse,
} from '@secret-sync/backstage-plugin-onepassword-common';
import useAsync from 'react-use/esm/useAsync';

/**
 * The vaults the onepassword backend offers to templates
 * (`GET /api/onepassword/vaults`), optionally of some servers only.
 */
export function useVaultOptions(servers?: string[]) {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const serverKey = servers?.join(',');

  return useAsync(async (): Promise<VaultOption[]> => {
    const baseUrl = await discoveryApi.getBaseUrl('onepassword');
    const response = await fetchApi.fetch(`${baseUrl}/vaults`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const { items } = (await response.json()) as VaultsResponse;
    return items
      .filter(vault => !servers || servers.includes(vault.server))
      .sort(
        (a, b) =>
          a.server.localeCompare(b.server) || a.name.localeCompare(b.name),
      );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [discoveryApi, fetchApi, serverKey]);
}
