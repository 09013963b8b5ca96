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

import { defineConfig } from '@playwright/test';

/**
 * Browser tests of the whole system: the app is started exactly as the README
 * says (`./scripts/start`, sandbox included) and driven in Debian's Chromium;
 * Playwright never downloads a browser of its own.
 */
export default defineConfig({
  testDir: 'test/e2e',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  // The tests share one sandbox and change it (items, operators): one at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  outputDir: 'test/artifacts/e2e-results',
  webServer: {
    command: './scripts/start',
    url: 'http://localhost:3000',
    env: { SANDBOX_SCENARIO: process.env.SANDBOX_SCENARIO ?? 'demo' },
    reuseExistingServer: !process.env.CI,
    // The first webpack build of the app takes a few minutes on two cores.
    timeout: 900_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
  use: {
    baseURL: 'http://localhost:3000',
    // What a person at a laptop sees; the pages must read at this width.
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    actionTimeout: 20_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
