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

/* eslint-disable jest/no-export -- shared cases, called by a test file per target */

import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ClusterSpec } from '../../scenario/types';
import { ClusterTarget, ClusterUnderTest } from './ClusterTarget';

const run = promisify(execFile);
const KUBECTL = '/usr/bin/kubectl';

const spec: ClusterSpec = {
  name: 'kubectl',
  port: 0,
  tokens: ['kubectl-admin'],
  operator: { connectServer: 'main', connectToken: 'operator', running: false },
  namespaces: [
    {
      name: 'payments',
      onePasswordItems: [
        {
          name: 'payments-db',
          itemPath: 'vaults/payments/items/payments-db',
          labels: { 'backstage.io/kubernetes-id': 'payments-api' },
        },
      ],
      deployments: [
        {
          name: 'payments-api',
          labels: { 'backstage.io/kubernetes-id': 'payments-api' },
        },
      ],
    },
    { name: 'search' },
  ],
};

/**
 * The cases the sandbox's Kubernetes API passes with kubectl, for any target
 * (see {@link describeClientNodeCases}).
 */
export function describeKubectlCases(target: ClusterTarget) {
  describe(`Kubernetes API server (${target.name}) with kubectl`, () => {
    let dir: string;
    let kubeconfig: string;
    let cluster: ClusterUnderTest;

    const kubectl = async (...args: string[]) => {
      const { stdout } = await run(
        KUBECTL,
        ['--kubeconfig', kubeconfig, ...args],
        {
          env: { ...process.env, HOME: dir, KUBECACHEDIR: join(dir, 'cache') },
        },
      );
      return stdout;
    };
    const kubectlJson = async (...args: string[]) =>
      JSON.parse(await kubectl(...args, '-o', 'json'));
    const manifest = (name: string, body: unknown) => {
      const file = join(dir, name);
      writeFileSync(file, JSON.stringify(body));
      return file;
    };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'kubectl-cases-'));
      cluster = await target.start(spec, dir);
      kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(
        kubeconfig,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [
            {
              name: 'sandbox',
              cluster: {
                server: cluster.url,
                'certificate-authority-data': cluster.caData,
              },
            },
          ],
          users: [{ name: 'admin', user: { token: cluster.adminToken } }],
          contexts: [
            { name: 'sandbox', context: { cluster: 'sandbox', user: 'admin' } },
          ],
          'current-context': 'sandbox',
        }),
      );
    });

    afterAll(async () => {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('gets kinds by name, short name, across namespaces and by label', async () => {
      expect(await kubectl('get', 'opi', '-A')).toMatch(
        /payments\s+payments-db/,
      );
      const items = await kubectlJson(
        'get',
        'onepassworditems',
        '-n',
        'payments',
        '-l',
        'backstage.io/kubernetes-id=payments-api',
      );
      expect(items.items.map((item: any) => item.metadata.name)).toEqual([
        'payments-db',
      ]);
      const deployments = await kubectlJson(
        'get',
        'deploy',
        '-A',
        '-l',
        'backstage.io/kubernetes-id in (payments-api)',
      );
      expect(deployments.items.map((item: any) => item.metadata.name)).toEqual([
        'payments-api',
      ]);
      expect(await kubectl('get', 'namespaces')).toContain('search');
      // The operator is scaled to zero: no Pod (see clientNodeCases).
      expect(await kubectl('get', 'pods', '-n', 'onepassword')).toBe('');
    });

    it('prints the server-side columns of each kind', async () => {
      await cluster.patchStatus(
        '/apis/onepassword.com/v1/namespaces/payments/onepassworditems/payments-db',
        { conditions: [{ type: 'Ready', status: 'True' }] },
      );
      const items = (await kubectl('get', 'opi', '-n', 'payments')).split('\n');
      expect(items[0].split(/\s+/)).toEqual(['NAME', 'AGE', 'READY']);
      expect(items[1]).toMatch(/^payments-db\s+\d+s\s+True$/);
      const deployments = await kubectl('get', 'deployments', '-n', 'payments');
      expect(deployments).toMatch(
        /NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/,
      );
      expect(deployments).toMatch(/payments-api\s+1\/1\s+1\s+1\s+\d+s/);
      expect(await kubectl('get', 'ns', 'search')).toMatch(/search\s+Active/);
    });

    it('creates, replaces, patches and deletes', async () => {
      const opi = {
        apiVersion: 'onepassword.com/v1',
        kind: 'OnePasswordItem',
        metadata: { name: 'search-key', namespace: 'search' },
        spec: { itemPath: 'vaults/platform/items/search-key' },
      };
      expect(
        await kubectl('create', '-f', manifest('opi.json', opi)),
      ).toContain('created');
      const current = await kubectlJson(
        'get',
        'opi',
        'search-key',
        '-n',
        'search',
        '--show-managed-fields',
      );
      expect(current.metadata.managedFields[0].manager).toBe('kubectl-create');

      const replaced = {
        ...current,
        spec: { itemPath: 'vaults/platform/items/search-key-v2' },
      };
      expect(
        await kubectl('replace', '-f', manifest('replaced.json', replaced)),
      ).toContain('replaced');
      expect(
        await kubectl(
          'patch',
          'opi',
          'search-key',
          '-n',
          'search',
          '--type=merge',
          '-p',
          '{"metadata":{"labels":{"team":"search"}}}',
        ),
      ).toContain('patched');
      const patched = await kubectlJson(
        'get',
        'opi',
        'search-key',
        '-n',
        'search',
      );
      expect(patched.spec.itemPath).toBe('vaults/platform/items/search-key-v2');
      expect(patched.metadata.labels).toEqual({ team: 'search' });
      expect(patched.metadata.generation).toBe(2);

      const secret = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'plain', namespace: 'search' },
        stringData: undefined,
        data: { k: 'Q0FOQVJZ' },
      };
      await kubectl('create', '-f', manifest('secret.json', secret));
      expect(
        await kubectl('delete', 'secret', 'plain', '-n', 'search'),
      ).toContain('deleted');
      expect(
        await kubectl('delete', 'opi', 'search-key', '-n', 'search'),
      ).toContain('deleted');
      await expect(
        kubectl('get', 'opi', 'search-key', '-n', 'search'),
      ).rejects.toThrow(/NotFound|not found/);
    });

    it('applies on the client and on the server', async () => {
      const secret = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'applied', namespace: 'search' },
        data: { k: 'Q0FOQVJZ' },
      };
      const file = manifest('applied.json', secret);
      expect(await kubectl('apply', '-f', file)).toContain('created');
      expect(await kubectl('apply', '-f', file)).toContain('unchanged');
      const opi = manifest('applied-opi.json', {
        apiVersion: 'onepassword.com/v1',
        kind: 'OnePasswordItem',
        metadata: { name: 'applied', namespace: 'search' },
        spec: { itemPath: 'vaults/platform/items/applied' },
      });
      expect(await kubectl('apply', '--server-side', '-f', opi)).toContain(
        'serverside-applied',
      );
      const applied = await kubectlJson(
        'get',
        'opi',
        'applied',
        '-n',
        'search',
        '--show-managed-fields',
      );
      expect(applied.metadata.managedFields).toEqual([
        expect.objectContaining({ manager: 'kubectl', operation: 'Apply' }),
      ]);
    });

    it('refuses an invalid OnePasswordItem', async () => {
      const bad = {
        apiVersion: 'onepassword.com/v1',
        kind: 'OnePasswordItem',
        metadata: { name: 'bad', namespace: 'search' },
        spec: { itemPath: 7 },
      };
      await expect(
        kubectl('create', '-f', manifest('bad.json', bad)),
      ).rejects.toThrow(/spec.itemPath in body must be of type string/);
      const typo = { ...bad, spec: { itemPth: 'vaults/a/items/b' } };
      await expect(
        kubectl('create', '-f', manifest('typo.json', typo)),
      ).rejects.toThrow(/strict decoding error: unknown field "spec.itemPth"/);
    });

    it('watches until the request timeout', async () => {
      const watcher = spawn(
        KUBECTL,
        [
          '--kubeconfig',
          kubeconfig,
          'get',
          'opi',
          '-n',
          'payments',
          '--watch',
          '--request-timeout=3s',
        ],
        {
          env: { ...process.env, HOME: dir, KUBECACHEDIR: join(dir, 'cache') },
        },
      );
      let output = '';
      watcher.stdout.on('data', chunk => (output += chunk));
      const exited = new Promise(resolve => watcher.on('exit', resolve));
      await new Promise(resolve => setTimeout(resolve, 1000));
      await cluster.create({
        apiVersion: 'onepassword.com/v1',
        kind: 'OnePasswordItem',
        metadata: { name: 'late', namespace: 'payments' },
        spec: { itemPath: 'vaults/a/items/b' },
      });
      await exited;
      const lines = output.trim().split('\n');
      expect(lines[0].split(/\s+/)).toEqual(['NAME', 'AGE', 'READY']);
      expect(lines.slice(1).map(line => line.split(/\s+/)[0])).toEqual(
        expect.arrayContaining(['payments-db', 'late']),
      );
      expect(lines.filter(line => line.startsWith('NAME'))).toHaveLength(1);
    });
  });
}
