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
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import {
  SecretStatusTransition,
  SecretSyncRecord,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { useContext } from 'react';
import { DisclosureStateContext } from 'react-aria-components';
import useAsync from 'react-use/esm/useAsync';
import { onePasswordApiRef } from '../../api';
import { TimeFormatter } from '../../lib/time';
import {
  statusTimeline,
  StatusTimeline,
  TIMELINE_WINDOW_DAYS,
} from '../../lib/timeline';
import { recordKey } from '@secret-sync/backstage-plugin-onepassword-common';
import { STATUS_TONES, SyncStatusIndicator } from '../SyncStatus';

/** More pages than this of one record in 30 days would be a flapping record; the oldest are left out. */
const MAX_PAGES = 10;

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    height: theme.spacing(1.5),
    margin: theme.spacing(0.5, 0),
    borderRadius: theme.shape.borderRadius,
    overflow: 'hidden',
    background: theme.palette.action.hover,
  },
  segment: { height: '100%', minWidth: 2 },
  ok: { background: theme.palette.status.ok },
  pending: { background: theme.palette.status.pending },
  warning: { background: theme.palette.status.warning },
  error: { background: theme.palette.status.error },
  aborted: { background: theme.palette.status.aborted },
  totals: {
    listStyle: 'none',
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5, 2),
    margin: 0,
    padding: 0,
  },
}));

/** The record's transitions in the window, every page of them. */
function useRecordHistory(record: SecretSyncRecord, since: string) {
  const api = useApi(onePasswordApiRef);
  const { entity } = useEntity();
  const key = recordKey(record);
  return useAsync(async () => {
    const items: SecretStatusTransition[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const response = await api.getSecretHistory(
        getCompoundEntityRef(entity),
        { record: key, since, limit: 500, cursor },
      );
      items.push(...response.items);
      if (!response.nextCursor) break;
      cursor = response.nextCursor;
    }
    return items;
    // A new status (a refresh, a signal) means a new transition to read.
  }, [api, entity, key, record.status, record.statusSince]);
}

function describeTotals(timeline: StatusTimeline, format: TimeFormatter) {
  return timeline.totals
    .map(
      t =>
        `${t.status} ${format.duration(t.seconds)} (${Math.round(
          t.share * 100,
        )}%)`,
    )
    .join(', ');
}

/**
 * The record's statuses over the last 30 days: a bar of the stretches in
 * each status, then the time in each as words, so the bar's colours are
 * never the only way to read it.
 */
export function SecretTimeline(props: {
  record: SecretSyncRecord;
  now: Date;
  format: TimeFormatter;
}) {
  // In a closed details panel nothing reads the history: a tab with many
  // Secrets asks for one record's history when its panel opens.
  const disclosure = useContext(DisclosureStateContext);
  if (disclosure && !disclosure.isExpanded) return null;
  return <LoadedTimeline {...props} />;
}

function LoadedTimeline(props: {
  record: SecretSyncRecord;
  now: Date;
  format: TimeFormatter;
}) {
  const { record, now, format } = props;
  const classes = useStyles();
  // The window moves with the hour, not with every tick of `now`.
  const hour = Math.floor(now.getTime() / 3_600_000) * 3_600_000;
  const since = new Date(
    hour - TIMELINE_WINDOW_DAYS * 86_400_000,
  ).toISOString();
  const history = useRecordHistory(record, since);

  if (history.error) {
    return (
      <Typography variant="body2" color="textSecondary">
        History unavailable: {history.error.message}
      </Typography>
    );
  }
  if (!history.value) {
    return (
      <Typography variant="body2" color="textSecondary">
        Loading history…
      </Typography>
    );
  }
  const timeline = statusTimeline({
    transitions: history.value,
    current: record,
    now,
  });
  const span = timeline.end.getTime() - timeline.start.getTime();
  const summary = describeTotals(timeline, format);
  return (
    <div data-testid="secret-timeline">
      <div
        className={classes.bar}
        role="img"
        aria-label={`Status over the last ${TIMELINE_WINDOW_DAYS} days: ${summary}`}
      >
        {timeline.segments.map(segment => (
          <span
            key={segment.from.toISOString()}
            className={`${classes.segment} ${
              classes[STATUS_TONES[segment.status]]
            }`}
            style={{
              marginLeft:
                segment === timeline.segments[0]
                  ? `${
                      ((segment.from.getTime() - timeline.start.getTime()) /
                        span) *
                      100
                    }%`
                  : undefined,
              width: `${
                ((segment.to.getTime() - segment.from.getTime()) / span) * 100
              }%`,
            }}
            title={`${segment.status} from ${format.exact(
              segment.from,
            )} to ${format.exact(segment.to)}`}
          />
        ))}
      </div>
      <ul className={classes.totals} aria-label="Time in each status">
        {timeline.totals.map(total => (
          <li key={total.status}>
            <SyncStatusIndicator status={total.status} />{' '}
            <Typography component="span" variant="body2">
              {format.duration(total.seconds)} ({Math.round(total.share * 100)}
              %)
            </Typography>
          </li>
        ))}
      </ul>
    </div>
  );
}
