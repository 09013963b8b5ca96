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

import type * as KubernetesClient from '@kubernetes/client-node';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterSpec } from '../../scenario/types';
import { ClusterTarget, ClusterUnderTest } from './ClusterTarget';

const ADMIN = 'test-k8s-admin';
const READER = 'test-k8s-reader';

const spec: ClusterSpec = {
  name: 'test',
  port: 0,
  tokens: [ADMIN, READER],
  operator: { connectServer: 'main', connectToken: 'operator', running: false },
  namespaces: [
    {
      name: 'payments',
      onePasswordItems: [
        {
          name: 'payments-db',
          itemPath: 'vaults/payments/items/payments-db',
          labels: { 'backstage.io/kubernetes-id': 'payments-api', tier: 'db' },
        },
        {
          name: 'orders-key',
          itemPath: 'vaults/payments/items/orders-key',
          labels: {
            'backstage.io/kubernetes-id': 'orders-worker',
            tier: 'queue',
          },
        },
        { name: 'loose', itemPath: 'vaults/payments/items/loose' },
      ],
      deployments: [{ name: 'payments-api', secretRefs: ['payments-db'] }],
    },
    { name: 'storefront' },
  ],
};

/**
 * The cases the sandbox's Kubernetes API passes with @kubernetes/client-node,
 * for any target: the sandbox's own suite runs them on the sandbox, and
 * `@internal/real-cluster` on a real kube-apiserver, which is the comparison
 * of the two.
 */
export function describeClientNodeCases(target: ClusterTarget) {
  describe(`Kubernetes API server (${target.name}) with @kubernetes/client-node`, () => {
    // client-node is ESM only: loaded as Jest loads ES modules (the test run
    // enables VM modules, which the Kubernetes plugin's proxy needs too).
    let k8s: typeof KubernetesClient;
    let dir: string;
    let cluster: ClusterUnderTest;
    let config: KubernetesClient.KubeConfig;

    const kubeConfig = (token: string) => {
      const kc = new k8s.KubeConfig();
      kc.loadFromOptions({
        clusters: [
          { name: 'test', server: cluster.url, caData: cluster.caData },
        ],
        users: [{ name: 'user', token }],
        contexts: [{ name: 'test', cluster: 'test', user: 'user' }],
        currentContext: 'test',
      });
      return kc;
    };

    /** A raw GET, to set headers the typed clients do not. */
    const rawGet = (path: string, headers: Record<string, string>) =>
      new Promise<{ status: number; contentType: string; body: any }>(
        (resolve, reject) => {
          const request = httpsRequest(
            `${cluster.url}${path}`,
            {
              ca: Buffer.from(cluster.caData, 'base64'),
              headers: { Authorization: `Bearer ${ADMIN}`, ...headers },
            },
            response => {
              let text = '';
              response.on('data', chunk => (text += chunk));
              response.on('end', () =>
                resolve({
                  status: response.statusCode!,
                  contentType: String(response.headers['content-type']),
                  body: JSON.parse(text),
                }),
              );
            },
          );
          request.on('error', reject);
          request.end();
        },
      );

    beforeAll(async () => {
      // A devDependency: these cases only run from test files.
      // eslint-disable-next-line @backstage/no-undeclared-imports
      k8s = await import('@kubernetes/client-node');
      dir = mkdtempSync(join(tmpdir(), 'k8s-cases-'));
      cluster = await target.start(spec, dir);
      config = kubeConfig(ADMIN);
    });

    afterAll(async () => {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('lists namespaces and the scenario objects across and within namespaces', async () => {
      const core = config.makeApiClient(k8s.CoreV1Api);
      const namespaces = await core.listNamespace();
      expect(namespaces.items.map(ns => ns.metadata?.name)).toEqual(
        expect.arrayContaining([
          'default',
          'onepassword',
          'payments',
          'storefront',
        ]),
      );
      const custom = config.makeApiClient(k8s.CustomObjectsApi);
      const all = await custom.listClusterCustomObject({
        group: 'onepassword.com',
        version: 'v1',
        plural: 'onepassworditems',
      });
      expect(all.items.map((item: any) => item.metadata.name)).toEqual([
        'loose',
        'orders-key',
        'payments-db',
      ]);
      const apps = config.makeApiClient(k8s.AppsV1Api);
      const deployments = await apps.listNamespacedDeployment({
        namespace: 'payments',
      });
      expect(deployments.items.map(d => d.metadata?.name)).toEqual([
        'payments-api',
      ]);
      expect(
        deployments.items[0].spec?.template.spec?.containers[0].envFrom,
      ).toEqual([{ secretRef: { name: 'payments-db' } }]);
      const operator = await apps.readNamespacedDeployment({
        namespace: 'onepassword',
        name: 'onepassword-connect-operator',
      });
      expect(operator.spec?.template.spec?.containers[0].image).toBe(
        '1password/onepassword-operator:1.12.0',
      );
      // `running: false`: installed but scaled to zero, and nothing reconciled.
      expect(operator.spec?.replicas).toBe(0);
      expect(all.items.map((item: any) => item.status)).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
      expect(
        (await core.listNamespacedSecret({ namespace: 'payments' })).items,
      ).toEqual([]);
      // Scaled to zero: no Pod. (Other Deployments' Pods come from controllers,
      // which the sandbox models and a bare kube-apiserver does not run.)
      expect(
        (await core.listNamespacedPod({ namespace: 'onepassword' })).items,
      ).toEqual([]);
    });

    it('filters with equality and set-based label selectors and field selectors', async () => {
      const custom = config.makeApiClient(k8s.CustomObjectsApi);
      const names = async (labelSelector?: string, fieldSelector?: string) =>
        (
          await custom.listNamespacedCustomObject({
            group: 'onepassword.com',
            version: 'v1',
            namespace: 'payments',
            plural: 'onepassworditems',
            labelSelector,
            fieldSelector,
          })
        ).items.map((item: any) => item.metadata.name);
      expect(await names('backstage.io/kubernetes-id=payments-api')).toEqual([
        'payments-db',
      ]);
      expect(await names('tier in (db,queue)')).toEqual([
        'orders-key',
        'payments-db',
      ]);
      expect(await names('tier notin (db)')).toEqual(['loose', 'orders-key']);
      expect(await names('!tier')).toEqual(['loose']);
      expect(await names('tier,tier!=queue')).toEqual(['payments-db']);
      expect(await names(undefined, 'metadata.name=orders-key')).toEqual([
        'orders-key',
      ]);
      expect(await names(undefined, 'metadata.namespace!=payments')).toEqual(
        [],
      );
    });

    it('pages with limit and continue', async () => {
      const custom = config.makeApiClient(k8s.CustomObjectsApi);
      const page = (token?: string) =>
        custom.listClusterCustomObject({
          group: 'onepassword.com',
          version: 'v1',
          plural: 'onepassworditems',
          limit: 2,
          _continue: token,
        });
      const first = await page();
      expect(first.items).toHaveLength(2);
      expect(first.metadata.remainingItemCount).toBe(1);
      const second = await page(first.metadata.continue);
      expect(second.items.map((item: any) => item.metadata.name)).toEqual([
        'payments-db',
      ]);
      // A custom resource list always has `continue`, empty on the last page.
      expect(second.metadata.continue).toBe('');
    });

    it('creates, merge-patches, replaces and deletes, keeping resourceVersion, generation and managedFields', async () => {
      const custom = config.makeApiClient(k8s.CustomObjectsApi);
      const resource = {
        group: 'onepassword.com',
        version: 'v1',
        namespace: 'storefront',
        plural: 'onepassworditems',
      };
      const created = await custom.createNamespacedCustomObject({
        ...resource,
        body: {
          apiVersion: 'onepassword.com/v1',
          kind: 'OnePasswordItem',
          metadata: { name: 'checkout' },
          spec: {
            itemPath: 'vaults/storefront/items/checkout',
            unknownField: 1,
          },
        },
      });
      expect(created.metadata.uid).toBeTruthy();
      expect(created.metadata.generation).toBe(1);
      expect(created.spec).toEqual({
        itemPath: 'vaults/storefront/items/checkout',
      });
      expect(created.metadata.managedFields[0].manager).toBeTruthy();

      const patched = await custom.patchNamespacedCustomObject(
        {
          ...resource,
          name: 'checkout',
          body: { spec: { itemPath: 'vaults/storefront/items/other' } },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      expect(patched.spec.itemPath).toBe('vaults/storefront/items/other');
      expect(patched.metadata.generation).toBe(2);
      expect(Number(patched.metadata.resourceVersion)).toBeGreaterThan(
        Number(created.metadata.resourceVersion),
      );

      const labelled = await custom.patchNamespacedCustomObject(
        {
          ...resource,
          name: 'checkout',
          body: { metadata: { labels: { team: 'web' } } },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      expect(labelled.metadata.generation).toBe(2);

      const replaced = await custom.replaceNamespacedCustomObject({
        ...resource,
        name: 'checkout',
        body: {
          ...labelled,
          spec: { itemPath: 'vaults/storefront/items/third' },
        },
      });
      expect(replaced.spec.itemPath).toBe('vaults/storefront/items/third');

      await expect(
        custom.replaceNamespacedCustomObject({
          ...resource,
          name: 'checkout',
          body: labelled,
        }),
      ).rejects.toMatchObject({ code: 409 });

      await custom.deleteNamespacedCustomObject({
        ...resource,
        name: 'checkout',
      });
      await expect(
        custom.getNamespacedCustomObject({ ...resource, name: 'checkout' }),
      ).rejects.toMatchObject({ code: 404 });
    });

    it('updates only status through the status subresource', async () => {
      const custom = config.makeApiClient(k8s.CustomObjectsApi);
      const resource = {
        group: 'onepassword.com',
        version: 'v1',
        namespace: 'payments',
        plural: 'onepassworditems',
        name: 'loose',
      };
      const status = {
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            lastTransitionTime: '2026-01-01T00:00:00Z',
          },
        ],
      };
      await custom.patchNamespacedCustomObject(
        { ...resource, body: { status } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      expect(
        (await custom.getNamespacedCustomObject(resource)).status,
      ).toBeUndefined();
      const written = await custom.patchNamespacedCustomObjectStatus(
        { ...resource, body: { status } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      expect(written.status).toEqual(status);
      expect(
        written.metadata.managedFields.some(
          (entry: any) => entry.subresource === 'status',
        ),
      ).toBe(true);
    });

    it('streams watch events from a resourceVersion', async () => {
      const core = config.makeApiClient(k8s.CoreV1Api);
      const list = await core.listNamespacedSecret({ namespace: 'storefront' });
      const events: Array<{ type: string; name: string }> = [];
      const done = new Promise<void>(resolve => {
        new k8s.Watch(config)
          .watch(
            '/api/v1/namespaces/storefront/secrets',
            { resourceVersion: list.metadata?.resourceVersion },
            (type, object) => {
              events.push({ type, name: object.metadata.name });
              if (type === 'DELETED') resolve();
            },
            () => {},
          )
          .then(controller => done.then(() => controller.abort()));
      });
      await new Promise(resolve => setTimeout(resolve, 100));
      await core.createNamespacedSecret({
        namespace: 'storefront',
        body: {
          metadata: { name: 'watched' },
          stringData: undefined,
          data: { a: 'Q0FOQVJZ' },
        },
      });
      await core.patchNamespacedSecret(
        {
          namespace: 'storefront',
          name: 'watched',
          body: { metadata: { labels: { x: 'y' } } },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedSecret({
        namespace: 'storefront',
        name: 'watched',
      });
      await done;
      expect(events).toEqual([
        { type: 'ADDED', name: 'watched' },
        { type: 'MODIFIED', name: 'watched' },
        { type: 'DELETED', name: 'watched' },
      ]);
    });

    it('serves metadata-only lists and gets without Secret data', async () => {
      await cluster.create({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'hidden', namespace: 'payments' },
        data: { password: 'Q0FOQVJZ' },
      });
      const list = await rawGet('/api/v1/secrets', {
        Accept:
          'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
      });
      expect(list.status).toBe(200);
      expect(list.body.kind).toBe('PartialObjectMetadataList');
      expect(list.body.apiVersion).toBe('meta.k8s.io/v1');
      // The body says what it is; the real server labels it plain JSON.
      expect(list.contentType).toBe('application/json');
      const hidden = list.body.items.find(
        (item: any) => item.metadata.name === 'hidden',
      );
      expect(hidden.kind).toBe('PartialObjectMetadata');
      expect(JSON.stringify(list.body)).not.toContain('Q0FOQVJZ');
      const one = await rawGet('/api/v1/namespaces/payments/secrets/hidden', {
        Accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
      });
      expect(one.body).toEqual({
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: expect.objectContaining({ name: 'hidden' }),
      });
      const watched = await new Promise<string>((resolve, reject) => {
        httpsRequest(
          `${cluster.url}/api/v1/namespaces/payments/secrets?watch=true&timeoutSeconds=1`,
          {
            ca: Buffer.from(cluster.caData, 'base64'),
            headers: {
              Authorization: `Bearer ${ADMIN}`,
              Accept:
                'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
            },
          },
          response => {
            let text = '';
            response.on('data', chunk => (text += chunk));
            response.on('end', () => resolve(text));
          },
        )
          .on('error', reject)
          .end();
      });
      const events = watched
        .trim()
        .split('\n')
        .map(line => JSON.parse(line));
      expect(events).toEqual([
        {
          type: 'ADDED',
          object: expect.objectContaining({
            kind: 'PartialObjectMetadata',
            metadata: expect.objectContaining({ name: 'hidden' }),
          }),
        },
      ]);
      expect(watched).not.toContain('Q0FOQVJZ');
      const full = await rawGet(
        '/api/v1/namespaces/payments/secrets/hidden',
        {},
      );
      expect(full.body.data).toEqual({ password: 'Q0FOQVJZ' });
    });

    it('answers errors with Status objects: 401, 403, 404, 409, 422', async () => {
      const core = config.makeApiClient(k8s.CoreV1Api);
      // client-node drops the body of a 401; the raw answer shows the Status.
      await expect(
        kubeConfig('wrong').makeApiClient(k8s.CoreV1Api).listNamespace(),
      ).rejects.toMatchObject({
        code: 401,
      });
      expect(
        await rawGet('/api/v1/namespaces', { Authorization: 'Bearer wrong' }),
      ).toMatchObject({
        status: 401,
        body: {
          kind: 'Status',
          status: 'Failure',
          reason: 'Unauthorized',
          code: 401,
        },
      });
      await expect(
        kubeConfig(READER)
          .makeApiClient(k8s.CoreV1Api)
          .createNamespacedSecret({
            namespace: 'payments',
            body: { metadata: { name: 'nope' } },
          }),
      ).rejects.toMatchObject({
        code: 403,
        body: expect.stringContaining('cannot create resource \\"secrets\\"'),
      });
      expect(
        (await kubeConfig(READER).makeApiClient(k8s.CoreV1Api).listNamespace())
          .items.length,
      ).toBeGreaterThan(0);

      const missing = await rawGet(
        '/api/v1/namespaces/payments/secrets/absent',
        {},
      );
      expect(missing).toMatchObject({
        status: 404,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'secrets "absent" not found',
          reason: 'NotFound',
          details: { name: 'absent', kind: 'secrets' },
          code: 404,
        },
      });
      await expect(
        core.createNamespacedSecret({
          namespace: 'payments',
          body: { metadata: { name: 'hidden' } },
        }),
      ).rejects.toMatchObject({
        code: 409,
        body: expect.stringContaining('"reason":"AlreadyExists"'),
      });
      await expect(
        core.createNamespacedSecret({
          namespace: 'nowhere',
          body: { metadata: { name: 'x' } },
        }),
      ).rejects.toMatchObject({
        code: 404,
        body: expect.stringContaining('namespaces \\"nowhere\\" not found'),
      });

      const custom = config.makeApiClient(k8s.CustomObjectsApi);
      const invalid = custom.createNamespacedCustomObject({
        group: 'onepassword.com',
        version: 'v1',
        namespace: 'payments',
        plural: 'onepassworditems',
        body: {
          apiVersion: 'onepassword.com/v1',
          kind: 'OnePasswordItem',
          metadata: { name: 'bad' },
          spec: { itemPath: 42 },
        },
      });
      await expect(invalid).rejects.toMatchObject({ code: 422 });
      const body = JSON.parse(
        ((await invalid.catch(e => e)) as { body: string }).body,
      );
      expect(body).toMatchObject({
        reason: 'Invalid',
        details: {
          name: 'bad',
          group: 'onepassword.com',
          kind: 'OnePasswordItem',
        },
      });
      expect(body.message).toContain(
        'spec.itemPath in body must be of type string',
      );

      await expect(
        config.makeApiClient(k8s.AppsV1Api).createNamespacedDeployment({
          namespace: 'payments',
          body: {
            metadata: { name: 'no-containers' },
            spec: {
              selector: { matchLabels: { a: 'b' } },
              template: { metadata: { labels: { a: 'b' } } },
            } as any,
          },
        }),
      ).rejects.toMatchObject({
        code: 422,
        body: expect.stringContaining(
          'spec.template.spec.containers: Required value',
        ),
      });
    });

    it('answers a protobuf body: decoded by the real server, 415 naming the type on the sandbox', async () => {
      const answer = await new Promise<{ status: number; body: any }>(
        (resolve, reject) => {
          const request = httpsRequest(
            `${cluster.url}/api/v1/namespaces/storefront/secrets`,
            {
              method: 'POST',
              ca: Buffer.from(cluster.caData, 'base64'),
              headers: {
                Authorization: `Bearer ${ADMIN}`,
                'Content-Type': 'application/vnd.kubernetes.protobuf',
              },
            },
            response => {
              let text = '';
              response.on('data', chunk => (text += chunk));
              response.on('end', () =>
                resolve({
                  status: response.statusCode!,
                  body: JSON.parse(text),
                }),
              );
            },
          );
          request.on('error', reject);
          // The magic prefix of Kubernetes' protobuf envelope.
          request.end(Buffer.from([0x6b, 0x38, 0x73, 0x00]));
        },
      );
      // Four bytes are no valid object: the real server decodes them as
      // protobuf and refuses the result; the sandbox does not decode protobuf.
      const refused = {
        status: 415,
        body: expect.objectContaining({
          kind: 'Status',
          reason: 'UnsupportedMediaType',
          code: 415,
          message: expect.stringContaining('application/json'),
          details: expect.objectContaining({
            causes: [
              expect.objectContaining({
                message: 'application/vnd.kubernetes.protobuf',
              }),
            ],
          }),
        }),
      };
      expect(answer).toMatchObject(
        target.decodesProtobuf ? { status: 400 } : refused,
      );
    });

    // Only the sandbox goes down on purpose (a fault switch of its own).
    if (target.canGoDown) {
      it('refuses connections while down', async () => {
        const core = config.makeApiClient(k8s.CoreV1Api);
        cluster.setDown!(true);
        await expect(core.listNamespace()).rejects.toThrow();
        cluster.setDown!(false);
        await expect(core.listNamespace()).resolves.toBeDefined();
      });
    }
  });
}
