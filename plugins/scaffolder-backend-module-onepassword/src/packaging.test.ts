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

import fs from 'node:fs';
import path from 'node:path';

// resolvePackagePath() finds files by package name at runtime: a stale name
// still resolves inside this monorepo (or not at all once published), so the
// names baked into the sources are checked against package.json here.
const packageDir = path.resolve(__dirname, '..');
const packageJson = JSON.parse(
  fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'),
);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)
      ? [full]
      : [];
  });
}

function resolvePackagePathCalls() {
  return sourceFiles(path.join(packageDir, 'src')).flatMap(file =>
    [
      ...fs
        .readFileSync(file, 'utf8')
        .matchAll(/resolvePackagePath\(\s*'([^']+)',\s*'([^']+)'/g),
    ].map(([, name, relative]) => ({
      file: path.relative(packageDir, file),
      name,
      relative,
    })),
  );
}

describe('packaging', () => {
  it('names its own package in every resolvePackagePath call', () => {
    const calls = resolvePackagePathCalls();
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call).toEqual({ ...call, name: packageJson.name });
    }
  });

  it('publishes every file resolvePackagePath reads', () => {
    for (const { relative } of resolvePackagePathCalls()) {
      expect(fs.existsSync(path.join(packageDir, relative))).toBe(true);
      expect(packageJson.files).toContain(relative.split('/')[0]);
    }
  });

  it('publishes its config schema', () => {
    expect(packageJson.configSchema).toBe('config.d.ts');
    expect(packageJson.files).toContain('config.d.ts');
  });
});
