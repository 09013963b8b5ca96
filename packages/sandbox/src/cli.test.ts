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

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { call } from './__testUtils__/connectFixtures';
import { loadOrCreateCa } from './kubernetes';

const bin = resolve(__dirname, '../bin/sandbox');

function runCli(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', chunk => (output += chunk));
  child.stderr.on('data', chunk => (output += chunk));
  const exited = new Promise<number | null>(resolveExit =>
    child.on('exit', code => resolveExit(code)),
  );
  const waitFor = async (pattern: RegExp) => {
    for (let i = 0; i < 200 && !pattern.test(output); i++) {
      await new Promise(r => setTimeout(r, 50));
    }
    return output;
  };
  return { child, exited, waitFor, output: () => output };
}

describe('the sandbox CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));

  it('starts a scenario, writes the info file and stops cleanly on SIGTERM', async () => {
    const scenario = join(dir, 'scenario.yaml');
    const info = join(dir, 'info.json');
    writeFileSync(
      scenario,
      'name: cli\nconnect:\n  - name: main\n    port: 0\n    tokens: [{ name: admin, token: t-CANARY, vaults: "*" }]\n    vaults: [{ name: v }]\n',
    );
    const cli = runCli(['--scenario', scenario, '--info', info]);
    await cli.waitFor(/Press Ctrl\+C/);
    const written = JSON.parse(readFileSync(info, 'utf8'));
    expect(written.connect[0]).toMatchObject({
      name: 'main',
      token: 't-CANARY',
    });
    expect((await call(written.connect[0].url, 'GET', '/heartbeat')).text).toBe(
      '.',
    );
    expect(cli.output()).not.toContain('t-CANARY');

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(existsSync(info)).toBe(false);
  }, 20_000);

  it('explains a bad scenario and exits non-zero', async () => {
    const scenario = join(dir, 'bad.yaml');
    writeFileSync(
      scenario,
      'name: bad\nconnect: [{ name: main, port: 0, tokens: [], vaults: [], colour: red }]\n',
    );
    const cli = runCli(['--scenario', scenario]);
    expect(await cli.exited).toBe(1);
    expect(cli.output()).toContain('connect[0].colour: unknown key');
  }, 20_000);

  it('starts the demo in under 5 seconds, with its clusters wired to Connect', async () => {
    const stateDir = join(dir, 'state');
    // Like every run after the first: the CA exists already.
    const ca = loadOrCreateCa(stateDir);
    const info = join(dir, 'demo-info.json');
    const cli = runCli([
      '--any-ports',
      '--state-dir',
      stateDir,
      '--info',
      info,
    ]);
    const output = await cli.waitFor(/Press Ctrl\+C/);
    try {
      const startup = Number(/started in (\d+) ms/.exec(output)?.[1]);
      expect(startup).toBeLessThan(5000);
      const written = JSON.parse(readFileSync(info, 'utf8'));
      expect(written.clusters.map((cluster: any) => cluster.name)).toEqual([
        'dev-eu',
        'prod-us',
        'legacy-dc',
        'edge-eu',
        'staging-eu',
        'staging-us',
      ]);
      for (const cluster of written.clusters) {
        expect(Buffer.from(cluster.caData, 'base64').toString('utf8')).toBe(
          ca.certPem,
        );
      }
      const main = written.connect[0];
      // The operators have read their Connect server over HTTP by now.
      const stats = await call(main.url, 'GET', '/__sandbox/stats', {
        token: main.adminToken,
      });
      expect(stats.json.total).toBeGreaterThan(0);
      // The Backstage token of app-config.yaml is not granted the finance vault.
      const vaults = await call(main.url, 'GET', '/v1/vaults', {
        token: 'sandbox-connect-main-backstage',
      });
      expect(vaults.json.map((vault: any) => vault.name)).not.toContain(
        'finance-restricted',
      );
      expect(output).not.toContain('CANARY');
    } finally {
      cli.child.kill('SIGINT');
      expect(await cli.exited).toBe(0);
    }
  }, 30_000);
});
