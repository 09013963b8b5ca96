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

/**
 * OpenAPI v3 (`/openapi/v3`, `/openapi/v3/<group version>`), which kubectl
 * reads before it writes; no other client of the sandbox asks for it.
 */

import { RESOURCE_TYPES, ResourceType } from '../resourceTypes';
import { KUBERNETES_VERSION } from './discovery';

/** `groupVersion` path key of OpenAPI v3 discovery: `api/v1`, `apis/apps/v1`. */
function openApiKey(type: ResourceType): string {
  return type.group
    ? `apis/${type.group}/${type.version}`
    : `api/${type.version}`;
}

/**
 * `/openapi/v3`: the index kubectl reads to learn, per group version, whether
 * the server validates fields itself (`fieldValidation`), so that it does not
 * need schemas to validate on the client.
 */
export function openApiV3Index() {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const type of RESOURCE_TYPES) {
    const key = openApiKey(type);
    paths[key] = {
      serverRelativeURL: `/openapi/v3/${key}?hash=${KUBERNETES_VERSION.gitVersion}`,
    };
  }
  return { paths };
}

/**
 * `/openapi/v3/<group version>`: a minimal document with, per kind, the
 * object path's operations carrying `x-kubernetes-group-version-kind` and the
 * `fieldValidation` parameter. No schemas: the server validates.
 */
export function openApiV3Document(groupVersionPath: string) {
  const types = RESOURCE_TYPES.filter(
    type => openApiKey(type) === groupVersionPath,
  );
  if (types.length === 0) return undefined;
  const parameters = [
    {
      name: 'fieldValidation',
      in: 'query',
      schema: { type: 'string', uniqueItems: true },
    },
    {
      name: 'fieldManager',
      in: 'query',
      schema: { type: 'string', uniqueItems: true },
    },
    {
      name: 'dryRun',
      in: 'query',
      schema: { type: 'string', uniqueItems: true },
    },
  ];
  const paths: Record<string, unknown> = {};
  for (const type of types) {
    const gvk = { group: type.group, version: type.version, kind: type.kind };
    const operation = (verb: string) => ({
      operationId: `${verb}${type.kind}`,
      parameters,
      responses: { '200': { description: 'OK' } },
      'x-kubernetes-action': verb,
      'x-kubernetes-group-version-kind': gvk,
    });
    const base = `/${groupVersionPath}${
      type.namespaced ? '/namespaces/{namespace}' : ''
    }/${type.plural}`;
    paths[base] = type.writable ? { post: operation('post') } : {};
    paths[`${base}/{name}`] = type.writable
      ? { put: operation('put'), patch: operation('patch') }
      : {};
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: KUBERNETES_VERSION.gitVersion },
    paths,
    components: { schemas: {} },
  };
}
