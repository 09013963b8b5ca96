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
import { makeStyles, Theme } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { SecretSyncRecord } from '@secret-sync/backstage-plugin-onepassword-common';
import {
  formatClockTime,
  formatDuration,
  formatRelative,
} from '../../lib/time';

const useStyles = makeStyles((theme: Theme) => ({
  // The theme's subtle text keeps a 4.5:1 contrast on hovered rows, where
  // MUI's text.secondary does not.
  caption: { display: 'block', color: theme.palette.textSubtle },
}));

/** Secondary text under a cell's main value. */
export function Caption(props: { children: ReactNode }) {
  const classes = useStyles();
  return (
    <Typography variant="caption" className={classes.caption}>
      {props.children}
    </Typography>
  );
}

/** Identifies a synced Secret: `cluster/namespace/name`. */
export function recordKey(record: SecretSyncRecord): string {
  return `${record.cluster}/${record.namespace}/${record.secretName}`;
}

/** `item v4 · Secret v2`, or `item v4 · no Secret`. */
export function describeVersions(record: SecretSyncRecord): string {
  const item =
    record.itemVersion === null ? 'item v?' : `item v${record.itemVersion}`;
  const secret =
    record.secretVersion === null
      ? 'no Secret'
      : `Secret v${record.secretVersion}`;
  return `${item} · ${secret}`;
}

/** `operator polls every 10 min · next check by 14:32` (the latter only if ahead). */
export function describePolling(record: SecretSyncRecord, now: Date): string {
  const every = `operator polls every ${formatDuration(
    record.pollingIntervalSeconds,
  )}`;
  if (record.nextPollBy && new Date(record.nextPollBy) > now) {
    return `${every} · next check by ${formatClockTime(
      record.nextPollBy,
      now,
    )}`;
  }
  return every;
}

/** What a status adds under its word: when it catches up, how old it is. */
export function StatusNote(props: { record: SecretSyncRecord; now: Date }) {
  const { record, now } = props;
  if (record.status === 'pending' && record.nextPollBy) {
    return (
      <Caption>
        {`catches up by ${formatClockTime(
          record.nextPollBy,
          now,
        )} (${formatRelative(record.nextPollBy, now)})`}
      </Caption>
    );
  }
  if (record.status === 'unknown' && record.statusSince) {
    return (
      <Caption>
        {`last known state from ${formatRelative(record.statusSince, now)}`}
      </Caption>
    );
  }
  return null;
}

/** Vault and item titles, the item path on hover, and the Connect server. */
export function VaultItemCell(props: { record: SecretSyncRecord }) {
  const { record } = props;
  const vault = record.vaultName ?? record.vaultId ?? 'unknown vault';
  const item = record.itemTitle ?? record.itemId ?? 'unknown item';
  return (
    <>
      <Tooltip title={record.itemPath}>
        <span>{`${vault} / ${item}`}</span>
      </Tooltip>
      {record.connectServer && (
        <Caption>via Connect server {record.connectServer}</Caption>
      )}
    </>
  );
}
