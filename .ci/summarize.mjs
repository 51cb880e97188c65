// Sums vitest's and Playwright's JSON reports into one closing line:
//   N passed, N failed, N skipped
// Exits non-zero when anything failed, when a report is missing, or when no test ran.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '.ci-out';
let passed = 0;
let failed = 0;
let skipped = 0;
let problems = 0;

const vitestFile = join(dir, 'vitest.json');
if (existsSync(vitestFile)) {
  const r = JSON.parse(readFileSync(vitestFile, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // a test file that failed to load has no tests but counts as a failure
  for (const f of r.testResults ?? []) {
    if (f.status === 'failed' && (f.assertionResults ?? []).length === 0) {
      failed += 1;
      console.log(`suite failed to run: ${f.name}: ${String(f.message ?? '').split('\n')[0]}`);
    }
  }
  console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${(r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)} skipped`);
} else {
  console.log(`missing ${vitestFile}: the unit tests did not run`);
  problems += 1;
}

const pwFile = join(dir, 'playwright.json');
if (existsSync(pwFile)) {
  const r = JSON.parse(readFileSync(pwFile, 'utf8'));
  const s = r.stats ?? {};
  const pwPassed = (s.expected ?? 0) + (s.flaky ?? 0);
  const pwFailed = s.unexpected ?? 0;
  const pwSkipped = s.skipped ?? 0;
  passed += pwPassed;
  failed += pwFailed;
  skipped += pwSkipped;
  for (const e of r.errors ?? []) {
    failed += 1;
    console.log(`playwright error: ${String(e.message ?? '').split('\n')[0]}`);
  }
  console.log(`playwright: ${pwPassed} passed, ${pwFailed} failed, ${pwSkipped} skipped`);
  if (s.flaky) console.log(`playwright: ${s.flaky} test(s) passed only on retry (flaky): see the list above`);
} else {
  console.log(`missing ${pwFile}: the end-to-end tests did not run`);
  problems += 1;
}

console.log(`${passed} passed, ${failed + problems} failed, ${skipped} skipped`);
if (failed + problems > 0 || passed === 0) process.exit(1);
