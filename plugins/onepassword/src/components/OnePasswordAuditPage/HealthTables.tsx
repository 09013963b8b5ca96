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
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import {
  ClusterHealth,
  ConnectServerHealth,
  OperatorSettings,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { TimeFormatter } from '../../lib/time';
import { HealthIndicator } from '../HealthList';
import { RelativeTime } from '../RelativeTime';
import { Caption } from '../SecretCells';
import { TableFrame } from '../TableFrame';

const useStyles = makeStyles(theme => ({
  error: {
    display: 'block',
    color: theme.palette.textSubtle,
    maxWidth: 360,
    overflowWrap: 'break-word',
  },
}));

function describeOperatorAutoRestart(operator: OperatorSettings | null) {
  if (!operator) return 'unknown';
  return operator.autoRestart ? 'on' : 'off';
}

/** A small read-only table: a header row and one row per item. */
export function HealthTable<T>(props: {
  label: string;
  columns: string[];
  items: T[];
  rowId: (item: T) => string;
  cells: (item: T) => ReactNode[];
}) {
  const { label, columns, items, rowId, cells } = props;
  return (
    <TableFrame>
      <TableRoot aria-label={label}>
        <TableHeader>
          {columns.map((column, index) => (
            <Column key={column} id={column} isRowHeader={index === 0}>
              {column}
            </Column>
          ))}
        </TableHeader>
        <TableBody items={items.map(item => ({ id: rowId(item), item }))}>
          {({ id, item }) => (
            <Row id={id}>
              {cells(item).map((content, index) => (
                <Cell key={index} textValue={index === 0 ? id : undefined}>
                  {content}
                </Cell>
              ))}
            </Row>
          )}
        </TableBody>
      </TableRoot>
    </TableFrame>
  );
}

export function HealthCell(props: { healthy: boolean; error: string | null }) {
  const classes = useStyles();
  return (
    <>
      <HealthIndicator healthy={props.healthy} error={null} />
      {props.error && (
        <Typography variant="caption" className={classes.error}>
          {props.error}
        </Typography>
      )}
    </>
  );
}

/** Every Connect server: health, version, vaults it serves to Backstage. */
export function ServersTable(props: {
  servers: ConnectServerHealth[];
  now: Date;
  format: TimeFormatter;
}) {
  const { servers, now, format } = props;
  return (
    <HealthTable
      label="Connect servers"
      columns={['Server', 'Health', 'Version', 'Vaults', 'Last success']}
      items={servers}
      rowId={server => server.name}
      cells={server => [
        <>
          {server.name}
          <Caption>{server.url}</Caption>
        </>,
        <HealthCell healthy={server.healthy} error={server.error} />,
        server.version ?? 'unknown',
        server.vaultCount ?? 'unknown',
        <RelativeTime time={server.lastSuccessAt} now={now} format={format} />,
      ]}
    />
  );
}

/** Every cluster: health and the operator's settings as read from its Deployment. */
export function ClustersTable(props: {
  clusters: ClusterHealth[];
  now: Date;
  format: TimeFormatter;
}) {
  const { clusters, now, format } = props;
  return (
    <HealthTable
      label="Clusters and operators"
      columns={[
        'Cluster',
        'Health',
        'Operator version',
        'Polling interval',
        'Auto-restart',
        'Watched namespaces',
        'Connect server',
        'Secrets',
        'Last success',
      ]}
      items={clusters}
      rowId={cluster => cluster.name}
      cells={({
        name,
        healthy,
        error,
        operator,
        secretCount,
        lastSuccessAt,
      }) => [
        name,
        <HealthCell healthy={healthy} error={error} />,
        operator?.version ?? 'unknown',
        <>
          {operator
            ? format.duration(operator.pollingIntervalSeconds)
            : 'unknown'}
          {operator && !operator.pollingIntervalFromOperator && (
            <Caption>from configuration (operator not readable)</Caption>
          )}
        </>,
        describeOperatorAutoRestart(operator),
        operator?.watchNamespaces?.join(', ') ?? 'all',
        operator?.connectServer ?? operator?.connectHost ?? 'unknown',
        secretCount,
        <RelativeTime time={lastSuccessAt} now={now} format={format} />,
      ]}
    />
  );
}
