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

import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { createOnePasswordItemCreateAction } from './actions/createItem';
import { createOnePasswordKubernetesItemAction } from './actions/kubernetesItem';
import { createOnePasswordItemRotateAction } from './actions/rotateItem';
import { ConnectCredentialsClient } from './connect/ConnectCredentialsClient';
import { CredentialsRequestGuard } from './guard/CredentialsRequestGuard';
import { loadOnePasswordItemSchema } from './kubernetes/structuralSchema';

// The demo's template lives outside this package; keep it in step with the actions.
const TEMPLATE = path.resolve(
  __dirname,
  '../../../examples/templates/request-credentials/template.yaml',
);

describe('examples/templates/request-credentials', () => {
  const config = new ConfigReader({});
  const actions = [
    createOnePasswordItemCreateAction({
      connect: ConnectCredentialsClient.fromConfig(config),
      guard: CredentialsRequestGuard.fromConfig(config, {
        permissions: mockServices.permissions(),
        auditor: mockServices.auditor.mock(),
      }),
    }),
    createOnePasswordKubernetesItemAction({
      schema: loadOnePasswordItemSchema(),
    }),
  ];
  const template = yaml.parse(fs.readFileSync(TEMPLATE, 'utf8'));

  it('passes only inputs the onepassword actions accept, and every required one', () => {
    const steps = template.spec.steps.filter((step: { action: string }) =>
      step.action.startsWith('onepassword:'),
    );
    expect(steps.map((step: { action: string }) => step.action)).toEqual([
      'onepassword:item:create',
      'onepassword:kubernetes:item:write',
    ]);
    for (const step of steps) {
      const action = actions.find(a => a.id === step.action)!;
      const schema = action.schema!.input as {
        properties: Record<string, unknown>;
        required?: string[];
      };
      expect(
        Object.keys(step.input).filter(key => !(key in schema.properties)),
      ).toEqual([]);
      expect(
        (schema.required ?? []).filter(key => !(key in step.input)),
      ).toEqual([]);
    }
  });

  it('keeps the pull request step off unless asked for', () => {
    const pullRequest = template.spec.steps.find(
      (step: { id: string }) => step.id === 'pull-request',
    );
    expect(pullRequest.if).toBe(
      '${{ true if (parameters.writeManifest and parameters.openPullRequest) else false }}',
    );
    const kubernetes = template.spec.parameters[2];
    const openPullRequest =
      kubernetes.dependencies.writeManifest.oneOf[1].properties.openPullRequest;
    expect(openPullRequest.default).toBe(false);
  });
});

describe('examples/templates/rotate-credentials', () => {
  const config = new ConfigReader({});
  const action = createOnePasswordItemRotateAction({
    connect: ConnectCredentialsClient.fromConfig(config),
    guard: CredentialsRequestGuard.fromConfig(config, {
      permissions: mockServices.permissions(),
      auditor: mockServices.auditor.mock(),
    }),
    items: { syncedItems: async () => [] },
  });
  const template = yaml.parse(
    fs.readFileSync(
      path.resolve(
        __dirname,
        '../../../examples/templates/rotate-credentials/template.yaml',
      ),
      'utf8',
    ),
  );

  it('passes only inputs onepassword:item:rotate accepts, and every required one', () => {
    const [step] = template.spec.steps;
    expect(step.action).toBe('onepassword:item:rotate');
    const schema = action.schema!.input as {
      properties: Record<string, unknown>;
      required?: string[];
    };
    expect(
      Object.keys(step.input).filter(key => !(key in schema.properties)),
    ).toEqual([]);
    expect((schema.required ?? []).filter(key => !(key in step.input))).toEqual(
      [],
    );
  });

  it('takes every field the Secrets tab fills in', () => {
    const properties = template.spec.parameters[0].properties;
    for (const field of ['entity', 'server', 'vault', 'item', 'secret']) {
      expect(properties).toHaveProperty(field);
    }
  });
});
