// `npm test`: the unit/socket suite, then the browser e2e suite. Both always
// run (so one failing suite never hides the other's results); the exit code
// is non-zero when either failed.
import { spawnSync } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let failed = false;
for (const script of ['test:unit', 'e2e']) {
  const r = spawnSync(npm, ['run', script], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    failed = true;
    console.error(`\nnpm run ${script} failed (exit ${r.status ?? r.signal})`);
  }
}
process.exit(failed ? 1 : 0);
