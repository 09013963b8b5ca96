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
 * What is wrong with the Connect server an operator talks to in its own
 * cluster, or with the operator's token: the failures platform teams meet
 * most, which no sync status shows by itself. Pure: facts in, problems with
 * hints out.
 */

/** A Secret by name, with when it was last written (ISO 8601; null: unknown). @public */
export interface WrittenSecretFacts {
  namespace: string;
  name: string;
  writtenAt: string | null;
}

/** A pod of the Connect Deployment, as printed and by its metadata. @public */
export interface ConnectPodFacts {
  name: string;
  /** Creation time (ISO 8601): when the pod, and the credentials it read, started. */
  createdAt: string | null;
  /** The printed STATUS (`Running`, `CrashLoopBackOff`, `Error`); null when not read. */
  status: string | null;
  restarts: number | null;
}

/** @public */
export interface ConnectDeploymentInput {
  operator: {
    namespace: string;
    deploymentName: string;
    /** Creation times (ISO 8601) of the operator's pods. */
    podCreatedAt: string[];
    /** The Secret `OP_CONNECT_TOKEN` comes from; null when none is referenced. */
    tokenSecret: WrittenSecretFacts | null;
  };
  /** The in-cluster Connect the operator's `OP_CONNECT_HOST` names; null when it names none. */
  connect: {
    service: { namespace: string; name: string; found: boolean };
    deployment: {
      namespace: string;
      name: string;
      available: boolean | null;
      pods: ConnectPodFacts[];
    } | null;
    credentialsSecret: WrittenSecretFacts | null;
  } | null;
  /** `/health` of the configured Connect server the operator's records are compared with. */
  serverHealth: {
    name: string;
    dependencies: Array<{ service: string; status: string; message?: string }>;
  } | null;
}

/** @public */
export type ConnectProblemKind =
  | 'connect-not-found'
  | 'connect-crash-loop'
  | 'credentials-changed'
  | 'token-changed'
  | 'connect-sync-failing';

/** One thing wrong, with what to do about it. @public */
export interface ConnectProblem {
  kind: ConnectProblemKind;
  message: string;
  hint: string;
}

/** The `/health` dependencies that tell the sync with 1Password. */
const SYNC_DEPENDENCIES = ['sync', '1Password', 'account_data'];

/** Pods restarting this many times count as crash-looping even while `Running`. */
const RESTARTS_RIGHT_AFTER_START = 3;

const CRASH_STATUS = /CrashLoopBackOff|^Error$|^OOMKilled$/;

function earliest(times: Array<string | null>): number | null {
  const parsed = times
    .map(t => (t ? Date.parse(t) : NaN))
    .filter(t => !Number.isNaN(t));
  return parsed.length ? Math.min(...parsed) : null;
}

function writtenAfter(secret: WrittenSecretFacts | null, start: number | null) {
  if (!secret?.writtenAt || start === null) return false;
  const written = Date.parse(secret.writtenAt);
  return !Number.isNaN(written) && written > start;
}

const rollout = (namespace: string, name: string) =>
  `kubectl rollout restart deployment/${name} -n ${namespace}`;

/**
 * The problems of an operator's Connect deployment and token:
 * - Connect pods crash-looping, or restarting right after start: the
 *   credentials file is usually not base64-encoded twice in its Secret;
 * - the credentials Secret written after the Connect pods started: they run
 *   the previous credentials (what a server re-created with the CLI leaves);
 * - the token Secret written after the operator pod started: the operator
 *   reads `OP_CONNECT_TOKEN` at start and still sends the previous token;
 * - `/health` dependencies saying the sync with 1Password fails.
 * @public
 */
export function evaluateConnectDeployment(
  input: ConnectDeploymentInput,
): ConnectProblem[] {
  const problems: ConnectProblem[] = [];
  const { operator, connect } = input;

  if (connect && !connect.service.found) {
    problems.push({
      kind: 'connect-not-found',
      message: `The operator's OP_CONNECT_HOST names Service ${connect.service.namespace}/${connect.service.name}, which does not exist.`,
      hint: `Deploy Connect in the cluster (the connect Helm chart), or point OP_CONNECT_HOST of ${operator.namespace}/${operator.deploymentName} at the Connect server it should use.`,
    });
  }
  const deployment = connect?.deployment;
  if (deployment) {
    const credentials = connect.credentialsSecret;
    const secretName = credentials
      ? `${credentials.namespace}/${credentials.name}`
      : 'the credentials Secret';
    const crashing = deployment.pods.find(
      p =>
        CRASH_STATUS.test(p.status ?? '') ||
        (p.restarts ?? 0) >= RESTARTS_RIGHT_AFTER_START,
    );
    if (crashing) {
      problems.push({
        kind: 'connect-crash-loop',
        message: `Connect pod ${deployment.namespace}/${crashing.name} is ${
          crashing.status ?? 'restarting'
        } after ${
          crashing.restarts ?? 0
        } restarts: Connect exits right after start.`,
        hint: `Connect exits at start when it cannot read its credentials: the 1password-credentials.json file must be base64-encoded twice in ${secretName} (the Helm chart does it; a Secret made with kubectl create secret --from-file does not). Store the base64 of the file as the Secret's value, then ${rollout(
          deployment.namespace,
          deployment.name,
        )}.`,
      });
    }
    const started = earliest(deployment.pods.map(p => p.createdAt));
    if (!crashing && writtenAfter(credentials, started)) {
      problems.push({
        kind: 'credentials-changed',
        message: `${secretName} was written after the Connect pods of ${deployment.namespace}/${deployment.name} started: they run the previous credentials.`,
        hint: `Roll the Connect Deployment so its pods read the new credentials: ${rollout(
          deployment.namespace,
          deployment.name,
        )}. This is what fixes 'Reconciler error' in the operator after a Connect server was deleted and re-created with the CLI.`,
      });
    }
  }
  const operatorStarted = earliest(operator.podCreatedAt);
  if (writtenAfter(operator.tokenSecret, operatorStarted)) {
    const token = operator.tokenSecret!;
    problems.push({
      kind: 'token-changed',
      message: `The operator's token Secret ${token.namespace}/${token.name} was written after the operator pod started: the operator still uses the previous token (it reads its token from the environment, at start).`,
      hint: `Restart the operator: ${rollout(
        operator.namespace,
        operator.deploymentName,
      )}.`,
    });
  }
  const failing = (input.serverHealth?.dependencies ?? []).filter(
    d => SYNC_DEPENDENCIES.includes(d.service) && d.status !== 'ACTIVE',
  );
  if (input.serverHealth && failing.length) {
    problems.push({
      kind: 'connect-sync-failing',
      message: `Connect server '${
        input.serverHealth.name
      }' reports its sync with 1Password failing: ${failing
        .map(
          d => `${d.service} ${d.status}${d.message ? ` (${d.message})` : ''}`,
        )
        .join(', ')}.`,
      hint: `Items may be behind 1Password until the sync recovers: check the connect-sync container's logs and that the Connect server's credentials are current; a server re-created with the CLI needs its pods rolled.`,
    });
  }
  return problems;
}
