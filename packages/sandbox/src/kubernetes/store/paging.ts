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

import { badRequest } from '../apiErrors';
import { KubeObject } from '../types';
import { keyOf } from './objects';

/** The `continue` token of a page that ends with `last`. */
export function continueToken(last: KubeObject): string {
  return Buffer.from(
    JSON.stringify({
      start: keyOf(last.metadata.namespace, last.metadata.name!),
    }),
  ).toString('base64');
}

/** The key a `continue` token resumes after, or the API server's 400. */
export function decodeContinue(token: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (typeof decoded.start === 'string') return decoded.start;
  } catch {
    // fall through to the error the API server gives
  }
  throw badRequest(
    'continue key is not valid: illegal base64 data at input byte 0',
  );
}
