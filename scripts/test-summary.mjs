// Prints one closing line, `N passed, N failed, N skipped`, summed over the
// jest and Playwright JSON reports, and exits non-zero when a step or a test failed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [resultsDir, ...failedSteps] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

// jest.json (every package) and jest-real.json (the real-component suites).
for (const name of ['jest.json', 'jest-real.json']) {
  const jestReport = join(resultsDir, name);
  if (!existsSync(jestReport)) continue;
  const jest = JSON.parse(readFileSync(jestReport, 'utf8'));
  passed += jest.numPassedTests;
  failed += jest.numFailedTests;
  skipped += jest.numPendingTests + jest.numTodoTests;
  // A suite that fails to load counts no test, so count it as a failure.
  failed += jest.numRuntimeErrorTestSuites ?? 0;
}

const playwrightReport = join(resultsDir, 'playwright.json');
if (existsSync(playwrightReport)) {
  const { stats } = JSON.parse(readFileSync(playwrightReport, 'utf8'));
  passed += stats.expected + stats.flaky;
  failed += stats.unexpected;
  skipped += stats.skipped;
}

if (failedSteps.length > 0) {
  console.log(`failed steps: ${failedSteps.join(', ')}`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps.length > 0 || failed > 0 || passed === 0 ? 1 : 0);
