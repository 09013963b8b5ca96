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

import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { AuditQuery } from '@secret-sync/backstage-plugin-onepassword-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { onePasswordApiRef } from '../../api';

/** The audit filters a user sets; paging is the hook's business. */
export type AuditFilters = Omit<AuditQuery, 'cursor' | 'limit' | 'sort'>;

/**
 * One page of the audit, paged with the backend's cursors: the cursors of the
 * pages visited are kept so "previous" works; any change of filters, sort or
 * page size starts again at the first page. Never fetches more than a page.
 */
export function useAuditPage(options: {
  filters: AuditFilters;
  sort?: string;
  pageSize: number;
}) {
  const api = useApi(onePasswordApiRef);
  const { filters, sort, pageSize } = options;
  const queryKey = JSON.stringify({ filters, sort, pageSize });
  const [paging, setPaging] = useState<{
    queryKey: string;
    cursors: Array<string | undefined>;
  }>({ queryKey, cursors: [undefined] });
  const cursors = paging.queryKey === queryKey ? paging.cursors : [undefined];
  const page = cursors.length - 1;
  const cursor = cursors[page];

  const state = useAsyncRetry(
    () => api.getAudit({ ...filters, sort, limit: pageSize, cursor }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, queryKey, cursor],
  );
  const nextCursor = state.value?.nextCursor ?? null;

  return {
    ...state,
    page,
    hasNext: !state.loading && nextCursor !== null,
    next: () => {
      if (nextCursor) {
        setPaging({ queryKey, cursors: [...cursors, nextCursor] });
      }
    },
    previous: () => {
      if (page > 0) {
        setPaging({ queryKey, cursors: cursors.slice(0, -1) });
      }
    },
  };
}
