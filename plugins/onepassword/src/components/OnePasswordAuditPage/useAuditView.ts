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

import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  AUDIT_SORT_FIELDS,
  AuditSortField,
  isSyncStatus,
  SyncStatus,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { toAuditSearchParams } from '../../api/OnePasswordClient';
import { AuditFilters } from './useAuditPage';

/** What a shared or bookmarked audit link restores: filters, sort, columns. */
interface AuditView {
  filters: AuditFilters;
  /** A sort field, `-` prefixed for descending, as `GET /audit` reads it. */
  sort?: string;
  /** Ids of the visible columns; the default set when left out. */
  columns?: string[];
}

const COLUMNS_PARAM = 'columns';

function isSortValue(value: string): boolean {
  return AUDIT_SORT_FIELDS.includes(value.replace(/^-/, '') as AuditSortField);
}

/**
 * Reads an audit view from the page's query string. The parameters are the
 * ones `GET /audit` takes, so a view's URL reads like its API call; unknown
 * statuses and sort fields are dropped rather than sent to fail on the server.
 */
function parseAuditView(params: URLSearchParams): AuditView {
  const list = (name: string) => {
    const values = params
      .getAll(name)
      .flatMap(v => v.split(','))
      .filter(Boolean);
    return values.length ? values : undefined;
  };
  const status = list('status')?.filter(isSyncStatus) as
    | SyncStatus[]
    | undefined;
  const orphans = params.get('orphans');
  const rotationDue = params.get('rotationDue');
  const restartNeeded = params.get('restartNeeded');
  const sort = params.get('sort') ?? undefined;
  const filters: AuditFilters = {
    status: status?.length ? status : undefined,
    cluster: list('cluster'),
    owner: list('owner'),
    server: list('server'),
    q: params.get('q') || undefined,
    orphans:
      orphans === 'true' || orphans === 'false'
        ? orphans === 'true'
        : undefined,
    rotationDue:
      rotationDue === 'true' || rotationDue === 'false'
        ? rotationDue === 'true'
        : undefined,
    restartNeeded:
      restartNeeded === 'true' || restartNeeded === 'false'
        ? restartNeeded === 'true'
        : undefined,
  };
  return {
    filters: Object.fromEntries(
      Object.entries(filters).filter(([, value]) => value !== undefined),
    ) as AuditFilters,
    sort: sort && isSortValue(sort) ? sort : undefined,
    columns: list(COLUMNS_PARAM),
  };
}

/** The query string of an audit view; the inverse of {@link parseAuditView}. */
function toAuditViewParams(view: AuditView): URLSearchParams {
  const params = toAuditSearchParams({ ...view.filters, sort: view.sort });
  if (view.columns) {
    params.set(COLUMNS_PARAM, view.columns.join(','));
  }
  return params;
}

/**
 * The audit view kept in the URL, so that a filtered, sorted view survives a
 * reload and can be shared or bookmarked. Changes replace the history entry:
 * typing a search should not make Back step through every keystroke.
 */
export function useAuditView(): [AuditView, (view: AuditView) => void] {
  const [searchParams, setSearchParams] = useSearchParams();
  const query = searchParams.toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const view = useMemo(() => parseAuditView(searchParams), [query]);
  const setView = useCallback(
    (next: AuditView) =>
      setSearchParams(toAuditViewParams(next), { replace: true }),
    [setSearchParams],
  );
  return [view, setView];
}
