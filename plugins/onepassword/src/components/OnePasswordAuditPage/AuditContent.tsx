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

import { useMemo, useState } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { TablePagination } from '@backstage/ui';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import GetApp from '@material-ui/icons/GetApp';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { onePasswordApiRef } from '../../api';
import { useNotify } from '../../hooks/useNotify';
import { useNow } from '../../hooks/useNow';
import { useRefreshSnapshot } from '../../hooks/useRefreshSnapshot';
import { useTimeFormatter } from '../../hooks/useTimeFormatter';
import { RefreshButton } from '../RefreshButton';
import { SnapshotError } from '../SnapshotError';
import { StatusCountList } from '../SyncStatus';
import { AuditFiltersBar } from './AuditFiltersBar';
import { AuditTable, DEFAULT_AUDIT_COLUMNS } from './AuditTable';
import { ColumnPicker } from './ColumnPicker';
import { NamingViolationsCard } from './NamingViolationsTable';
import { ClustersTable, ServersTable } from './HealthTables';
import { ConnectDeploymentsTable } from './ConnectDeploymentsTable';
import { saveBlob } from './saveBlob';
import { StatusByClusterChart } from './StatusByClusterChart';
import { AuditFilters, useAuditPage } from './useAuditPage';
import { useAuditView } from './useAuditView';

const PAGE_SIZES = [25, 50, 100];

const DENIED_MESSAGE =
  'The audit of every synced Secret needs the onepassword.audit.read permission. Ask your Backstage admins.';

function useHealth() {
  const api = useApi(onePasswordApiRef);
  return useAsync(async () => {
    const [servers, clusters] = await Promise.all([
      api.getServers(),
      api.getClusters(),
    ]);
    return { servers: servers.items, clusters: clusters.items };
  }, [api]);
}

function useCsvExport(filters: AuditFilters, sort?: string) {
  const api = useApi(onePasswordApiRef);
  const notify = useNotify();
  return useAsyncFn(async () => {
    try {
      saveBlob(
        await api.exportAuditCsv({ ...filters, sort }),
        'onepassword-audit.csv',
      );
    } catch (error) {
      notify({
        title: `Could not export the audit: ${(error as Error).message}`,
        status: 'danger',
      });
    }
  }, [api, notify, filters, sort]);
}

/**
 * The audit of every synced Secret in every cluster, for platform owners:
 * totals, a chart per cluster, filters, a paged table, CSV export, and the
 * health of Connect servers and operators. Filters, sort and columns live in
 * the URL, so a view can be shared and bookmarked.
 */
export function AuditContent() {
  const now = useNow();
  const format = useTimeFormatter();
  const [view, setView] = useAuditView();
  const { filters, sort } = view;
  const columns = view.columns ?? DEFAULT_AUDIT_COLUMNS;
  const [pageSize, setPageSize] = useState(PAGE_SIZES[1]);
  const audit = useAuditPage({ filters, sort, pageSize });
  const health = useHealth();
  const refresh = useRefreshSnapshot(audit.retry);
  const [{ loading: exporting }, exportCsv] = useCsvExport(filters, sort);

  // Every owner across all pages (from the backend), and those chosen.
  const owners = useMemo(
    () =>
      [
        ...new Set([...(audit.value?.owners ?? []), ...(filters.owner ?? [])]),
      ].sort(),
    [audit.value, filters.owner],
  );

  if (!audit.value && audit.error) {
    return <SnapshotError error={audit.error} deniedMessage={DENIED_MESSAGE} />;
  }

  const servers = health.value?.servers ?? [];
  const clusters = health.value?.clusters ?? [];

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={5}>
        <InfoCard title="Totals">
          {audit.value ? (
            <>
              <Typography variant="h4" component="p">
                {audit.value.total.toLocaleString()}
              </Typography>
              <Typography variant="body2" color="textSecondary" gutterBottom>
                synced Secrets matching the filters
              </Typography>
              <StatusCountList
                counts={audit.value.byStatus}
                label="Synced Secrets by status"
              />
            </>
          ) : (
            <Progress />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard title="Status per cluster">
          {audit.value ? (
            <StatusByClusterChart byCluster={audit.value.byCluster} />
          ) : (
            <Progress />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Synced Secrets"
          action={
            <Box display="flex" gridGap={8} mt={1} mr={1}>
              <ColumnPicker
                columns={columns}
                onChange={next => setView({ ...view, columns: next })}
              />
              <RefreshButton
                allowed={refresh.allowed}
                loading={refresh.loading}
                onClick={refresh.refresh}
              />
              <Button
                variant="outlined"
                startIcon={<GetApp />}
                onClick={exportCsv}
                disabled={exporting}
              >
                Export CSV
              </Button>
            </Box>
          }
        >
          <AuditFiltersBar
            filters={filters}
            onChange={next => setView({ ...view, filters: next })}
            clusters={clusters.map(cluster => cluster.name)}
            servers={servers.map(server => server.name)}
            owners={owners}
          />
          {audit.error && (
            <SnapshotError error={audit.error} deniedMessage={DENIED_MESSAGE} />
          )}
          {audit.loading && !audit.value && <Progress />}
          {audit.value && (
            <>
              <AuditTable
                records={audit.value.items}
                columns={columns}
                now={now}
                format={format}
                sort={sort}
                onSortChange={next => setView({ ...view, sort: next })}
                pending={audit.loading}
              />
              <TablePagination
                pageSize={pageSize}
                pageSizeOptions={PAGE_SIZES}
                onPageSizeChange={setPageSize}
                offset={audit.page * pageSize}
                totalCount={audit.value.total}
                hasPreviousPage={audit.page > 0}
                hasNextPage={audit.hasNext}
                onPreviousPage={audit.previous}
                onNextPage={audit.next}
              />
            </>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <NamingViolationsCard />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Connect servers">
          {health.error && (
            <SnapshotError
              error={health.error}
              deniedMessage={DENIED_MESSAGE}
            />
          )}
          {health.loading ? (
            <Progress />
          ) : (
            <ServersTable servers={servers} now={now} format={format} />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Clusters and operators">
          {health.loading ? (
            <Progress />
          ) : (
            <ClustersTable clusters={clusters} now={now} format={format} />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Connect deployments and operator tokens">
          {health.loading ? (
            <Progress />
          ) : (
            <ConnectDeploymentsTable clusters={clusters} />
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}
