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

import '@testing-library/jest-dom';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { OnePasswordVaultPicker } from './OnePasswordVaultPicker';
import { onePasswordVaultPickerValidation } from './validation';

const vaults = {
  items: [
    { server: 'main', id: 'v2', name: 'team-sandbox' },
    { server: 'legacy', id: 'v3', name: 'legacy-billing' },
    { server: 'main', id: 'v1', name: 'payments' },
  ],
};

async function renderPicker(options: {
  response: Response;
  uiOptions?: { servers?: string[] };
}) {
  const onChange = jest.fn();
  const fetch = jest.fn(async () => options.response);
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [
          discoveryApiRef,
          { getBaseUrl: async (id: string) => `http://backend/api/${id}` },
        ],
        [fetchApiRef, { fetch }],
      ]}
    >
      <OnePasswordVaultPicker
        {...({
          onChange,
          schema: { title: 'Vault' },
          uiSchema: { 'ui:options': options.uiOptions ?? {} },
          idSchema: { $id: 'vault' },
          rawErrors: [],
          required: true,
          formData: undefined,
        } as any)}
      />
    </TestApiProvider>,
  );
  return { onChange, fetch };
}

describe('OnePasswordVaultPicker', () => {
  it('lists the vaults of GET /vaults and picks one as { server, id, name }', async () => {
    const { onChange, fetch } = await renderPicker({
      response: new Response(JSON.stringify(vaults), { status: 200 }),
    });
    expect(fetch).toHaveBeenCalledWith('http://backend/api/onepassword/vaults');

    fireEvent.mouseDown(screen.getByRole('textbox'));
    await waitFor(() =>
      expect(screen.getByText('team-sandbox')).toBeInTheDocument(),
    );
    expect(
      screen.getAllByRole('option').map(option => option.textContent),
    ).toEqual(['legacy-billing', 'payments', 'team-sandbox']);

    fireEvent.click(screen.getByText('team-sandbox'));
    expect(onChange).toHaveBeenCalledWith({
      server: 'main',
      id: 'v2',
      name: 'team-sandbox',
    });
  });

  it('offers only the servers named in ui:options', async () => {
    await renderPicker({
      response: new Response(JSON.stringify(vaults), { status: 200 }),
      uiOptions: { servers: ['legacy'] },
    });
    fireEvent.mouseDown(screen.getByRole('textbox'));
    await waitFor(() =>
      expect(
        screen.getAllByRole('option').map(option => option.textContent),
      ).toEqual(['legacy-billing']),
    );
  });

  it('says why vaults could not be loaded', async () => {
    await renderPicker({
      response: new Response(
        JSON.stringify({ error: { name: 'NotAllowedError', message: 'nope' } }),
        {
          status: 403,
          statusText: 'Forbidden',
          headers: { 'content-type': 'application/json' },
        },
      ),
    });
    await waitFor(() =>
      expect(screen.getByText(/^Could not load vaults:/)).toBeInTheDocument(),
    );
  });
});

describe('onePasswordVaultPickerValidation', () => {
  it('refuses a value without a vault id', () => {
    const addError = jest.fn();
    onePasswordVaultPickerValidation(
      { server: 'main', id: '', name: 'x' },
      { addError } as any,
      {} as any,
    );
    expect(addError).toHaveBeenCalledWith('Pick a vault from the list');
  });
});
