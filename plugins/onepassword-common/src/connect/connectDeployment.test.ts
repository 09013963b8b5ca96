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

import {
  ConnectDeploymentInput,
  ConnectPodFacts,
  evaluateConnectDeployment,
} from './connectDeployment';

const STARTED = '2026-12-01T10:00:00Z';
const BEFORE = '2026-12-01T09:00:00Z';
const AFTER = '2026-12-01T11:00:00Z';

function input(
  overrides: {
    tokenWrittenAt?: string;
    credentialsWrittenAt?: string;
    pod?: Partial<ConnectPodFacts>;
    serviceFound?: boolean;
    dependencies?: Array<{ service: string; status: string; message?: string }>;
  } = {},
): ConnectDeploymentInput {
  return {
    operator: {
      namespace: 'onepassword',
      deploymentName: 'onepassword-connect-operator',
      podCreatedAt: [STARTED],
      tokenSecret: {
        namespace: 'onepassword',
        name: 'onepassword-token',
        writtenAt: overrides.tokenWrittenAt ?? BEFORE,
      },
    },
    connect: {
      service: {
        namespace: 'onepassword',
        name: 'onepassword-connect',
        found: overrides.serviceFound ?? true,
      },
      deployment: {
        namespace: 'onepassword',
        name: 'onepassword-connect',
        available: true,
        pods: [
          {
            name: 'onepassword-connect-abc',
            createdAt: STARTED,
            status: null,
            restarts: null,
            ...overrides.pod,
          },
        ],
      },
      credentialsSecret: {
        namespace: 'onepassword',
        name: 'op-credentials',
        writtenAt: overrides.credentialsWrittenAt ?? BEFORE,
      },
    },
    serverHealth: {
      name: 'main',
      dependencies: overrides.dependencies ?? [
        { service: 'sqlite', status: 'ACTIVE' },
        { service: 'sync', status: 'ACTIVE' },
      ],
    },
  };
}

const kinds = (i: ConnectDeploymentInput) =>
  evaluateConnectDeployment(i).map(p => p.kind);

describe('evaluateConnectDeployment', () => {
  it('finds nothing wrong when every Secret predates the pods and the sync is active', () => {
    expect(evaluateConnectDeployment(input())).toEqual([]);
  });

  it('says a crash-looping Connect needs its credentials encoded twice', () => {
    const [problem] = evaluateConnectDeployment(
      input({ pod: { status: 'CrashLoopBackOff', restarts: 6 } }),
    );
    expect(problem.kind).toBe('connect-crash-loop');
    expect(problem.message).toContain('CrashLoopBackOff after 6 restarts');
    expect(problem.hint).toContain(
      'must be base64-encoded twice in onepassword/op-credentials',
    );
  });

  it('counts pods that restart right after start as crash-looping while Running', () => {
    expect(kinds(input({ pod: { status: 'Running', restarts: 4 } }))).toEqual([
      'connect-crash-loop',
    ]);
    expect(kinds(input({ pod: { status: 'Running', restarts: 1 } }))).toEqual(
      [],
    );
  });

  it('says to roll Connect when its credentials Secret was written after its pods started', () => {
    const [problem] = evaluateConnectDeployment(
      input({ credentialsWrittenAt: AFTER }),
    );
    expect(problem.kind).toBe('credentials-changed');
    expect(problem.hint).toMatch(
      /kubectl rollout restart deployment\/onepassword-connect -n onepassword.*Reconciler error.*re-created with the CLI/,
    );
  });

  it('says to restart the operator when its token Secret was written after it started', () => {
    const [problem] = evaluateConnectDeployment(
      input({ tokenWrittenAt: AFTER }),
    );
    expect(problem.kind).toBe('token-changed');
    expect(problem.hint).toContain(
      'kubectl rollout restart deployment/onepassword-connect-operator -n onepassword',
    );
  });

  it('says when /health reports the sync with 1Password failing', () => {
    const [problem] = evaluateConnectDeployment(
      input({
        dependencies: [
          { service: 'sqlite', status: 'ACTIVE' },
          { service: 'sync', status: 'NOT_SYNCED', message: 'behind' },
          { service: '1Password', status: 'UNINITIALIZED' },
        ],
      }),
    );
    expect(problem.kind).toBe('connect-sync-failing');
    expect(problem.message).toContain(
      'sync NOT_SYNCED (behind), 1Password UNINITIALIZED',
    );
  });

  it('says when the Service OP_CONNECT_HOST names does not exist', () => {
    expect(kinds(input({ serviceFound: false }))).toEqual([
      'connect-not-found',
    ]);
  });

  it('says nothing of unknown write times', () => {
    const unknown = input();
    unknown.operator.tokenSecret!.writtenAt = null;
    unknown.operator.podCreatedAt = [];
    expect(evaluateConnectDeployment(unknown)).toEqual([]);
  });
});
