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

import { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import {
  badRequest,
  KubernetesApiError,
  unsupportedMediaType,
} from './apiErrors';

/** The API server's default request body limit. */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new KubernetesApiError(
        413,
        'RequestEntityTooLarge',
        'request is too large',
      );
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readYaml(request: IncomingMessage): Promise<any> {
  const text = await readBody(request);
  try {
    return parseYaml(text);
  } catch {
    throw badRequest(
      'error decoding YAML: the applied configuration is not valid YAML',
    );
  }
}

/** Media types a create or update body may have here (not protobuf or CBOR). */
const OBJECT_BODY_TYPES = ['application/json', 'application/yaml'];

/**
 * The body of a create or update. The real server also takes protobuf (what
 * client-go and kubectl send for built-in kinds) and CBOR; the sandbox does
 * not decode them and answers 415 naming the type, as the real server does
 * for a type it does not accept.
 */
export async function readObjectBody(request: IncomingMessage): Promise<any> {
  const contentType = (request.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (contentType === 'application/yaml') return readYaml(request);
  if (contentType === '' || contentType === 'application/json') {
    return readJson(request);
  }
  await readBody(request);
  throw unsupportedMediaType(contentType, OBJECT_BODY_TYPES);
}

export async function readJson(request: IncomingMessage): Promise<any> {
  const text = await readBody(request);
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest(
      `the body of the request was in an unknown format - it is not valid JSON`,
    );
  }
}
