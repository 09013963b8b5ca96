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

import { ConnectRequestError } from './ConnectRequestError';

describe('ConnectRequestError.from', () => {
  it('keeps the status and message of an HTTP error body', () => {
    const error = ConnectRequestError.from({
      status: 401,
      message: 'Invalid token signature',
    });
    expect(error.message).toBe('status 401: Invalid token signature');
    expect(error.status).toBe(401);
    expect(error.upstreamMessage).toBe('Invalid token signature');
  });

  it('keeps only the code and message of a transport failure', () => {
    const axiosError = Object.assign(new Error('connect ECONNREFUSED'), {
      isAxiosError: true,
      code: 'ECONNREFUSED',
      config: { headers: { authorization: 'Bearer tok-CANARY-secret' } },
    });
    const error = ConnectRequestError.from(axiosError);
    expect(error.message).toBe('ECONNREFUSED: connect ECONNREFUSED');
    expect(error.status).toBeUndefined();
    expect(error.code).toBe('ECONNREFUSED');
    expect(JSON.stringify(error)).not.toContain('CANARY');
    expect((error as { cause?: unknown }).cause).toBeUndefined();
  });

  it('takes the status of an answer without a body from the response', () => {
    const error = ConnectRequestError.from({
      message: 'Request failed with status code 502',
      response: { status: 502 },
    });
    expect(error.status).toBe(502);
  });

  it('bounds a text body', () => {
    const error = ConnectRequestError.from('x'.repeat(500));
    expect(error.message).toBe(`unexpected answer: ${'x'.repeat(200)}`);
    expect(error.status).toBeUndefined();
  });

  it('returns a ConnectRequestError as it is', () => {
    const error = new ConnectRequestError('status 404: gone', 404);
    expect(ConnectRequestError.from(error)).toBe(error);
  });
});
