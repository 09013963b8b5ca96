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

/** The parts of Kubernetes objects the plugin reads. Never Secret data. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  ownerReferences?: Array<{ apiVersion: string; kind: string; name: string }>;
  managedFields?: Array<{
    manager?: string;
    operation?: string;
    time?: string;
    fieldsV1?: Record<string, unknown>;
  }>;
}

/** A `meta.k8s.io/v1` Table: printed columns, never the object's spec. */
export interface KubernetesTable {
  kind?: string;
  metadata?: { continue?: string };
  columnDefinitions?: Array<{ name: string }> | null;
  rows?: Array<{ cells: unknown[]; object?: { metadata?: ObjectMeta } }>;
}

/** A Pod as the API server prints it: name, status reason and restarts. */
export interface PodStatusRow {
  name: string;
  namespace: string;
  /** The STATUS column: `Running`, `CrashLoopBackOff`, `Error`, … */
  status: string;
  restarts: number;
  ready: string;
}

/** A kind the refresh could not read, and why; the other kinds still count. */
export interface KindReadProblem {
  kind: string;
  status: number | null;
  message: string;
  /** The namespaces it was forbidden in; absent: everywhere. */
  namespaces?: string[];
}

export interface OnePasswordItemResource {
  metadata: ObjectMeta;
  spec?: { itemPath?: string };
  status?: {
    conditions?: Array<{
      type: string;
      status: string;
      message?: string;
      lastTransitionTime?: string;
    }>;
  };
}

export interface ContainerSpec {
  name?: string;
  image?: string;
  env?: Array<{
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name?: string; key?: string } };
  }>;
  envFrom?: Array<{ secretRef?: { name?: string } }>;
  volumeMounts?: Array<{
    name?: string;
    subPath?: string;
    subPathExpr?: string;
  }>;
}

export interface DeploymentResource {
  metadata: ObjectMeta;
  status?: {
    replicas?: number;
    availableReplicas?: number;
    readyReplicas?: number;
    unavailableReplicas?: number;
    conditions?: Array<{
      type: string;
      status: string;
      reason?: string;
      message?: string;
    }>;
  };
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    template?: {
      metadata?: {
        annotations?: Record<string, string>;
        labels?: Record<string, string>;
      };
      spec?: {
        containers?: ContainerSpec[];
        initContainers?: ContainerSpec[];
        volumes?: Array<{
          name?: string;
          secret?: { secretName?: string };
          projected?: { sources?: Array<{ secret?: { name?: string } }> };
        }>;
      };
    };
  };
}

/** A Service: which pods it selects. */
export interface ServiceResource {
  metadata: ObjectMeta;
  spec?: { selector?: Record<string, string> };
}

export interface NamespaceResource {
  metadata: ObjectMeta;
}

export interface EventResource {
  metadata: ObjectMeta;
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  reason?: string;
  message?: string;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  firstTimestamp?: string | null;
  count?: number;
  series?: { count?: number; lastObservedTime?: string } | null;
}

/** Everything one refresh reads from one cluster. */
export interface ClusterFacts {
  namespaces: NamespaceResource[];
  onePasswordItems: OnePasswordItemResource[];
  /** Metadata only, of Secrets that carry both operator annotations. */
  secrets: ObjectMeta[];
  deployments: DeploymentResource[];
  /** ReconcileError and RateLimited events. */
  events: EventResource[];
  /**
   * Metadata only (name, labels, owners, creation time) of the pods in the
   * namespaces where a Deployment reads a synced Secret.
   */
  workloadPods: ObjectMeta[];
  /** The operator Deployments' pods, by `namespace/deployment`. */
  operatorPods: Map<string, PodStatusRow[]>;
  /**
   * The Services behind the operators' `OP_CONNECT_HOST` (read in their
   * namespaces only), to find an in-cluster Connect.
   */
  services: ServiceResource[];
  /**
   * Metadata only of every Secret in the operators' and their Connect
   * servers' namespaces: the token and credentials Secrets, which carry no
   * operator annotation.
   */
  operatorSecrets: ObjectMeta[];
  /** The in-cluster Connect Deployments' pods as printed rows, by `namespace/deployment`. */
  connectPods: Map<string, PodStatusRow[]>;
  /** Metadata only of the pods of the operators' and Connect's namespaces. */
  operatorNamespacePods: ObjectMeta[];
  /** Kinds that could not be read (403, missing CRD), each with its reason. */
  problems: KindReadProblem[];
}
