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

import {
  Accordion,
  AccordionPanel,
  AccordionTrigger,
  Cell,
  Column,
  Row,
  TableBody,
  TableHeader,
  TableRoot,
} from '@backstage/ui';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import {
  recordKey,
  SecretSyncRecord,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { TimeFormatter } from '../../lib/time';
import { RelativeTime } from '../RelativeTime';
import { Caption, describePolling, StatusNote } from '../SecretCells';
import { SyncStatusIndicator } from '../SyncStatus';
import { TableFrame } from '../TableFrame';
import { SecretDetails } from './SecretDetails';
import { ItemAgeNote, RotateCredentialsButton } from './RotationCells';
import { Entity } from '@backstage/catalog-model';

const useStyles = makeStyles(theme => ({
  problem: {
    display: 'block',
    marginTop: theme.spacing(0.5),
    overflowWrap: 'break-word',
  },
  label: { fontWeight: theme.typography.fontWeightBold as number },
  // Room for a typical Secret name and sync line before the message takes
  // the rest of the width.
  name: { overflowWrap: 'anywhere', minWidth: '16em' },
  sync: { minWidth: '13em' },
}));

/**
 * What is wrong and what to do, in the row itself: the one thing a developer
 * opens the tab for should not take a click to find.
 */
function ProblemText(props: { record: SecretSyncRecord }) {
  const { record } = props;
  const classes = useStyles();
  // A restart is a fact beside the status: an in-sync Secret can still be
  // read by pods that run its previous value.
  const restart = record.restartNeeded ? (
    <Typography variant="body2" component="p" className={classes.problem}>
      <span className={classes.label}>Restart needed: </span>
      {record.restartHint ??
        'pods that read this Secret at start run its previous value.'}
    </Typography>
  ) : null;
  // So is a Connect deployment or token the operator has not picked up.
  const connect = record.connectHint ? (
    <Typography variant="body2" component="p" className={classes.problem}>
      <span className={classes.label}>Connect and operator token: </span>
      {record.connectHint}
    </Typography>
  ) : null;
  if (record.status === 'in-sync') {
    return (
      <>
        {restart}
        {connect}
      </>
    );
  }
  return (
    <>
      {restart}
      {connect}
      {record.message && (
        <Typography variant="body2" component="p" className={classes.problem}>
          <span className={classes.label}>What is wrong: </span>
          {record.message}
        </Typography>
      )}
      {record.hint && (
        <Typography variant="body2" component="p" className={classes.problem}>
          <span className={classes.label}>What to do: </span>
          {record.hint}
        </Typography>
      )}
    </>
  );
}

/**
 * The synced Secrets of one entity: status, what is wrong and the hint at a
 * glance; versions, paths, polling and auto-restart in each row's details.
 */
export function SecretsTable(props: {
  records: SecretSyncRecord[];
  now: Date;
  format: TimeFormatter;
  /** The entity the records belong to: offers rotating each record's item. */
  entity?: Entity;
  /** The entity's Kubernetes tab, which each consuming Deployment links to. */
  kubernetesLink?: string;
}) {
  const { records, now, format, entity, kubernetesLink } = props;
  const classes = useStyles();
  const rows = records.map(record => ({ id: recordKey(record), record }));

  return (
    <TableFrame>
      <TableRoot aria-label="Synced Secrets">
        <TableHeader>
          <Column id="status">Status</Column>
          <Column id="secret" isRowHeader>
            Secret
          </Column>
          <Column id="sync">Last sync</Column>
        </TableHeader>
        <TableBody items={rows}>
          {({ id, record }) => (
            <Row id={id}>
              <Cell>
                <SyncStatusIndicator status={record.status} />
                <StatusNote record={record} now={now} format={format} />
                <ProblemText record={record} />
              </Cell>
              <Cell textValue={record.secretName}>
                <Typography variant="body2" className={classes.name}>
                  {record.secretName}
                </Typography>
                <Caption>
                  {record.cluster} / {record.namespace}
                </Caption>
                {entity && (
                  <RotateCredentialsButton entity={entity} record={record} />
                )}
                <Accordion>
                  <AccordionTrigger title="Details" />
                  <AccordionPanel>
                    <SecretDetails
                      record={record}
                      now={now}
                      format={format}
                      kubernetesLink={kubernetesLink}
                    />
                  </AccordionPanel>
                </Accordion>
              </Cell>
              <Cell>
                <Typography variant="body2" className={classes.sync}>
                  <RelativeTime
                    prefix="synced"
                    time={record.syncedAt}
                    now={now}
                    format={format}
                  />
                </Typography>
                <Caption>{describePolling(record, now, format)}</Caption>
                <ItemAgeNote record={record} now={now} format={format} />
              </Cell>
            </Row>
          )}
        </TableBody>
      </TableRoot>
    </TableFrame>
  );
}
