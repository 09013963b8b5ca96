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

import { InputError } from '@backstage/errors';
import {
  KUBERNETES_ID_ANNOTATION,
  OperatorAnnotations,
} from '@secret-sync/backstage-plugin-onepassword-common';
import {
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  labelKeyProblem,
  labelValueProblem,
} from './names';
import { StructuralSchema, validateAgainstSchema } from './structuralSchema';

/** What a `OnePasswordItem` manifest is built from. */
interface OnePasswordItemManifestOptions {
  name: string;
  namespace: string;
  itemPath: string;
  /** Value of `backstage.io/kubernetes-id`, linking the Secret to its entity. */
  kubernetesId?: string;
  autoRestart?: boolean;
  /** Kubernetes Secret type; Opaque when absent. */
  secretType?: string;
  labels?: Record<string, string>;
}

/** A `OnePasswordItem` as written to the workspace. */
interface OnePasswordItemManifest {
  apiVersion: 'onepassword.com/v1';
  kind: 'OnePasswordItem';
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  type?: string;
  spec: { itemPath: string };
}

/** The operator splits the path on `/` into exactly these four parts. */
const ITEM_PATH = /^vaults\/[^/]+\/items\/[^/]+$/;

/**
 * Builds the manifest and checks it against the CRD schema and the
 * Kubernetes naming rules, throwing one InputError that lists every problem.
 */
export function buildOnePasswordItemManifest(
  options: OnePasswordItemManifestOptions,
  schema: StructuralSchema,
): OnePasswordItemManifest {
  const labels: Record<string, string> = { ...options.labels };
  if (options.kubernetesId !== undefined) {
    labels[KUBERNETES_ID_ANNOTATION] = options.kubernetesId;
  }
  const annotations: Record<string, string> = {};
  if (options.autoRestart !== undefined) {
    annotations[OperatorAnnotations.autoRestart] = String(options.autoRestart);
  }
  const manifest: OnePasswordItemManifest = {
    apiVersion: 'onepassword.com/v1',
    kind: 'OnePasswordItem',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      ...(Object.keys(labels).length ? { labels } : {}),
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    ...(options.secretType ? { type: options.secretType } : {}),
    spec: { itemPath: options.itemPath },
  };

  const problems = [
    ...namingProblems(manifest),
    ...validateAgainstSchema(manifest, schema),
  ];
  if (problems.length) {
    throw new InputError(
      `Invalid OnePasswordItem manifest: ${problems.join('; ')}`,
    );
  }
  return manifest;
}

function namingProblems(manifest: OnePasswordItemManifest): string[] {
  const problems: string[] = [];
  const { name, namespace, labels = {} } = manifest.metadata;
  const nameProblem = dns1123SubdomainProblem(name);
  if (nameProblem) problems.push(`name '${name}' ${nameProblem}`);
  const namespaceProblem = dns1123LabelProblem(namespace);
  if (namespaceProblem) {
    problems.push(`namespace '${namespace}' ${namespaceProblem}`);
  }
  for (const [key, value] of Object.entries(labels)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) problems.push(`label key '${key}' ${keyProblem}`);
    const valueProblem = labelValueProblem(value);
    if (valueProblem)
      problems.push(`label '${key}' value '${value}' ${valueProblem}`);
  }
  if (!ITEM_PATH.test(manifest.spec.itemPath)) {
    problems.push(
      `itemPath '${manifest.spec.itemPath}' must have the form vaults/<vault id or title>/items/<item id or title>`,
    );
  }
  return problems;
}
