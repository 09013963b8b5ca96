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

import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { OnePasswordClient, toAuditSearchParams } from './OnePasswordClient';

function fakeResponse(status: number, body: unknown): Response {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    ok: status < 400,
    status,
    statusText: status === 403 ? 'Forbidden' : 'OK',
    headers: { get: () => 'application/json' },
    text: async () => text,
    json: async () => JSON.parse(text),
    blob: async () => ({ text } as unknown as Blob),
  } as unknown as Response;
}

describe('OnePasswordClient', () => {
  const discoveryApi: DiscoveryApi = {
    getBaseUrl: async pluginId => `http://backend/api/${pluginId}`,
  };
  let fetch: jest.Mock;
  let sut: OnePasswordClient;

  beforeEach(() => {
    fetch = jest.fn();
    const fetchApi: FetchApi = { fetch };
    sut = new OnePasswordClient({ discoveryApi, fetchApi });
  });

  it('reads the secrets of an entity by its ref', async () => {
    fetch.mockResolvedValue(fakeResponse(200, { items: [] }));
    await expect(
      sut.getEntitySecrets({
        kind: 'Component',
        namespace: 'default',
        name: 'payments-api',
      }),
    ).resolves.toEqual({ items: [] });
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/onepassword/entities/default/component/payments-api/secrets',
      undefined,
    );
  });

  it('sends audit filters as repeated parameters', async () => {
    fetch.mockResolvedValue(fakeResponse(200, { items: [] }));
    await sut.getAudit({
      status: ['stale', 'error'],
      cluster: ['dev-eu'],
      q: 'payments db',
      orphans: true,
      sort: '-syncedAt',
      cursor: 'abc',
      limit: 50,
    });
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/onepassword/audit?status=stale&status=error&cluster=dev-eu&q=payments+db&orphans=true&sort=-syncedAt&cursor=abc&limit=50',
      undefined,
    );
  });

  it('exports CSV with the filters but without paging', async () => {
    fetch.mockResolvedValue(fakeResponse(200, 'status,cluster\n'));
    await sut.exportAuditCsv({
      owner: ['group:default/team-a'],
      cursor: 'x',
      limit: 10,
    });
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/onepassword/audit?owner=group%3Adefault%2Fteam-a&format=csv',
      undefined,
    );
  });

  it('asks for a refresh with a POST', async () => {
    fetch.mockResolvedValue(
      fakeResponse(202, { triggered: true, lastRefreshAt: null }),
    );
    await expect(sut.refresh()).resolves.toEqual({
      triggered: true,
      lastRefreshAt: null,
    });
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/onepassword/refresh',
      {
        method: 'POST',
      },
    );
  });

  it('throws a ResponseError carrying the status code', async () => {
    fetch.mockResolvedValue(
      fakeResponse(403, {
        error: { name: 'NotAllowedError', message: 'Unauthorized' },
        request: { method: 'GET', url: '/audit' },
        response: { statusCode: 403 },
      }),
    );
    const error = await sut.getAudit({}).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.cause.name).toBe('NotAllowedError');
  });
});

describe('toAuditSearchParams', () => {
  it('leaves out what is not set', () => {
    expect(String(toAuditSearchParams({}))).toBe('');
    expect(String(toAuditSearchParams({ orphans: false }))).toBe(
      'orphans=false',
    );
  });
});
