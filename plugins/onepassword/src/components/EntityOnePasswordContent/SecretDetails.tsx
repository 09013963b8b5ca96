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
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { SecretSyncRecord } from '@secret-sync/backstage-plugin-onepassword-common';
import { STATUS_DESCRIPTIONS } from '../../lib/status';
import { RelativeTime } from '../RelativeTime';

const useStyles = makeStyles(theme => ({
  list: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(1, 0),
  },
  term: { fontWeight: theme.typography.fontWeightMedium as number },
  definition: { margin: 0, overflowWrap: 'anywhere' },
}));

/** The expanded part of a row: what is wrong and what to do about it. */
export function SecretDetails(props: { record: SecretSyncRecord; now: Date }) {
  const { record, now } = props;
  const classes = useStyles();
  const entries: Array<[string, ReactNode]> = [
    ['Status', STATUS_DESCRIPTIONS[record.status]],
    ['Message', record.message],
    ['Hint', record.hint],
    ['Item path', record.itemPath],
    [
      'In this state since',
      record.statusSince && (
        <RelativeTime time={record.statusSince} now={now} />
      ),
    ],
    [
      'Item changed',
      record.itemUpdatedAt && (
        <RelativeTime time={record.itemUpdatedAt} now={now} />
      ),
    ],
  ];
  return (
    <Typography component="dl" variant="body2" className={classes.list}>
      {entries
        .filter(([, value]) => Boolean(value))
        .map(([term, value]) => (
          <div key={term} style={{ display: 'contents' }}>
            <dt className={classes.term}>{term}</dt>
            <dd className={classes.definition}>{value}</dd>
          </div>
        ))}
    </Typography>
  );
}
