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

import { useEffect, useState } from 'react';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import {
  SYNC_STATUSES,
  SyncStatus,
} from '@secret-sync/backstage-plugin-onepassword-common';
import useDebounce from 'react-use/esm/useDebounce';
import { AuditFilters as Filters } from './useAuditPage';

function MultiFilter<T extends string>(props: {
  label: string;
  options: readonly T[];
  value: T[] | undefined;
  onChange: (value: T[] | undefined) => void;
  freeSolo?: boolean;
}) {
  const { label, options, value, onChange, freeSolo } = props;
  return (
    <Autocomplete<T, true, false, boolean>
      multiple
      size="small"
      freeSolo={freeSolo}
      options={[...options]}
      value={value ?? []}
      onChange={(_event, selected) =>
        onChange(selected.length ? (selected as T[]) : undefined)
      }
      renderInput={params => (
        <TextField {...params} variant="outlined" label={label} />
      )}
    />
  );
}

type Ownership = 'all' | 'orphans' | 'claimed';

const OWNERSHIP: Record<Ownership, boolean | undefined> = {
  all: undefined,
  orphans: true,
  claimed: false,
};

function toOwnership(orphans: boolean | undefined): Ownership {
  if (orphans === undefined) return 'all';
  return orphans ? 'orphans' : 'claimed';
}

type Rotation = 'all' | 'due' | 'notDue';

const ROTATION: Record<Rotation, boolean | undefined> = {
  all: undefined,
  due: true,
  notDue: false,
};

const ROTATION_CHOICES: Record<string, Rotation> = {
  true: 'due',
  false: 'notDue',
};
type Restarts = 'all' | 'needed' | 'not-needed';

const RESTARTS: Record<Restarts, boolean | undefined> = {
  all: undefined,
  needed: true,
  'not-needed': false,
};

function toRestarts(restartNeeded: boolean | undefined): Restarts {
  if (restartNeeded === undefined) return 'all';
  return restartNeeded ? 'needed' : 'not-needed';
}

/** Filters of the audit table; text search waits for typing to pause. */
export function AuditFiltersBar(props: {
  filters: Filters;
  onChange: (filters: Filters) => void;
  clusters: string[];
  servers: string[];
  owners: string[];
}) {
  const { filters, onChange, clusters, servers, owners } = props;
  const [text, setText] = useState(filters.q ?? '');
  useDebounce(
    () => {
      if ((filters.q ?? '') !== text) {
        onChange({ ...filters, q: text || undefined });
      }
    },
    300,
    [text],
  );
  useEffect(() => setText(filters.q ?? ''), [filters.q]);

  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={4}>
        <TextField
          id="onepassword-audit-search"
          fullWidth
          size="small"
          variant="outlined"
          label="Search"
          placeholder="Secret, namespace, entity, vault or item"
          value={text}
          onChange={event => setText(event.target.value)}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={2}>
        <MultiFilter<SyncStatus>
          label="Status"
          options={SYNC_STATUSES}
          value={filters.status}
          onChange={status => onChange({ ...filters, status })}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={2}>
        <MultiFilter
          label="Cluster"
          options={clusters}
          value={filters.cluster}
          onChange={cluster => onChange({ ...filters, cluster })}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={2}>
        <MultiFilter
          label="Owner"
          freeSolo
          options={owners}
          value={filters.owner}
          onChange={owner => onChange({ ...filters, owner })}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={2}>
        <MultiFilter
          label="Connect server"
          options={servers}
          value={filters.server}
          onChange={server => onChange({ ...filters, server })}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={2}>
        <TextField
          id="onepassword-audit-ownership"
          select
          fullWidth
          size="small"
          variant="outlined"
          label="Ownership"
          value={toOwnership(filters.orphans)}
          onChange={event =>
            onChange({
              ...filters,
              orphans: OWNERSHIP[event.target.value as Ownership],
            })
          }
        >
          <MenuItem value="all">All Secrets</MenuItem>
          <MenuItem value="orphans">Orphans only</MenuItem>
          <MenuItem value="claimed">Claimed only</MenuItem>
        </TextField>
      </Grid>
      <Grid item xs={12} sm={6} md={2}>
        <TextField
          id="onepassword-audit-rotation"
          select
          fullWidth
          size="small"
          variant="outlined"
          label="Rotation"
          value={ROTATION_CHOICES[String(filters.rotationDue)] ?? 'all'}
          onChange={event =>
            onChange({
              ...filters,
              rotationDue: ROTATION[event.target.value as Rotation],
            })
          }
        >
          <MenuItem value="all">Any age</MenuItem>
          <MenuItem value="due">Due for rotation</MenuItem>
          <MenuItem value="notDue">Not due</MenuItem>
        </TextField>
      </Grid>
      <Grid item xs={12} sm={6} md={2}>
        <TextField
          id="onepassword-audit-restart-needed"
          select
          fullWidth
          size="small"
          variant="outlined"
          label="Pods"
          value={toRestarts(filters.restartNeeded)}
          onChange={event =>
            onChange({
              ...filters,
              restartNeeded: RESTARTS[event.target.value as Restarts],
            })
          }
        >
          <MenuItem value="all">All pods</MenuItem>
          <MenuItem value="needed">Restart needed</MenuItem>
          <MenuItem value="not-needed">No restart needed</MenuItem>
        </TextField>
      </Grid>
    </Grid>
  );
}
