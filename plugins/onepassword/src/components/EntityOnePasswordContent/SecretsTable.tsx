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

import { Fragment, useState } from 'react';
import IconButton from '@material-ui/core/IconButton';
import { makeStyles } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import KeyboardArrowDown from '@material-ui/icons/KeyboardArrowDown';
import KeyboardArrowRight from '@material-ui/icons/KeyboardArrowRight';
import { SecretSyncRecord } from '@secret-sync/backstage-plugin-onepassword-common';
import { describeAutoRestart } from '../../lib/status';
import { RelativeTime } from '../RelativeTime';
import {
  Caption,
  describePolling,
  describeVersions,
  recordKey,
  StatusNote,
  VaultItemCell,
} from '../SecretCells';
import { SyncStatusIndicator } from '../SyncStatus';
import { SecretDetails } from './SecretDetails';

const useStyles = makeStyles(theme => ({
  // The details row below continues it: no line between the two.
  expandedRow: { '& > td': { borderBottom: 'unset' } },
  expandableRow: { cursor: 'pointer' },
  expandCell: { width: theme.spacing(6), paddingRight: 0 },
  detailsCell: {
    paddingTop: 0,
    backgroundColor: theme.palette.background.default,
  },
}));

const COLUMNS = [
  'Status',
  'Secret',
  'Cluster / namespace',
  '1Password vault / item',
  'Versions',
  'Last sync',
  'Polling',
  'Auto-restart',
];

/**
 * The synced Secrets of one entity. Every row that is not in sync expands,
 * by a click on the row or its details button, to its message and hint.
 */
export function SecretsTable(props: {
  records: SecretSyncRecord[];
  now: Date;
}) {
  const { records, now } = props;
  const classes = useStyles();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());

  const toggle = (key: string) =>
    setExpanded(previous => {
      const next = new Set(previous);
      if (!next.delete(key)) next.add(key);
      return next;
    });

  return (
    <TableContainer>
      <Table size="small" aria-label="Synced Secrets">
        <TableHead>
          <TableRow>
            <TableCell className={classes.expandCell}>
              <Typography variant="srOnly">Details</Typography>
            </TableCell>
            {COLUMNS.map(column => (
              <TableCell key={column}>{column}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {records.map(record => {
            const key = recordKey(record);
            const expandable = record.status !== 'in-sync';
            const isExpanded = expandable && expanded.has(key);
            const ExpandIcon = isExpanded
              ? KeyboardArrowDown
              : KeyboardArrowRight;
            return (
              <Fragment key={key}>
                <TableRow
                  hover
                  className={[
                    isExpanded ? classes.expandedRow : '',
                    expandable ? classes.expandableRow : '',
                  ].join(' ')}
                  onClick={expandable ? () => toggle(key) : undefined}
                >
                  <TableCell className={classes.expandCell}>
                    {expandable && (
                      <IconButton
                        size="small"
                        aria-label={`Details of ${key}`}
                        aria-expanded={isExpanded}
                        onClick={event => {
                          event.stopPropagation();
                          toggle(key);
                        }}
                      >
                        <ExpandIcon />
                      </IconButton>
                    )}
                  </TableCell>
                  <TableCell>
                    <SyncStatusIndicator status={record.status} />
                    <StatusNote record={record} now={now} />
                  </TableCell>
                  <TableCell>
                    {record.secretName}
                    <Caption>from {record.source}</Caption>
                  </TableCell>
                  <TableCell>
                    {record.cluster} / {record.namespace}
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
                  <TableCell>{describePolling(record, now)}</TableCell>
                  <TableCell>
                    {describeAutoRestart(record.autoRestart)}
                    <Caption>
                      <RelativeTime
                        prefix="last restart"
                        time={record.lastRestartedAt}
                        now={now}
                      />
                    </Caption>
                  </TableCell>
                </TableRow>
                {isExpanded && (
                  <TableRow>
                    <TableCell
                      colSpan={COLUMNS.length + 1}
                      className={classes.detailsCell}
                    >
                      <SecretDetails record={record} now={now} />
                    </TableCell>
                  </TableRow>
                )}
              </Fragment>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
