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

import FormControl from '@material-ui/core/FormControl';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { VaultOption } from '@secret-sync/backstage-plugin-onepassword-common';
import { OnePasswordVaultPickerProps } from './schema';
import { useVaultOptions } from './useVaultOptions';

/**
 * Scaffolder field to pick a 1Password vault that a Connect server serves.
 * Lists names and ids only; the value is `{ server, id, name }`.
 * @public
 */
export const OnePasswordVaultPicker = (props: OnePasswordVaultPickerProps) => {
  const {
    onChange,
    schema: {
      title = 'Vault',
      description = '1Password vault for the new item',
    },
    required,
    uiSchema,
    rawErrors,
    formData,
    idSchema,
  } = props;
  const servers = uiSchema?.['ui:options']?.servers;
  const { value: vaults = [], loading, error } = useVaultOptions(servers);
  const severalServers = new Set(vaults.map(vault => vault.server)).size > 1;

  const selected =
    vaults.find(
      vault => vault.server === formData?.server && vault.id === formData?.id,
    ) ?? null;

  return (
    <FormControl
      margin="normal"
      required={required}
      error={Boolean(rawErrors?.length) || Boolean(error)}
    >
      <Autocomplete<VaultOption>
        id={idSchema?.$id}
        options={vaults}
        loading={loading}
        value={selected}
        groupBy={
          severalServers ? vault => `Connect server ${vault.server}` : undefined
        }
        getOptionLabel={vault => vault.name}
        getOptionSelected={(option, value) =>
          option.server === value.server && option.id === value.id
        }
        onChange={(_event, vault) =>
          onChange(
            vault
              ? { server: vault.server, id: vault.id, name: vault.name }
              : undefined,
          )
        }
        renderInput={params => (
          <TextField
            {...params}
            label={title}
            margin="dense"
            variant="outlined"
            required={required}
            error={Boolean(rawErrors?.length) || Boolean(error)}
            helperText={
              error ? `Could not load vaults: ${error.message}` : description
            }
            InputProps={params.InputProps}
          />
        )}
      />
    </FormControl>
  );
};
