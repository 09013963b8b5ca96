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

import { makeStyles, useTheme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import {
  STATUS_SEVERITY,
  StatusCounts,
  SyncStatus,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { presentStatuses } from '../../lib/status';
import { STATUS_TONES, SyncStatusIndicator } from '../SyncStatus';

const useStyles = makeStyles(theme => ({
  figure: { margin: 0 },
  row: {
    display: 'grid',
    gridTemplateColumns: 'minmax(80px, max-content) 1fr max-content',
    alignItems: 'center',
    columnGap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  bar: { display: 'block', width: '100%', height: 16 },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    listStyle: 'none',
    padding: 0,
    margin: theme.spacing(1, 0, 0),
  },
}));

function total(counts: StatusCounts): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

/** `3 in-sync, 1 stale`, for the accessible name of a bar. */
function describeCounts(counts: StatusCounts): string {
  return presentStatuses(counts)
    .map(status => `${counts[status]} ${status}`)
    .join(', ');
}

/**
 * Stacked bars of status counts, one per cluster, scaled to the largest
 * cluster. Each bar's counts are also its text alternative.
 */
export function StatusByClusterChart(props: {
  byCluster: Array<{ cluster: string; byStatus: StatusCounts }>;
}) {
  const { byCluster } = props;
  const classes = useStyles();
  const theme = useTheme();
  const largest = Math.max(1, ...byCluster.map(row => total(row.byStatus)));
  // Healthy first, so the problems line up at the right-hand end.
  const order = [...STATUS_SEVERITY].reverse();
  const seen = new Set<SyncStatus>(
    byCluster.flatMap(row => presentStatuses(row.byStatus)),
  );

  if (byCluster.length === 0) {
    return (
      <Typography variant="body2">No cluster has synced Secrets.</Typography>
    );
  }

  return (
    <figure className={classes.figure}>
      {byCluster.map(({ cluster, byStatus }) => {
        let offset = 0;
        return (
          <div key={cluster} className={classes.row}>
            <Typography variant="body2" component="span">
              {cluster}
            </Typography>
            <svg
              className={classes.bar}
              viewBox="0 0 100 10"
              preserveAspectRatio="none"
              role="img"
              aria-label={`${cluster}: ${describeCounts(byStatus)}`}
            >
              {order.map(status => {
                const width = (byStatus[status] / largest) * 100;
                const x = offset;
                offset += width;
                return width > 0 ? (
                  <rect
                    key={status}
                    x={x}
                    y={0}
                    width={width}
                    height={10}
                    fill={theme.palette.status[STATUS_TONES[status]]}
                  />
                ) : null;
              })}
            </svg>
            <Typography variant="body2" component="span">
              {total(byStatus)}
            </Typography>
          </div>
        );
      })}
      <figcaption>
        <ul className={classes.legend} aria-label="Legend">
          {order
            .filter(status => seen.has(status))
            .map(status => (
              <li key={status}>
                <SyncStatusIndicator status={status} />
              </li>
            ))}
        </ul>
      </figcaption>
    </figure>
  );
}
