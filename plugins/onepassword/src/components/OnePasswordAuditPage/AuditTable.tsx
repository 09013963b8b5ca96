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

import { ReactNode } from 'react';
import {
  Cell,
  Column,
  Row,
  TableBody,
  TableHeader,
  TableRoot,
} from '@backstage/ui';
import type { SortDescriptor } from '@backstage/ui';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import {
  AuditRecord,
  AuditSortField,
  recordKey,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { describeAutoRestart } from '../../lib/status';
import { TimeFormatter } from '../../lib/time';
import { RelativeTime } from '../RelativeTime';
import {
  Caption,
  describePolling,
  describeVersions,
  StatusNote,
  VaultItemCell,
} from '../SecretCells';
import { SyncStatusIndicator } from '../SyncStatus';
import { TableFrame } from '../TableFrame';

const useStyles = makeStyles({
  wide: { display: 'block', minWidth: 240, overflowWrap: 'break-word' },
  orphan: { fontStyle: 'italic' },
  nowrap: { whiteSpace: 'nowrap' },
  name: { overflowWrap: 'anywhere' },
});

interface CellContext {
  now: Date;
  format: TimeFormatter;
  classes: ReturnType<typeof useStyles>;
}

/** One column of the audit table; the first six are the default set. */
interface AuditColumn {
  id: string;
  label: string;
  sortField?: AuditSortField;
  isRowHeader?: boolean;
  render(record: AuditRecord, context: CellContext): ReactNode;
  /** Plain text of the cell, for keyboard type-ahead and screen readers. */
  text?(record: AuditRecord): string;
}

export const AUDIT_COLUMNS: readonly AuditColumn[] = [
  {
    id: 'status',
    label: 'Status',
    sortField: 'status',
    render: (record, { now, format }) => (
      <>
        <SyncStatusIndicator status={record.status} />
        <StatusNote record={record} now={now} format={format} />
      </>
    ),
  },
  {
    id: 'service',
    label: 'Service and owner',
    sortField: 'entityRef',
    render: (record, { classes }) =>
      record.entityRef ? (
        <>
          <EntityRefLink entityRef={record.entityRef} />
          {record.owner && (
            <Caption>
              owned by <EntityRefLink entityRef={record.owner} />
            </Caption>
          )}
        </>
      ) : (
        <>
          <span className={classes.orphan}>orphan</span>
          <Caption>no catalog entity claims it</Caption>
        </>
      ),
  },
  {
    id: 'secret',
    label: 'Secret',
    sortField: 'secretName',
    isRowHeader: true,
    text: record => record.secretName,
    render: (record, { classes }) => (
      <>
        <Typography variant="body2" component="span" className={classes.name}>
          {record.secretName}
        </Typography>
      </>
    ),
  },
  {
    id: 'location',
    label: 'Cluster / namespace',
    sortField: 'cluster',
    text: record => `${record.cluster} / ${record.namespace}`,
    render: (record, { classes }) => (
      <span className={classes.nowrap}>
        {record.cluster} / {record.namespace}
      </span>
    ),
  },
  {
    id: 'syncedAt',
    label: 'Last sync',
    sortField: 'syncedAt',
    render: (record, { now, format }) => (
      <RelativeTime
        prefix="synced"
        time={record.syncedAt}
        now={now}
        format={format}
      />
    ),
  },
  {
    id: 'itemUpdatedAt',
    label: 'Item changed',
    sortField: 'itemUpdatedAt',
    render: (record, { now, format, classes }) => (
      <span className={classes.nowrap}>
        <RelativeTime
          time={record.itemUpdatedAt}
          now={now}
          format={format}
          fallback="unknown"
        />
        {record.rotationDue ? <strong> · rotation due</strong> : null}
      </span>
    ),
  },
  {
    id: 'message',
    label: 'What is wrong',
    render: (record, { classes }) => (
      <span className={classes.wide}>
        {record.status === 'in-sync' ? '' : record.message ?? ''}
      </span>
    ),
  },
  {
    id: 'hint',
    label: 'What to do',
    render: (record, { classes }) => (
      <span className={classes.wide}>
        {[
          record.status === 'in-sync' ? null : record.hint,
          // The Connect deployment's or token's advice holds whatever the status.
          record.connectHint,
        ]
          .filter(Boolean)
          .join(' ')}
      </span>
    ),
  },
  {
    id: 'source',
    label: 'Source',
    render: record => record.source,
  },
  {
    id: 'vaultItem',
    label: '1Password vault / item',
    render: record => <VaultItemCell record={record} />,
  },
  {
    id: 'versions',
    label: 'Versions',
    render: record => describeVersions(record),
  },
  {
    id: 'polling',
    label: 'Polling',
    render: (record, { now, format }) => describePolling(record, now, format),
  },
  {
    id: 'autoRestart',
    label: 'Auto-restart',
    render: record => describeAutoRestart(record.autoRestart),
  },
  {
    id: 'statusSince',
    label: 'In this status since',
    sortField: 'statusSince',
    render: (record, { now, format, classes }) => (
      <span className={classes.nowrap}>
        <RelativeTime
          time={record.statusSince}
          now={now}
          format={format}
          fallback="unknown"
        />
      </span>
    ),
  },
  {
    id: 'restartNeeded',
    label: 'Restart needed',
    render: (record, { classes }) => (
      <span className={classes.wide}>{describeRestartNeeded(record)}</span>
    ),
    text: describeRestartNeeded,
  },
];

/** Whether the consumers' pods run an old value, and which Deployments. */
function describeRestartNeeded(record: AuditRecord): string {
  if (record.restartNeeded === undefined) return '';
  if (!record.restartNeeded) return 'no';
  const deployments = (record.consumers ?? [])
    .filter(
      c =>
        c.verdict === 'restart-needed' || c.verdict === 'auto-restart-missed',
    )
    .map(c => c.deployment);
  return deployments.length
    ? `restart needed: ${deployments.join(', ')}`
    : 'restart needed';
}

export const DEFAULT_AUDIT_COLUMNS = AUDIT_COLUMNS.slice(0, 6).map(c => c.id);

/** `status` → `{ field: 'status', descending: false }`; `-syncedAt` descending. */
function parseSort(sort: string | undefined) {
  if (!sort) return undefined;
  const descending = sort.startsWith('-');
  return { field: descending ? sort.slice(1) : sort, descending };
}

function toSortDescriptor(
  sort: string | undefined,
): SortDescriptor | undefined {
  const active = parseSort(sort);
  const column = AUDIT_COLUMNS.find(c => c.sortField === active?.field);
  if (!active || !column) return undefined;
  return {
    column: column.id,
    direction: active.descending ? 'descending' : 'ascending',
  };
}

function fromSortDescriptor(descriptor: SortDescriptor): string | undefined {
  const field = AUDIT_COLUMNS.find(c => c.id === descriptor.column)?.sortField;
  if (!field) return undefined;
  return descriptor.direction === 'descending' ? `-${field}` : field;
}

/**
 * One page of audit rows. Headers sort on the server: the order shown is the
 * order `GET /audit` returned, never re-sorted here.
 */
export function AuditTable(props: {
  records: AuditRecord[];
  columns: readonly string[];
  now: Date;
  format: TimeFormatter;
  sort?: string;
  onSortChange: (sort: string) => void;
  pending?: boolean;
}) {
  const { records, columns, now, format, sort, onSortChange, pending } = props;
  const classes = useStyles();
  const visible = AUDIT_COLUMNS.filter(column => columns.includes(column.id));
  const rows = records.map(record => ({ id: recordKey(record), record }));
  const context: CellContext = { now, format, classes };

  return (
    <TableFrame>
      <TableRoot
        aria-label="Synced Secrets in every cluster"
        sortDescriptor={toSortDescriptor(sort)}
        onSortChange={descriptor => {
          const next = fromSortDescriptor(descriptor);
          if (next) onSortChange(next);
        }}
        stale={pending}
      >
        <TableHeader columns={visible}>
          {column => (
            <Column
              id={column.id}
              isRowHeader={column.isRowHeader}
              allowsSorting={Boolean(column.sortField)}
            >
              {column.label}
            </Column>
          )}
        </TableHeader>
        <TableBody items={rows} dependencies={[visible, now]}>
          {({ id, record }) => (
            <Row id={id} columns={visible}>
              {column => (
                <Cell textValue={column.text?.(record)}>
                  {column.render(record, context)}
                </Cell>
              )}
            </Row>
          )}
        </TableBody>
      </TableRoot>
    </TableFrame>
  );
}
