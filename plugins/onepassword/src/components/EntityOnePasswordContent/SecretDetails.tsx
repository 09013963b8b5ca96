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
import {
  SecretSyncRecord,
  WorkloadConsumer,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { describeAutoRestart, STATUS_DESCRIPTIONS } from '../../lib/status';
import { TimeFormatter } from '../../lib/time';
import { TIMELINE_WINDOW_DAYS } from '../../lib/timeline';
import { Link } from '@backstage/core-components';
import { RelativeTime } from '../RelativeTime';
import { describeVaultItem, describeVersions } from '../SecretCells';
import { SecretTimeline } from './SecretTimeline';

const useStyles = makeStyles(theme => ({
  list: { margin: theme.spacing(0.5, 0, 0) },
  term: {
    fontWeight: theme.typography.fontWeightMedium as number,
    marginTop: theme.spacing(1),
  },
  definition: { margin: 0, overflowWrap: 'anywhere' },
}));

const VERDICTS: Record<WorkloadConsumer['verdict'], string> = {
  current: 'every pod started after the last change',
  'updates-in-place': 'mounted as a volume: the kubelet updates it in place',
  'restart-needed': 'restart needed',
  'auto-restart-missed': 'auto-restart did not happen: restart needed',
};

/**
 * Which Deployments read the Secret, how, and whether their pods run its
 * current value; each links to the entity's Kubernetes tab, where the
 * Kubernetes plugin shows its pods.
 */
function describeConsumers(
  record: SecretSyncRecord,
  kubernetesLink: string | undefined,
): ReactNode {
  if (!record.consumers) return record.restartHint ?? null;
  if (record.consumers.length === 0) return 'none found in its namespace';
  return (
    <>
      {record.consumers.map(consumer => (
        <span key={`${consumer.namespace}/${consumer.deployment}`}>
          Deployment{' '}
          {kubernetesLink ? (
            <Link
              to={kubernetesLink}
              title={`Deployment ${consumer.deployment} in the Kubernetes tab`}
            >
              {consumer.deployment}
            </Link>
          ) : (
            consumer.deployment
          )}{' '}
          ({consumer.kinds.join(', ')}): {VERDICTS[consumer.verdict]}
          {consumer.podsBeforeWrite > 0
            ? `, ${consumer.podsBeforeWrite} of ${consumer.podCount} pods started before the last change`
            : ''}
          <br />
        </span>
      ))}
    </>
  );
}

/**
 * A row's details: what the status means, versions, where the Secret and the
 * item live, auto-restart and the times behind the status.
 */
export function SecretDetails(props: {
  record: SecretSyncRecord;
  now: Date;
  format: TimeFormatter;
  /** The entity's Kubernetes tab, where its Deployments' pods are shown; none without one. */
  kubernetesLink?: string;
}) {
  const { record, now, format, kubernetesLink } = props;
  const classes = useStyles();
  const time = (value: string | null) =>
    value && <RelativeTime time={value} now={now} format={format} />;
  const entries: Array<[string, ReactNode]> = [
    ['Status', STATUS_DESCRIPTIONS[record.status]],
    ['Versions', describeVersions(record)],
    ['1Password vault / item', describeVaultItem(record)],
    ['Item path', record.itemPath],
    ['Connect server', record.connectServer],
    [
      'Kubernetes Secret',
      `${record.cluster} / ${record.namespace} / ${record.secretName} (from ${record.source})`,
    ],
    ['Auto-restart', describeAutoRestart(record.autoRestart)],
    ['Workloads reading it', describeConsumers(record, kubernetesLink)],
    ['Connect and operator token', record.connectHint],
    ['Last restart', time(record.lastRestartedAt)],
    ['In this status since', time(record.statusSince)],
    [
      `History, last ${TIMELINE_WINDOW_DAYS} days`,
      <SecretTimeline record={record} now={now} format={format} />,
    ],
    ['Item changed in 1Password', time(record.itemUpdatedAt)],
    ['Last verified current', time(record.verifiedAt)],
  ];
  return (
    <Typography component="dl" variant="body2" className={classes.list}>
      {entries
        .filter(([, value]) => Boolean(value))
        .map(([term, value]) => (
          <div key={term}>
            <dt className={classes.term}>{term}</dt>
            <dd className={classes.definition}>{value}</dd>
          </div>
        ))}
    </Typography>
  );
}
