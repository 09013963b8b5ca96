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
// names baked into the sources of every plugin package are checked against
// its package.json here, in one place for the backend and the scaffolder
// module.
const pluginsDir = path.resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)
      ? [full]
      : [];
  });
}

const packages = fs.readdirSync(pluginsDir).flatMap(dir => {
  const packageDir = path.join(pluginsDir, dir);
  const packageJsonPath = path.join(packageDir, 'package.json');
  if (!fs.existsSync(packageJsonPath)) return [];
  const packageJson = JSON.parse(fs.readFileSync(packageJsonPath, 'utf8'));
  const calls = sourceFiles(path.join(packageDir, 'src')).flatMap(file =>
    [
      ...fs
        .readFileSync(file, 'utf8')
        .matchAll(/resolvePackagePath\(\s*'([^']+)',\s*'([^']+)'/g),
    ].map(([, name, relative]) => ({
      file: path.relative(pluginsDir, file),
      name,
      relative,
    })),
  );
  return [{ dir, packageDir, packageJson, calls }];
});

describe('packaging', () => {
  it('finds the resolvePackagePath calls of the backend and the scaffolder module', () => {
    expect(packages.filter(p => p.calls.length > 0).map(p => p.dir)).toEqual(
      expect.arrayContaining([
        'onepassword-backend',
        'scaffolder-backend-module-onepassword',
      ]),
    );
  });

  describe.each(packages.filter(p => p.calls.length > 0))('$dir', pkg => {
    it('names its own package in every resolvePackagePath call', () => {
      for (const call of pkg.calls) {
        expect(call).toEqual({ ...call, name: pkg.packageJson.name });
      }
    });

    it('publishes every file resolvePackagePath reads', () => {
      for (const { relative } of pkg.calls) {
        expect(fs.existsSync(path.join(pkg.packageDir, relative))).toBe(true);
        expect(pkg.packageJson.files).toContain(relative.split('/')[0]);
      }
    });

    it('publishes its config schema', () => {
      expect(pkg.packageJson.configSchema).toBe('config.d.ts');
      expect(pkg.packageJson.files).toContain('config.d.ts');
    });
  });
});
