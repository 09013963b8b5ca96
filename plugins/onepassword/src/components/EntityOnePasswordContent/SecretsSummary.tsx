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

import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { EntitySecretsResponse } from '@secret-sync/backstage-plugin-onepassword-common';
import { TimeFormatter } from '../../lib/time';
import { HealthSummary } from '../HealthList';
import { RelativeTime } from '../RelativeTime';
import { StatusCountList } from '../SyncStatus';

/** Counts by status, the health of servers and clusters, and the snapshot's age. */
export function SecretsSummary(props: {
  response: EntitySecretsResponse;
  now: Date;
  format: TimeFormatter;
}) {
  const { response, now, format } = props;
  return (
    <Box display="flex" flexDirection="column" gridGap={8} mb={2}>
      <StatusCountList
        counts={response.summary.byStatus}
        label="Secrets by status"
      />
      <HealthSummary servers={response.servers} clusters={response.clusters} />
      <Typography variant="body2" color="textSecondary">
        {response.asOf ? (
          <RelativeTime
            prefix="as of"
            time={response.asOf}
            now={now}
            format={format}
          />
        ) : (
          'No refresh has finished yet.'
        )}
      </Typography>
    </Box>
  );
}
