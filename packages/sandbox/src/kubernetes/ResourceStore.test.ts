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

import { KubernetesApiError } from './apiErrors';
import { ResourceStore } from './ResourceStore';
import { WatchEvent } from './types';

const OPI = 'onepassworditems.onepassword.com';
const write = { manager: 'test' };

function storeWithNamespace() {
  const store = ResourceStore.create();
  store.create('namespaces', { metadata: { name: 'payments' } }, write);
  return store;
}

const statusOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as KubernetesApiError).status;
  }
  throw new Error('expected an error');
};

describe('ResourceStore', () => {
  it('keeps a deleted object with finalizers until they are removed, then collects what it owned', () => {
    const store = storeWithNamespace();
    const item = store.create(
      OPI,
      {
        metadata: {
          name: 'db',
          namespace: 'payments',
          finalizers: ['onepassword.com/finalizer.secret'],
        },
        spec: { itemPath: 'vaults/a/items/b' },
      },
      write,
    );
    store.create(
      'secrets',
      {
        metadata: {
          name: 'db',
          namespace: 'payments',
          ownerReferences: [
            {
              apiVersion: 'onepassword.com/v1',
              kind: 'OnePasswordItem',
              name: 'db',
              uid: item.metadata.uid!,
            },
          ],
        },
      },
      write,
    );
    const marked = store.delete(OPI, 'payments', 'db');
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    expect(store.get(OPI, 'payments', 'db')).toBeDefined();

    store.mergePatch(
      OPI,
      'payments',
      'db',
      { metadata: { finalizers: null } },
      write,
    );
    expect(store.get(OPI, 'payments', 'db')).toBeUndefined();
    expect(store.get('secrets', 'payments', 'db')).toBeUndefined();
  });

  it('deletes the objects of a deleted namespace', () => {
    const store = storeWithNamespace();
    store.create(
      'secrets',
      { metadata: { name: 's', namespace: 'payments' } },
      write,
    );
    store.delete('namespaces', undefined, 'payments');
    expect(store.list('secrets').items).toEqual([]);
  });

  it('replays changes after a resourceVersion and answers 410 for a version it no longer has', () => {
    const store = storeWithNamespace();
    const from = store.resourceVersion;
    store.create(
      'secrets',
      { metadata: { name: 'a', namespace: 'payments' } },
      write,
    );
    store.delete('secrets', 'payments', 'a');
    const events: WatchEvent[] = [];
    const stop = store.watch('secrets', { resourceVersion: from }, event =>
      events.push(event),
    );
    stop();
    expect(events.map(event => event.type)).toEqual(['ADDED', 'DELETED']);

    expect(
      statusOf(() =>
        store.watch('secrets', { resourceVersion: '-5' }, () => {}),
      ),
    ).toMatchObject({
      code: 410,
      reason: 'Expired',
    });
  });

  it('records one managedFields entry per manager and bumps generation only on spec changes', () => {
    const store = storeWithNamespace();
    store.create(
      OPI,
      {
        metadata: { name: 'x', namespace: 'payments' },
        spec: { itemPath: 'a' },
      },
      { manager: 'kubectl-create' },
    );
    store.mergePatch(
      OPI,
      'payments',
      'x',
      { metadata: { labels: { a: 'b' } } },
      { manager: 'kubectl-label' },
    );
    const relabelled = store.mergePatch(
      OPI,
      'payments',
      'x',
      { metadata: { labels: { a: 'c' } } },
      { manager: 'kubectl-label' },
    );
    expect(relabelled.metadata.generation).toBe(1);
    expect(
      relabelled.metadata.managedFields!.map(entry => entry.manager),
    ).toEqual(['kubectl-create', 'kubectl-label']);
    const respecced = store.mergePatch(
      OPI,
      'payments',
      'x',
      { spec: { itemPath: 'b' } },
      write,
    );
    expect(respecced.metadata.generation).toBe(2);
  });

  it('refuses duplicates, stale versions, immutable Secret types and objects in missing namespaces', () => {
    const store = storeWithNamespace();
    const secret = store.create(
      'secrets',
      { metadata: { name: 's', namespace: 'payments' }, type: 'Opaque' },
      write,
    );
    expect(
      statusOf(() =>
        store.create(
          'secrets',
          { metadata: { name: 's', namespace: 'payments' } },
          write,
        ),
      ),
    ).toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
      message: 'secrets "s" already exists',
    });
    store.mergePatch(
      'secrets',
      'payments',
      's',
      { metadata: { labels: { a: 'b' } } },
      write,
    );
    expect(
      statusOf(() => store.replace('secrets', secret, write)),
    ).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(
      statusOf(() =>
        store.mergePatch(
          'secrets',
          'payments',
          's',
          { type: 'kubernetes.io/tls' },
          write,
        ),
      ),
    ).toMatchObject({
      code: 422,
      message:
        'Secret "s" is invalid: type: Invalid value: "kubernetes.io/tls": field is immutable',
    });
    expect(
      statusOf(() =>
        store.create(
          'secrets',
          { metadata: { name: 's', namespace: 'nope' } },
          write,
        ),
      ),
    ).toMatchObject({
      code: 404,
      message: 'namespaces "nope" not found',
    });
    expect(
      statusOf(() =>
        store.create(
          'secrets',
          { metadata: { name: 'S', namespace: 'payments' } },
          write,
        ),
      ),
    ).toMatchObject({ code: 422, reason: 'Invalid' });
  });

  it('validates OnePasswordItem status conditions against the CRD schema', () => {
    const store = storeWithNamespace();
    store.create(
      OPI,
      { metadata: { name: 'x', namespace: 'payments' }, spec: {} },
      write,
    );
    const status = statusOf(() =>
      store.mergePatch(
        OPI,
        'payments',
        'x',
        {
          status: {
            conditions: [{ status: 'True', lastTransitionTime: 'yesterday' }],
          },
        },
        { ...write, subresource: 'status' },
      ),
    );
    expect(status.details?.causes?.map(cause => cause.field)).toEqual([
      'status.conditions[0].type',
      'status.conditions[0].lastTransitionTime',
    ]);
  });
});

describe('ResourceStore.jsonPatch', () => {
  const labelsOf = (store: ResourceStore) =>
    store.get('namespaces', undefined, 'payments')?.metadata.labels;

  it('applies RFC 6902 operations, including move and copy', () => {
    const store = storeWithNamespace();
    store.jsonPatch(
      'namespaces',
      undefined,
      'payments',
      [
        { op: 'add', path: '/metadata/labels', value: { team: 'a' } },
        {
          op: 'copy',
          from: '/metadata/labels/team',
          path: '/metadata/labels/owner',
        },
        {
          op: 'move',
          from: '/metadata/labels/team',
          path: '/metadata/labels/squad',
        },
        { op: 'test', path: '/metadata/labels/owner', value: 'a' },
      ],
      write,
    );
    expect(labelsOf(store)).toEqual({ owner: 'a', squad: 'a' });
  });

  it('answers a failed test with 422 and a missing path with 400, changing nothing', () => {
    const store = storeWithNamespace();
    const patch = (operations: unknown) => () =>
      store.jsonPatch('namespaces', undefined, 'payments', operations, write);
    expect(
      statusOf(patch([{ op: 'test', path: '/metadata/name', value: 'x' }])),
    ).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(() =>
      patch([{ op: 'replace', path: '/metadata/labels/team', value: 'a' }])(),
    ).toThrow('the JSON patch path /metadata/labels/team does not exist');
    expect(() => patch([{ op: 'bogus', path: '/metadata' }])()).toThrow(
      'unsupported JSON patch operation bogus',
    );
    expect(() => patch({ op: 'add' })()).toThrow(
      'the JSON patch is not an array',
    );
    expect(labelsOf(store)).toBeUndefined();
  });
});
