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

import { toConnectError } from './connectErrors';

const context = {
  server: 'main',
  operation: "look up vault 'payments'",
  redact: ['tok-CANARY-secret'],
};

describe('toConnectError', () => {
  it('maps 401 to a bad-token message', () => {
    const error = toConnectError(
      { status: 401, message: 'Invalid token signature' },
      context,
    );
    expect(error.name).toBe('AuthenticationError');
    expect(error.message).toBe(
      "Could not look up vault 'payments' on 1Password Connect server 'main': the server rejected Backstage's token (401 Invalid token signature). Check the token configured in onepassword.connect.servers for 'main'.",
    );
  });

  it('treats a 403 about an invalid bearer token as a bad token', () => {
    const error = toConnectError(
      { status: 403, message: 'Authorization: (Invalid bearer token)' },
      context,
    );
    expect(error.name).toBe('AuthenticationError');
  });

  it('maps 403 to a missing vault grant', () => {
    const error = toConnectError(
      {
        status: 403,
        message: 'Authorization: token does not have access to vault',
      },
      context,
    );
    expect(error.name).toBe('NotAllowedError');
    expect(error.message).toContain(
      "Backstage's token was not granted this vault (403",
    );
  });

  it.each([
    [500, 'ServiceUnavailableError'],
    [503, 'ServiceUnavailableError'],
    [404, 'NotFoundError'],
    [400, 'InputError'],
  ])('maps %s to %s', (status, name) => {
    expect(toConnectError({ status, message: 'x' }, context).name).toBe(name);
  });

  it('maps transport failures from axios to an unreachable server', () => {
    const axiosError = Object.assign(
      new Error('connect ECONNREFUSED 127.0.0.1:1'),
      {
        isAxiosError: true,
        code: 'ECONNREFUSED',
        config: { headers: { authorization: 'Bearer tok-CANARY-secret' } },
      },
    );
    const error = toConnectError(axiosError, context);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toContain(
      'could not be reached (ECONNREFUSED connect ECONNREFUSED 127.0.0.1:1)',
    );
    expect((error as { cause?: unknown }).cause).toBeUndefined();
  });

  it('redacts the token from upstream messages', () => {
    const error = toConnectError(
      { status: 500, message: 'bad header Bearer tok-CANARY-secret' },
      context,
    );
    expect(error.message).not.toContain('CANARY');
    expect(error.message).toContain('[REDACTED]');
  });
});
