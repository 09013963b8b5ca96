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

/** A yes/no filter that can also be off: three menu choices. */
function BooleanFilter(props: {
  id: string;
  label: string;
  value: boolean | undefined;
  onChange: (value: boolean | undefined) => void;
  choices: { any: string; yes: string; no: string };
}) {
  const { id, label, value, onChange, choices } = props;
  return (
    <TextField
      id={id}
      select
      fullWidth
      size="small"
      variant="outlined"
      label={label}
      value={value === undefined ? 'any' : String(value)}
      onChange={event =>
        onChange(
          event.target.value === 'any'
            ? undefined
            : event.target.value === 'true',
        )
      }
    >
      <MenuItem value="any">{choices.any}</MenuItem>
      <MenuItem value="true">{choices.yes}</MenuItem>
      <MenuItem value="false">{choices.no}</MenuItem>
    </TextField>
  );
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
        <BooleanFilter
          id="onepassword-audit-ownership"
          label="Ownership"
          value={filters.orphans}
          onChange={orphans => onChange({ ...filters, orphans })}
          choices={{
            any: 'All Secrets',
            yes: 'Orphans only',
            no: 'Claimed only',
          }}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={2}>
        <BooleanFilter
          id="onepassword-audit-rotation"
          label="Rotation"
          value={filters.rotationDue}
          onChange={rotationDue => onChange({ ...filters, rotationDue })}
          choices={{
            any: 'Any age',
            yes: 'Due for rotation',
            no: 'Not due',
          }}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={2}>
        <BooleanFilter
          id="onepassword-audit-restart-needed"
          label="Pods"
          value={filters.restartNeeded}
          onChange={restartNeeded => onChange({ ...filters, restartNeeded })}
          choices={{
            any: 'All pods',
            yes: 'Restart needed',
            no: 'No restart needed',
          }}
        />
      </Grid>
    </Grid>
  );
}
