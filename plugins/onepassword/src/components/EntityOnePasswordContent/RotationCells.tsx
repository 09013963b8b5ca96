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

import { Entity } from '@backstage/catalog-model';
import Button from '@material-ui/core/Button';
import Autorenew from '@material-ui/icons/Autorenew';
import { SecretSyncRecord } from '@secret-sync/backstage-plugin-onepassword-common';
import { Link as RouterLink } from 'react-router-dom';
import { useRotateCredentialsLink } from '../../hooks/useRequestCredentialsLink';
import { TimeFormatter } from '../../lib/time';
import { RelativeTime } from '../RelativeTime';
import { Caption } from '../SecretCells';

/** How old the item is (its last change in 1Password), and whether it is due for rotation. */
export function ItemAgeNote(props: {
  record: SecretSyncRecord;
  now: Date;
  format: TimeFormatter;
}) {
  const { record, now, format } = props;
  if (!record.itemUpdatedAt) return null;
  return (
    <Caption>
      <RelativeTime
        prefix="item changed"
        time={record.itemUpdatedAt}
        now={now}
        format={format}
      />
      {record.rotationDue ? (
        <strong>
          {' · rotation due since '}
          <RelativeTime time={record.rotateBy!} now={now} format={format} />
        </strong>
      ) : null}
    </Caption>
  );
}

/** Opens the rotate-credentials template with this record filled in. */
export function RotateCredentialsButton(props: {
  entity: Entity;
  record: SecretSyncRecord;
}) {
  const { entity, record } = props;
  const link = useRotateCredentialsLink(entity)(record);
  if (!link) return null;
  return (
    <Button
      component={RouterLink}
      to={link}
      role="link"
      size="small"
      color="primary"
      startIcon={<Autorenew />}
      aria-label={`Rotate credentials of ${record.secretName} in ${record.cluster}/${record.namespace}`}
    >
      Rotate credentials
    </Button>
  );
}
