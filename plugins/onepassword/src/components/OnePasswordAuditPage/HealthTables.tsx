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

import { makeStyles } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  ClusterHealth,
  ConnectServerHealth,
  OperatorSettings,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { formatDuration } from '../../lib/time';
import { HealthIndicator } from '../HealthList';
import { RelativeTime } from '../RelativeTime';
import { Caption } from '../SecretCells';

const useStyles = makeStyles(theme => ({
  error: { display: 'block', color: theme.palette.error.dark, maxWidth: 360 },
}));

function describeOperatorAutoRestart(operator: OperatorSettings | null) {
  if (!operator) return 'unknown';
  return operator.autoRestart ? 'on' : 'off';
}

function HeaderRow(props: { columns: string[] }) {
  return (
    <TableHead>
      <TableRow>
        {props.columns.map(column => (
          <TableCell key={column}>{column}</TableCell>
        ))}
      </TableRow>
    </TableHead>
  );
}

/** Every Connect server: health, version, vaults it serves to Backstage. */
export function ServersTable(props: {
  servers: ConnectServerHealth[];
  now: Date;
}) {
  const { servers, now } = props;
  const classes = useStyles();
  return (
    <TableContainer>
      <Table size="small" aria-label="Connect servers">
        <HeaderRow
          columns={['Server', 'Health', 'Version', 'Vaults', 'Last success']}
        />
        <TableBody>
          {servers.map(server => (
            <TableRow key={server.name}>
              <TableCell>
                {server.name}
                <Caption>{server.url}</Caption>
              </TableCell>
              <TableCell>
                <HealthIndicator healthy={server.healthy} error={null} />
                {server.error && (
                  <Typography variant="caption" className={classes.error}>
                    {server.error}
                  </Typography>
                )}
              </TableCell>
              <TableCell>{server.version ?? 'unknown'}</TableCell>
              <TableCell>{server.vaultCount ?? 'unknown'}</TableCell>
              <TableCell>
                <RelativeTime time={server.lastSuccessAt} now={now} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

/** Every cluster: health and the operator's settings as read from its Deployment. */
export function ClustersTable(props: { clusters: ClusterHealth[]; now: Date }) {
  const { clusters, now } = props;
  const classes = useStyles();
  return (
    <TableContainer>
      <Table size="small" aria-label="Clusters and operators">
        <HeaderRow
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
        />
        <TableBody>
          {clusters.map(cluster => {
            const operator = cluster.operator;
            return (
              <TableRow key={cluster.name}>
                <TableCell>{cluster.name}</TableCell>
                <TableCell>
                  <HealthIndicator healthy={cluster.healthy} error={null} />
                  {cluster.error && (
                    <Typography variant="caption" className={classes.error}>
                      {cluster.error}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>{operator?.version ?? 'unknown'}</TableCell>
                <TableCell>
                  {operator
                    ? formatDuration(operator.pollingIntervalSeconds)
                    : 'unknown'}
                  {operator && !operator.pollingIntervalFromOperator && (
                    <Caption>
                      from configuration (operator not readable)
                    </Caption>
                  )}
                </TableCell>
                <TableCell>{describeOperatorAutoRestart(operator)}</TableCell>
                <TableCell>
                  {operator?.watchNamespaces?.join(', ') ?? 'all'}
                </TableCell>
                <TableCell>
                  {operator?.connectServer ??
                    operator?.connectHost ??
                    'unknown'}
                </TableCell>
                <TableCell>{cluster.secretCount}</TableCell>
                <TableCell>
                  <RelativeTime time={cluster.lastSuccessAt} now={now} />
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
