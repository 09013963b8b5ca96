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
import { StatusCounts } from '@secret-sync/backstage-plugin-onepassword-common';
import { presentStatuses } from '../../lib/status';
import { SyncStatusIndicator } from './SyncStatusIndicator';

const useStyles = makeStyles(theme => ({
  list: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
}));

/** Counts by status, most severe first, e.g. "1 stale · 2 in-sync". */
export function StatusCountList(props: {
  counts: StatusCounts;
  label: string;
}) {
  const { counts, label } = props;
  const classes = useStyles();
  const statuses = presentStatuses(counts);
  return (
    <ul className={classes.list} aria-label={label}>
      {statuses.map(status => (
        <li key={status}>
          <SyncStatusIndicator
            status={status}
            prefix={String(counts[status])}
          />
        </li>
      ))}
    </ul>
  );
}
