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

import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { makeStyles } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import Typography from '@material-ui/core/Typography';
import {
  AuditRecord,
  AuditSortField,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { RelativeTime } from '../RelativeTime';
import { SyncStatusIndicator } from '../SyncStatus';
import {
  Caption,
  describeVersions,
  recordKey,
  StatusNote,
  VaultItemCell,
} from '../SecretCells';

const useStyles = makeStyles(theme => ({
  message: {
    display: 'block',
    color: theme.palette.text.secondary,
    maxWidth: 360,
    overflowWrap: 'anywhere',
  },
  orphan: { fontStyle: 'italic' },
}));

const COLUMNS: Array<{ label: string; sortField?: AuditSortField }> = [
  { label: 'Status', sortField: 'status' },
  { label: 'Secret', sortField: 'secretName' },
  { label: 'Cluster', sortField: 'cluster' },
  { label: 'Namespace', sortField: 'namespace' },
  { label: 'Entity', sortField: 'entityRef' },
  { label: 'Owner', sortField: 'owner' },
  { label: '1Password vault / item' },
  { label: 'Versions' },
  { label: 'Last sync', sortField: 'syncedAt' },
  { label: 'Item changed', sortField: 'itemUpdatedAt' },
];

/** `status` → `{ field: 'status', descending: false }`; `-syncedAt` descending. */
export function parseSort(sort: string | undefined) {
  if (!sort) return undefined;
  const descending = sort.startsWith('-');
  return { field: descending ? sort.slice(1) : sort, descending };
}

/** One page of audit rows with sortable headers. */
export function AuditTable(props: {
  records: AuditRecord[];
  now: Date;
  sort?: string;
  onSortChange: (sort: string) => void;
}) {
  const { records, now, sort, onSortChange } = props;
  const classes = useStyles();
  const active = parseSort(sort);

  return (
    <TableContainer>
      <Table size="small" aria-label="Synced Secrets in every cluster">
        <TableHead>
          <TableRow>
            {COLUMNS.map(({ label, sortField }) => {
              if (!sortField) {
                return <TableCell key={label}>{label}</TableCell>;
              }
              const isActive = active?.field === sortField;
              const direction = isActive && active?.descending ? 'desc' : 'asc';
              return (
                <TableCell
                  key={label}
                  sortDirection={isActive ? direction : false}
                >
                  <TableSortLabel
                    active={isActive}
                    direction={direction}
                    onClick={() =>
                      onSortChange(
                        isActive && !active?.descending
                          ? `-${sortField}`
                          : sortField,
                      )
                    }
                  >
                    {label}
                  </TableSortLabel>
                </TableCell>
              );
            })}
          </TableRow>
        </TableHead>
        <TableBody>
          {records.map(record => (
            <TableRow key={recordKey(record)} hover>
              <TableCell>
                <SyncStatusIndicator status={record.status} />
                <StatusNote record={record} now={now} />
                {record.status !== 'in-sync' && record.message && (
                  <Typography variant="caption" className={classes.message}>
                    {record.message}
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                {record.secretName}
                <Caption>from {record.source}</Caption>
              </TableCell>
              <TableCell>{record.cluster}</TableCell>
              <TableCell>{record.namespace}</TableCell>
              <TableCell>
                {record.entityRef ? (
                  <EntityRefLink entityRef={record.entityRef} />
                ) : (
                  <span className={classes.orphan}>orphan</span>
                )}
              </TableCell>
              <TableCell>
                {record.owner ? (
                  <EntityRefLink entityRef={record.owner} />
                ) : (
                  '—'
                )}
              </TableCell>
              <TableCell>
                <VaultItemCell record={record} />
              </TableCell>
              <TableCell>{describeVersions(record)}</TableCell>
              <TableCell>
                <RelativeTime
                  prefix="synced"
                  time={record.syncedAt}
                  now={now}
                />
              </TableCell>
              <TableCell>
                <RelativeTime
                  time={record.itemUpdatedAt}
                  now={now}
                  fallback="unknown"
                />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
