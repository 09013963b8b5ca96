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
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import ErrorOutline from '@material-ui/icons/ErrorOutline';
import {
  ClusterHealth,
  ConnectServerHealth,
} from '@secret-sync/backstage-plugin-onepassword-common';

const useStyles = makeStyles(theme => ({
  indicator: {
    display: 'inline-flex',
    alignItems: 'center',
    whiteSpace: 'nowrap',
  },
  icon: { width: '1em', height: '1em', marginRight: theme.spacing(0.5) },
  ok: { color: theme.palette.status.ok },
  error: { color: theme.palette.status.error },
  line: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    margin: 0,
    padding: 0,
    listStyle: 'none',
  },
}));

/** `main: healthy` or `legacy: unreachable`, with the error on hover. */
export function HealthIndicator(props: {
  /** Left out where a table row already names the server or cluster. */
  name?: string;
  healthy: boolean;
  error: string | null;
}) {
  const { name, healthy, error } = props;
  const classes = useStyles();
  const Icon = healthy ? CheckCircleOutline : ErrorOutline;
  const content = (
    <Typography component="span" variant="body2" className={classes.indicator}>
      <Icon
        aria-hidden
        className={`${classes.icon} ${healthy ? classes.ok : classes.error}`}
      />
      {name ? `${name}: ` : ''}
      {healthy ? 'healthy' : 'unreachable'}
    </Typography>
  );
  return error ? <Tooltip title={error}>{content}</Tooltip> : content;
}

/** One line per kind: the Connect servers and the clusters, each with its health. */
export function HealthSummary(props: {
  servers: ConnectServerHealth[];
  clusters: ClusterHealth[];
}) {
  const { servers, clusters } = props;
  const classes = useStyles();
  return (
    <>
      {[
        { label: 'Connect servers', items: servers },
        { label: 'Clusters', items: clusters },
      ]
        .filter(group => group.items.length > 0)
        .map(group => (
          <div key={group.label} className={classes.line}>
            <Typography component="span" variant="body2" color="textSecondary">
              {group.label}:
            </Typography>
            <ul className={classes.line} aria-label={group.label}>
              {group.items.map(item => (
                <li key={item.name}>
                  <HealthIndicator
                    name={item.name}
                    healthy={item.healthy}
                    error={item.error}
                  />
                </li>
              ))}
            </ul>
          </div>
        ))}
    </>
  );
}
