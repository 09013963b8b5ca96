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

import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import express from 'express';
import request from 'supertest';
import { safeErrorHandler } from './safeErrorBodies';

describe('safe error bodies for every plugin', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  const logger = mockServices.logger.mock();
  function app(handler: 'backstage' | 'safe') {
    const middleware = MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger,
    });
    return express()
      .get('/api/other/input', () => {
        throw new InputError('Bad filter');
      })
      .get('/api/other/crash', () => {
        throw new Error('ENOENT: /srv/app/secret-config.yaml');
      })
      .use(
        handler === 'safe'
          ? safeErrorHandler(middleware.error.bind(middleware), logger)
          : middleware.error(),
      );
  }

  it.each(['development', 'production'])(
    'answers without a stack or the query string (NODE_ENV=%s)',
    async env => {
      process.env.NODE_ENV = env;
      const response = await request(app('safe')).get(
        '/api/other/input?token=typed-by-the-user',
      );
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: { name: 'InputError', message: 'Bad filter' },
        request: { method: 'GET', url: '/api/other/input' },
        response: { statusCode: 400 },
      });
      expect(JSON.stringify(response.body)).not.toContain('typed-by-the-user');
    },
  );

  it('is needed: Backstage alone echoes the query, and the stack in development', async () => {
    process.env.NODE_ENV = 'development';
    const response = await request(app('backstage')).get(
      '/api/other/input?token=typed-by-the-user',
    );
    expect(response.body.request.url).toBe(
      '/api/other/input?token=typed-by-the-user',
    );
    expect(response.body.error.stack).toContain('safeErrorBodies.test.ts');
  });

  it('answers an unexpected error with a log id, never its message, and logs it', async () => {
    process.env.NODE_ENV = 'development';
    const response = await request(app('safe')).get('/api/other/crash?x=1');
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      error: {
        name: 'Error',
        message: expect.stringMatching(
          /^An internal error occurred logId=[0-9a-f]{20}$/,
        ),
      },
      request: { method: 'GET', url: '/api/other/crash' },
      response: { statusCode: 500 },
    });
    const logId = response.body.error.message.split('logId=')[1];
    expect(logger.error).toHaveBeenCalledWith(
      `Request failed logId=${logId}`,
      expect.objectContaining({
        message: 'ENOENT: /srv/app/secret-config.yaml',
      }),
    );
  });
});
