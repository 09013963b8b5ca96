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

import { ComponentType } from 'react';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import ErrorOutline from '@material-ui/icons/ErrorOutline';
import HelpOutline from '@material-ui/icons/HelpOutline';
import ReportProblemOutlined from '@material-ui/icons/ReportProblemOutlined';
import Schedule from '@material-ui/icons/Schedule';
import { SyncStatus } from '@secret-sync/backstage-plugin-onepassword-common';
import { STATUS_DESCRIPTIONS } from '../../lib/status';

type Tone = 'ok' | 'pending' | 'warning' | 'error' | 'aborted';

/** The colour family of each status, shared by the indicator and the chart. */
export const STATUS_TONES: Record<SyncStatus, Tone> = {
  'in-sync': 'ok',
  pending: 'pending',
  stale: 'warning',
  missing: 'warning',
  error: 'error',
  'item-not-found': 'error',
  'access-denied': 'error',
  unknown: 'aborted',
};

const TONE_ICONS: Record<Tone, ComponentType<{ className?: string }>> = {
  ok: CheckCircleOutline,
  pending: Schedule,
  warning: ReportProblemOutlined,
  error: ErrorOutline,
  aborted: HelpOutline,
};

const useStyles = makeStyles(theme => ({
  root: {
    display: 'inline-flex',
    alignItems: 'center',
    fontWeight: theme.typography.fontWeightMedium as number,
    whiteSpace: 'nowrap',
  },
  icon: {
    width: '1em',
    height: '1em',
    marginRight: theme.spacing(0.5),
  },
  ok: { color: theme.palette.status.ok },
  pending: { color: theme.palette.status.pending },
  warning: { color: theme.palette.status.warning },
  error: { color: theme.palette.status.error },
  aborted: { color: theme.palette.status.aborted },
}));

/**
 * A sync status as a coloured icon and its word, so the state never rests on
 * colour alone. The icon is decorative; the word is what assistive
 * technology reads.
 */
export function SyncStatusIndicator(props: {
  status: SyncStatus;
  /** Text after the status word, e.g. a count. */
  prefix?: string;
}) {
  const { status, prefix } = props;
  const classes = useStyles();
  const tone = STATUS_TONES[status];
  const Icon = TONE_ICONS[tone];
  return (
    <Typography
      component="span"
      variant="body2"
      className={classes.root}
      title={STATUS_DESCRIPTIONS[status]}
      data-status={status}
    >
      <Icon className={`${classes.icon} ${classes[tone]}`} aria-hidden />
      {prefix ? `${prefix} ${status}` : status}
    </Typography>
  );
}
