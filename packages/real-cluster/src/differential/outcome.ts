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

import { createHash } from 'node:crypto';
import { KubeHttp } from '../KubeHttp';

/**
 * What the operator leaves in a cluster, reduced to what can be compared
 * between two clusters: no uids, resource versions or times, and Secret data
 * only as key names and a digest (never a value in a test failure).
 */
export interface OperatorOutcome {
  secrets: Record<string, unknown>;
  onePasswordItems: Record<string, unknown>;
  deployments: Record<string, unknown>;
  events: Record<string, unknown>;
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/** Time-valued annotations are compared by format, not value. */
function normaliseAnnotations(annotations: Record<string, string> = {}) {
  return Object.fromEntries(
    Object.entries(annotations)
      .filter(
        ([key]) => key !== 'kubectl.kubernetes.io/last-applied-configuration',
      )
      .map(([key, value]) =>
        key === 'operator.1password.io/last-restarted'
          ? [
              key,
              RFC3339.test(value)
                ? '<RFC 3339 time>'
                : `<not RFC 3339: ${value}>`,
            ]
          : [key, value],
      ),
  );
}

export async function readOperatorOutcome(
  api: KubeHttp,
  namespaces: string[],
): Promise<OperatorOutcome> {
  const outcome: OperatorOutcome = {
    secrets: {},
    onePasswordItems: {},
    deployments: {},
    events: {},
  };
  for (const namespace of namespaces) {
    const list = async (path: string) =>
      (await api.expectOk({ path })).items as any[];
    for (const secret of await list(
      `/api/v1/namespaces/${namespace}/secrets`,
    )) {
      const data: Record<string, string> = secret.data ?? {};
      outcome.secrets[`${namespace}/${secret.metadata.name}`] = {
        type: secret.type,
        dataKeys: Object.keys(data).sort(),
        dataDigest: createHash('sha256')
          .update(JSON.stringify(Object.entries(data).sort()))
          .digest('hex')
          .slice(0, 16),
        annotations: normaliseAnnotations(secret.metadata.annotations),
        labels: secret.metadata.labels ?? {},
        ownerReferences: (secret.metadata.ownerReferences ?? []).map(
          ({ uid: _uid, ...owner }: any) => owner,
        ),
        finalizers: secret.metadata.finalizers ?? [],
      };
    }
    for (const item of await list(
      `/apis/onepassword.com/v1/namespaces/${namespace}/onepassworditems`,
    )) {
      outcome.onePasswordItems[`${namespace}/${item.metadata.name}`] = {
        conditions: (item.status?.conditions ?? []).map((condition: any) => ({
          type: condition.type,
          status: condition.status,
          message: condition.message ?? '',
          lastTransitionTime: condition.lastTransitionTime
            ? '<set>'
            : '<unset>',
        })),
        finalizers: item.metadata.finalizers ?? [],
      };
    }
    for (const deployment of await list(
      `/apis/apps/v1/namespaces/${namespace}/deployments`,
    )) {
      outcome.deployments[`${namespace}/${deployment.metadata.name}`] = {
        templateAnnotations: normaliseAnnotations(
          deployment.spec.template.metadata?.annotations,
        ),
        finalizers: deployment.metadata.finalizers ?? [],
      };
    }
    for (const event of await list(`/api/v1/namespaces/${namespace}/events`)) {
      // One Event object per distinct message: the recorder merges repeats.
      const key = `${namespace}/${event.involvedObject.kind}/${event.involvedObject.name}/${event.reason}: ${event.message}`;
      outcome.events[key] = {
        type: event.type,
        source: event.source?.component ?? '',
        repeated: (event.count ?? event.series?.count ?? 1) > 1,
      };
    }
  }
  return outcome;
}

/** Every leaf path where two outcomes differ, with both values. */
export function outcomeDifferences(
  real: OperatorOutcome,
  simulated: OperatorOutcome,
): Array<{ path: string; real: unknown; simulated: unknown }> {
  const differences: Array<{
    path: string;
    real: unknown;
    simulated: unknown;
  }> = [];
  const walk = (path: string, a: unknown, b: unknown) => {
    const isObject = (value: unknown) =>
      typeof value === 'object' && value !== null && !Array.isArray(value);
    if (isObject(a) && isObject(b)) {
      const keys = new Set([
        ...Object.keys(a as object),
        ...Object.keys(b as object),
      ]);
      for (const key of [...keys].sort()) {
        walk(
          `${path}[${JSON.stringify(key)}]`,
          (a as any)[key],
          (b as any)[key],
        );
      }
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      differences.push({ path, real: a, simulated: b });
    }
  };
  walk('', real, simulated);
  return differences;
}
