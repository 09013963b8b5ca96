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
import { TimeFormatter } from '../../lib/time';

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

/**
 * The two versions in words: `version 4, current`,
 * `Secret has version 2; 1Password has 4`, `no Secret created yet`.
 */
export function describeVersions(record: SecretSyncRecord): string {
  const { itemVersion, secretVersion } = record;
  if (secretVersion === null) {
    return itemVersion === null
      ? 'no Secret created yet; 1Password version unknown'
      : `no Secret created yet; 1Password has version ${itemVersion}`;
  }
  if (itemVersion === null) {
    return `Secret has version ${secretVersion}; 1Password version unknown`;
  }
  if (itemVersion === secretVersion) {
    return `version ${itemVersion}, current`;
  }
  return `Secret has version ${secretVersion}; 1Password has ${itemVersion}`;
}

/** True when a deadline has passed: the thing promised by then has not happened. */
export function isOverdue(deadline: string | null, now: Date): boolean {
  return deadline !== null && new Date(deadline) <= now;
}

/** `overdue since 2:32 PM (4 minutes ago)`, `by 2:32 PM (in 6 minutes)`. */
function describeDeadline(
  deadline: string,
  now: Date,
  format: TimeFormatter,
): string {
  const at = `${format.clock(deadline, now)} (${format.relative(
    deadline,
    now,
  )})`;
  return isOverdue(deadline, now) ? `overdue since ${at}` : `by ${at}`;
}

/**
 * `every 10 min · next check by 2:32 PM`, or `… · next check overdue since
 * 2:32 PM` once that time has passed without the record catching up.
 */
export function describePolling(
  record: SecretSyncRecord,
  now: Date,
  format: TimeFormatter,
): string {
  const every = `operator polls every ${format.duration(
    record.pollingIntervalSeconds,
  )}`;
  if (!record.nextPollBy) {
    return every;
  }
  return `${every} · next check ${describeDeadline(
    record.nextPollBy,
    now,
    format,
  )}`;
}

/**
 * What a status adds under its word: when a pending record should catch up
 * (or that it is overdue), since when a stale one is behind, or how old the
 * last known state is.
 */
export function describeStatusNote(
  record: SecretSyncRecord,
  now: Date,
  format: TimeFormatter,
): string | undefined {
  if (record.status === 'unknown' && record.statusSince) {
    return `last known state from ${format.relative(record.statusSince, now)}`;
  }
  if (record.status === 'pending' && record.nextPollBy) {
    return isOverdue(record.nextPollBy, now)
      ? `catch-up ${describeDeadline(record.nextPollBy, now, format)}`
      : `catches up ${describeDeadline(record.nextPollBy, now, format)}`;
  }
  // Polls keep coming and keep failing: the next one is no promise.
  if (record.status === 'stale' && record.itemUpdatedAt) {
    return `behind since ${format.clock(
      record.itemUpdatedAt,
      now,
    )} (${format.relative(record.itemUpdatedAt, now)})`;
  }
  return undefined;
}

/** The status note as a caption, if the status has one. */
export function StatusNote(props: {
  record: SecretSyncRecord;
  now: Date;
  format: TimeFormatter;
}) {
  const note = describeStatusNote(props.record, props.now, props.format);
  return note ? <Caption>{note}</Caption> : null;
}

/** `payments / payments-db`: vault and item titles, ids where unknown. */
export function describeVaultItem(record: SecretSyncRecord): string {
  const vault = record.vaultName ?? record.vaultId ?? 'unknown vault';
  const item = record.itemTitle ?? record.itemId ?? 'unknown item';
  return `${vault} / ${item}`;
}

/** Vault and item titles, the item path on hover, and the Connect server. */
export function VaultItemCell(props: { record: SecretSyncRecord }) {
  const { record } = props;
  return (
    <>
      <Tooltip title={record.itemPath}>
        <span>{describeVaultItem(record)}</span>
      </Tooltip>
      {record.connectServer && (
        <Caption>via Connect server {record.connectServer}</Caption>
      )}
    </>
  );
}
