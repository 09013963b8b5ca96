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
 * Discovery documents (`/api`, `/apis`, `/api/v1`, `/apis/<group>/<version>`,
 * `/version`) in the legacy (unaggregated) format, which kubectl and
 * `@kubernetes/client-node` fall back to when the server does not answer
 * with aggregated discovery.
 */

import { RESOURCE_TYPES, ResourceType } from '../resourceTypes';

/** The Kubernetes version the sandbox claims to be. */
export const KUBERNETES_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
};

const READ_VERBS = ['get', 'list', 'watch'];
const WRITE_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

export function versionInfo() {
  return {
    ...KUBERNETES_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.8',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function coreVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupVersions(): Map<string, string> {
  const groups = new Map<string, string>();
  for (const type of RESOURCE_TYPES) {
    if (type.group && !groups.has(type.group))
      groups.set(type.group, type.version);
  }
  return groups;
}

export function apiGroupList() {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groupVersions()].map(([name, version]) => {
      const groupVersion = { groupVersion: `${name}/${version}`, version };
      return { name, versions: [groupVersion], preferredVersion: groupVersion };
    }),
  };
}

/** `/apis/<group>` */
export function apiGroup(group: string) {
  const version = groupVersions().get(group);
  if (!version) return undefined;
  const groupVersion = { groupVersion: `${group}/${version}`, version };
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: group,
    versions: [groupVersion],
    preferredVersion: groupVersion,
  };
}

function apiResource(type: ResourceType) {
  return {
    name: type.plural,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: type.writable ? WRITE_VERBS : READ_VERBS,
    ...(type.shortNames ? { shortNames: type.shortNames } : {}),
    ...(type.group === 'onepassword.com' ? { categories: [] } : {}),
  };
}

/** `/api/v1` or `/apis/<group>/<version>`, or undefined when nothing is served there. */
export function apiResourceList(group: string, version: string) {
  const types = RESOURCE_TYPES.filter(
    type => type.group === group && type.version === version,
  );
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: types.flatMap(type => [
      apiResource(type),
      ...(type.statusSubresource
        ? [
            {
              name: `${type.plural}/status`,
              singularName: '',
              namespaced: type.namespaced,
              kind: type.kind,
              verbs: ['get', 'patch', 'update'],
            },
          ]
        : []),
    ]),
  };
}
