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
 * Errors of the fake API server, shaped as the Kubernetes API server shapes
 * its `Status` objects (see k8s.io/apimachinery `pkg/api/errors`).
 */

import { ResourceType, qualifiedResource } from './resourceTypes';

/** One entry of `Status.details.causes`. */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

/** The `Status` object the API server answers errors with. */
interface KubernetesStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  code: number;
}

/** A failed API call; `status` is what the server sends back. */
export class KubernetesApiError extends Error {
  readonly status: KubernetesStatus;

  constructor(
    code: number,
    reason: string,
    message: string,
    details?: KubernetesStatus['details'],
  ) {
    super(message);
    this.name = 'KubernetesApiError';
    this.status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    };
  }

  get code(): number {
    return this.status.code;
  }
}

function resourceDetails(type: ResourceType, name?: string) {
  return {
    ...(name !== undefined ? { name } : {}),
    ...(type.group ? { group: type.group } : {}),
    kind: type.plural,
  };
}

export function unauthorized(): KubernetesApiError {
  return new KubernetesApiError(401, 'Unauthorized', 'Unauthorized');
}

export function forbidden(
  user: string,
  verb: string,
  type: ResourceType,
  namespace: string | undefined,
  name?: string,
): KubernetesApiError {
  const target = name
    ? `${qualifiedResource(type)} "${name}"`
    : qualifiedResource(type);
  const scope = namespace
    ? ` in the namespace "${namespace}"`
    : ' at the cluster scope';
  return new KubernetesApiError(
    403,
    'Forbidden',
    `${target} is forbidden: User "${user}" cannot ${verb} resource "${type.plural}" in API group "${type.group}"${scope}`,
    resourceDetails(type, name),
  );
}

export function notFound(type: ResourceType, name: string): KubernetesApiError {
  return new KubernetesApiError(
    404,
    'NotFound',
    `${qualifiedResource(type)} "${name}" not found`,
    resourceDetails(type, name),
  );
}

/** 404 for a path that names no resource at all. */
export function pathNotFound(): KubernetesApiError {
  return new KubernetesApiError(
    404,
    'NotFound',
    'the server could not find the requested resource',
    {},
  );
}

export function alreadyExists(
  type: ResourceType,
  name: string,
): KubernetesApiError {
  return new KubernetesApiError(
    409,
    'AlreadyExists',
    `${qualifiedResource(type)} "${name}" already exists`,
    resourceDetails(type, name),
  );
}

export function conflict(type: ResourceType, name: string): KubernetesApiError {
  return new KubernetesApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(
      type,
    )} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    resourceDetails(type, name),
  );
}

/** 422 Invalid, listing every field problem as the API server does. */
export function invalid(
  type: ResourceType,
  name: string,
  causes: StatusCause[],
): KubernetesApiError {
  const kind = type.group ? `${type.kind}.${type.group}` : type.kind;
  const summary =
    causes.length === 1
      ? causes[0].message
      : `[${causes.map(cause => cause.message).join(', ')}]`;
  return new KubernetesApiError(
    422,
    'Invalid',
    `${kind} "${name}" is invalid: ${summary}`,
    {
      name,
      ...(type.group ? { group: type.group } : {}),
      kind: type.kind,
      causes,
    },
  );
}

export function badRequest(message: string): KubernetesApiError {
  return new KubernetesApiError(400, 'BadRequest', message);
}

export function methodNotAllowed(): KubernetesApiError {
  return new KubernetesApiError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
  );
}

export function unsupportedMediaType(
  contentType: string,
  accepted: string[],
): KubernetesApiError {
  return new KubernetesApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(
      ', ',
    )}`,
    { causes: [{ reason: 'UnexpectedServerResponse', message: contentType }] },
  );
}

export function gone(message: string): KubernetesApiError {
  return new KubernetesApiError(410, 'Expired', message);
}
