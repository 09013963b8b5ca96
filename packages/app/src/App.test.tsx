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

import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import App from './App';
import { DEMO_PROVIDER_STORAGE_KEY } from './modules/signIn/DemoSignInPage';

function fakeToken(sub: string) {
  const part = (value: object) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const exp = Math.floor(Date.now() / 1000) + 3600;
  return `${part({ alg: 'none' })}.${part({ sub, ent: [sub], exp })}.x`;
}

function session(userEntityRef: string) {
  return {
    providerInfo: {},
    profile: { displayName: 'Payments developer' },
    backstageIdentity: {
      token: fakeToken(userEntityRef),
      identity: {
        type: 'user',
        userEntityRef,
        ownershipEntityRefs: [userEntityRef, 'group:default/team-payments'],
      },
    },
  };
}

// The whole app loads in jsdom: slow on two shared cores.
jest.setTimeout(60_000);

describe('App', () => {
  const fetchMock = jest.fn();

  beforeEach(() => {
    localStorage.clear();
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };
    fetchMock.mockImplementation(async (url: string) =>
      String(url).endsWith('/api/auth/payments-developer/refresh')
        ? {
            ok: true,
            status: 200,
            json: async () => session('user:default/payments-developer'),
          }
        : {
            ok: false,
            status: 404,
            statusText: 'Not Found',
            headers: new Headers(),
            text: async () => '',
            json: async () => ({}),
          },
    );
    global.fetch = fetchMock as any;
  });

  it('offers the two demo users, and signs in as the one chosen', async () => {
    render(App.createRoot());

    expect(
      await screen.findByRole('button', { name: 'Enter' }, { timeout: 30_000 }),
    ).toBeInTheDocument();
    expect(screen.getByText('Platform owner')).toBeInTheDocument();
    expect(screen.getByText('Payments developer')).toBeInTheDocument();

    fireEvent.click(
      screen.getByRole('button', { name: 'Sign in as a payments developer' }),
    );

    await waitFor(() =>
      expect(localStorage.getItem(DEMO_PROVIDER_STORAGE_KEY)).toBe(
        'payments-developer',
      ),
    );
    expect(fetchMock).toHaveBeenCalledWith(
      'http://localhost:7007/api/auth/payments-developer/refresh',
      expect.objectContaining({ credentials: 'include' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('button', {
          name: 'Sign in as a payments developer',
        }),
      ).not.toBeInTheDocument(),
    );
  });
});
