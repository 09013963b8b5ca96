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

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
// The sandbox's CA code signs the real server's certificate too, so one CA
// (and one `caData`) can serve both kinds of cluster.
import {
  CertificateAuthority,
  collectionPath,
  createCa,
  issueServerCertificate,
} from '@internal/sandbox';
import { RealBinaries, requireRealBinaries } from './binaries';
import { KubeHttp, waitFor } from './KubeHttp';
import { freePort, ManagedProcess } from './ManagedProcess';

/** A static-token user of the real API server. */
export interface RealClusterUser {
  token: string;
  name: string;
  groups?: string[];
}

export interface RealClusterOptions {
  name: string;
  /** A directory of its own for etcd's data, certificates and logs; removed on stop. */
  workDir: string;
  /** Signs the serving certificate; default a new CA. */
  ca?: CertificateAuthority;
  /** The admin token (group `system:masters`); default a random one. */
  adminToken?: string;
  /** More static-token users; RBAC decides what they may do. */
  users?: RealClusterUser[];
  /** Install the operator's OnePasswordItem CRD; default true. */
  installCrd?: boolean;
  binaries?: RealBinaries;
  /** Where the API server listens; default a free port. */
  port?: number;
}

/**
 * A real Kubernetes API server (kube-apiserver and etcd, as envtest runs
 * them) on 127.0.0.1: static-token and service-account authentication, RBAC
 * authorization, the operator's own CRD. There is no controller-manager, no
 * scheduler and no kubelet: nothing runs pods, fills Deployment status,
 * collects garbage or finalizes namespaces.
 */
export class RealCluster {
  readonly api: KubeHttp;

  private constructor(
    readonly name: string,
    readonly url: string,
    readonly ca: CertificateAuthority,
    readonly adminToken: string,
    readonly binaries: RealBinaries,
    private readonly workDir: string,
    private readonly etcd: ManagedProcess,
    readonly apiserver: ManagedProcess,
  ) {
    this.api = new KubeHttp(url, ca.certPem, adminToken);
  }

  /** Base64 of the CA's PEM, as kubeconfig's `certificate-authority-data`. */
  get caData(): string {
    return Buffer.from(this.ca.certPem).toString('base64');
  }

  static async start(options: RealClusterOptions): Promise<RealCluster> {
    const binaries = options.binaries ?? requireRealBinaries();
    const dir = options.workDir;
    mkdirSync(dir, { recursive: true });
    const ca = options.ca ?? createCa();
    const adminToken =
      options.adminToken ?? `admin-${randomBytes(16).toString('hex')}`;

    const serving = issueServerCertificate(ca, `real-${options.name}`);
    writeFileSync(join(dir, 'apiserver.crt'), serving.certPem);
    writeFileSync(join(dir, 'apiserver.key'), serving.keyPem, { mode: 0o600 });
    const serviceAccountKey = generateKeyPairSync('rsa', {
      modulusLength: 2048,
    });
    writeFileSync(
      join(dir, 'sa.key'),
      serviceAccountKey.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      { mode: 0o600 },
    );
    writeFileSync(
      join(dir, 'sa.pub'),
      serviceAccountKey.publicKey.export({ type: 'spki', format: 'pem' }),
    );
    const users: RealClusterUser[] = [
      { token: adminToken, name: 'admin', groups: ['system:masters'] },
      ...(options.users ?? []),
    ];
    writeFileSync(
      join(dir, 'tokens.csv'),
      users
        .map(
          user =>
            `${user.token},${user.name},${user.name}${
              user.groups?.length ? `,"${user.groups.join(',')}"` : ''
            }`,
        )
        .join('\n'),
      { mode: 0o600 },
    );

    const [clientPort, peerPort, securePort] = [
      await freePort(),
      await freePort(),
      options.port ?? (await freePort()),
    ];
    const etcdUrl = `http://127.0.0.1:${clientPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    const etcd = ManagedProcess.start({
      name: `etcd ${options.name}`,
      command: binaries.etcd,
      args: [
        `--name=${options.name}`,
        `--data-dir=${join(dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=${options.name}=${peerUrl}`,
        // A test cluster's data may be lost on a crash; fsync only slows it.
        '--unsafe-no-fsync=true',
        '--log-level=warn',
      ],
      logFile: join(dir, 'etcd.log'),
    });
    const url = `https://127.0.0.1:${securePort}`;
    const apiserver = ManagedProcess.start({
      name: `kube-apiserver ${options.name}`,
      command: binaries.kubeApiserver,
      args: [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${securePort}`,
        `--cert-dir=${dir}`,
        `--tls-cert-file=${join(dir, 'apiserver.crt')}`,
        `--tls-private-key-file=${join(dir, 'apiserver.key')}`,
        `--token-auth-file=${join(dir, 'tokens.csv')}`,
        '--authorization-mode=RBAC',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${join(dir, 'sa.pub')}`,
        `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
        '--service-cluster-ip-range=10.96.0.0/24',
        // No controller-manager creates the `default` ServiceAccounts pods need.
        '--disable-admission-plugins=ServiceAccount',
        '--enable-priority-and-fairness=false',
        '--v=0',
      ],
      logFile: join(dir, 'kube-apiserver.log'),
    });
    const cluster = new RealCluster(
      options.name,
      url,
      ca,
      adminToken,
      binaries,
      dir,
      etcd,
      apiserver,
    );
    try {
      await waitFor(
        `kube-apiserver ${options.name} to be ready`,
        async () => {
          for (const process of [etcd, apiserver]) {
            if (process.exit) {
              throw new Error(
                `${process.name} exited ${JSON.stringify(
                  process.exit,
                )}:\n${process.tail()}`,
              );
            }
          }
          const response = await cluster.api.request({
            path: '/readyz',
            timeoutMs: 2_000,
          });
          return response.status === 200 ? true : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 250 },
      ).catch(async error => {
        const exited = [etcd, apiserver].find(process => process.exit);
        if (exited) throw new Error(`${exited.name}: ${exited.tail(40)}`);
        throw error;
      });
      if (options.installCrd !== false) await cluster.installOnePasswordCrd();
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** Creates every object of a multi-document YAML file (CRDs, RBAC). */
  async applyYamlFile(file: string): Promise<void> {
    for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const object = document.toJS();
      if (object) await this.create(object);
    }
  }

  /** Installs `onepassworditems.onepassword.com` and waits until it is served. */
  async installOnePasswordCrd(): Promise<void> {
    await this.applyYamlFile(this.binaries.onePasswordItemCrd);
    await waitFor('the OnePasswordItem CRD to be established', async () => {
      const response = await this.api.request({
        path: '/apis/onepassword.com/v1/onepassworditems',
      });
      return response.status === 200 ? true : undefined;
    });
  }

  /** POSTs an object (with `apiVersion` and `kind`) as the admin. */
  create(object: any): Promise<any> {
    return this.api.expectOk({
      method: 'POST',
      path: collectionPath(object),
      body: object,
    });
  }

  /** A bearer token of a ServiceAccount (created when missing), from the TokenRequest API. */
  async serviceAccountToken(namespace: string, name: string): Promise<string> {
    const existing = await this.api.request({
      path: `/api/v1/namespaces/${namespace}/serviceaccounts/${name}`,
    });
    if (existing.status === 404) {
      await this.create({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name, namespace },
      });
    }
    const request = await this.api.expectOk({
      method: 'POST',
      path: `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 24 * 3600 },
      },
    });
    return request.status.token;
  }

  /** A kubeconfig file for `token` (default the admin's), written into the work directory. */
  writeKubeconfig(file: string, token = this.adminToken): string {
    const path = join(this.workDir, file);
    writeFileSync(
      path,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: this.name,
            cluster: {
              server: this.url,
              'certificate-authority-data': this.caData,
            },
          },
        ],
        users: [{ name: 'user', user: { token } }],
        contexts: [
          { name: this.name, context: { cluster: this.name, user: 'user' } },
        ],
        'current-context': this.name,
      }),
      { mode: 0o600 },
    );
    return path;
  }

  get directory(): string {
    return this.workDir;
  }

  async stop(options: { keepFiles?: boolean } = {}): Promise<void> {
    await this.apiserver.stop();
    await this.etcd.stop();
    if (!options.keepFiles)
      rmSync(this.workDir, { recursive: true, force: true });
  }
}
