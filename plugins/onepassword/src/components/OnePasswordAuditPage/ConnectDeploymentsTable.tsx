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
import Typography from '@material-ui/core/Typography';
import {
  ClusterHealth,
  OperatorSettings,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { Caption } from '../SecretCells';
import { HealthCell, HealthTable } from './HealthTables';

const useStyles = makeStyles(theme => ({
  problem: {
    display: 'block',
    minWidth: 280,
    maxWidth: 520,
    overflowWrap: 'break-word',
    '& + &': { marginTop: theme.spacing(1) },
  },
}));

interface OperatorRow {
  id: string;
  cluster: string;
  operator: OperatorSettings;
}

function describeConnect(operator: OperatorSettings): string {
  if (operator.authMethod === 'service-account') return 'service account';
  const connect = operator.inClusterConnect;
  if (connect === undefined) return 'unknown';
  if (connect === null) return 'outside the cluster';
  return connect.deployment ?? `no Deployment behind ${connect.service}`;
}

function Problems(props: { operator: OperatorSettings }) {
  const classes = useStyles();
  const problems = props.operator.connectProblems ?? [];
  if (!problems.length) return <>none</>;
  return (
    <>
      {problems.map(problem => (
        <Typography
          key={problem.kind}
          variant="body2"
          component="span"
          className={classes.problem}
        >
          {problem.message} <strong>What to do:</strong> {problem.hint}
        </Typography>
      ))}
    </>
  );
}

/**
 * Every operator's Connect server when it runs in the cluster (Service,
 * Deployment, credentials Secret) and the Secret of its token, with what is
 * wrong with them and what to do.
 */
export function ConnectDeploymentsTable(props: { clusters: ClusterHealth[] }) {
  const rows: OperatorRow[] = props.clusters.flatMap(cluster =>
    (cluster.operators ?? (cluster.operator ? [cluster.operator] : [])).map(
      operator => ({
        id: `${cluster.name}/${operator.namespace}/${operator.deploymentName}`,
        cluster: cluster.name,
        operator,
      }),
    ),
  );
  return (
    <HealthTable
      label="Connect deployments and operator tokens"
      columns={[
        'Operator',
        'Connect deployment',
        'Credentials Secret',
        'Token Secret',
        'Problems',
      ]}
      items={rows}
      rowId={row => row.id}
      cells={({ cluster, operator }) => [
        <>
          {operator.namespace}/{operator.deploymentName}
          <Caption>cluster {cluster}</Caption>
        </>,
        <>
          {operator.inClusterConnect?.available === undefined ||
          operator.inClusterConnect?.available === null ? (
            describeConnect(operator)
          ) : (
            <>
              <HealthCell
                healthy={operator.inClusterConnect.available}
                error={null}
              />
              {describeConnect(operator)}
            </>
          )}
          {operator.connectHost && <Caption>{operator.connectHost}</Caption>}
        </>,
        operator.inClusterConnect?.credentialsSecret ?? '',
        operator.tokenSecret ?? '',
        <Problems operator={operator} />,
      ]}
    />
  );
}
