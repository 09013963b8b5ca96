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
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import TablePagination from '@material-ui/core/TablePagination';
import Typography from '@material-ui/core/Typography';
import GetApp from '@material-ui/icons/GetApp';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { onePasswordApiRef } from '../../api';
import { useNow } from '../../hooks/useNow';
import { useRefreshSnapshot } from '../../hooks/useRefreshSnapshot';
import { RefreshButton } from '../RefreshButton';
import { SnapshotError } from '../SnapshotError';
import { StatusCountList } from '../SyncStatus';
import { AuditFiltersBar } from './AuditFiltersBar';
import { AuditTable } from './AuditTable';
import { ClustersTable, ServersTable } from './HealthTables';
import { saveBlob } from './saveBlob';
import { StatusByClusterChart } from './StatusByClusterChart';
import { AuditFilters, useAuditPage } from './useAuditPage';

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
  const alertApi = useApi(alertApiRef);
  return useAsyncFn(async () => {
    try {
      saveBlob(
        await api.exportAuditCsv({ ...filters, sort }),
        'onepassword-audit.csv',
      );
    } catch (error) {
      alertApi.post({
        message: `Could not export the audit: ${(error as Error).message}`,
        severity: 'error',
      });
    }
  }, [api, alertApi, filters, sort]);
}

/**
 * The audit of every synced Secret in every cluster, for platform owners:
 * totals, a chart per cluster, filters, a paged table, CSV export, and the
 * health of Connect servers and operators.
 */
export function AuditContent() {
  const now = useNow();
  const [filters, setFilters] = useState<AuditFilters>({});
  const [sort, setSort] = useState<string | undefined>();
  const [pageSize, setPageSize] = useState(PAGE_SIZES[1]);
  const audit = useAuditPage({ filters, sort, pageSize });
  const health = useHealth();
  const refresh = useRefreshSnapshot(audit.retry);
  const [{ loading: exporting }, exportCsv] = useCsvExport(filters, sort);

  const owners = useMemo(
    () =>
      [
        ...new Set(
          (audit.value?.items ?? []).flatMap(item =>
            item.owner ? [item.owner] : [],
          ),
        ),
      ].sort(),
    [audit.value],
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
                {audit.value.total.toLocaleString('en-US')}
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
            onChange={setFilters}
            clusters={clusters.map(cluster => cluster.name)}
            servers={servers.map(server => server.name)}
            owners={owners}
          />
          {audit.error && (
            <SnapshotError error={audit.error} deniedMessage={DENIED_MESSAGE} />
          )}
          {audit.loading && <Progress />}
          {audit.value && (
            <>
              <AuditTable
                records={audit.value.items}
                now={now}
                sort={sort}
                onSortChange={setSort}
              />
              <TablePagination
                component="div"
                count={audit.value.total}
                page={audit.page}
                rowsPerPage={pageSize}
                rowsPerPageOptions={PAGE_SIZES}
                onPageChange={(_event, page) =>
                  page > audit.page ? audit.next() : audit.previous()
                }
                onRowsPerPageChange={event =>
                  setPageSize(Number(event.target.value))
                }
                nextIconButtonProps={{ disabled: !audit.hasNext }}
              />
            </>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={5}>
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
            <ServersTable servers={servers} now={now} />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={7}>
        <InfoCard title="Clusters and operators">
          {health.loading ? (
            <Progress />
          ) : (
            <ClustersTable clusters={clusters} now={now} />
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}
