/**
 * npm run bench — Wirebench's throughput, latency and memory figures, each
 * against a baseline measured in the same run on the same machine (or, for
 * latency and memory, against an absolute target).
 *
 *   npm run bench                 in-process figures, then the full stack
 *   npm run bench -- --inproc     in-process figures only (engine + hub, no serve, no browser)
 *   npm run bench -- --full       full stack only: serve mode in its own process + Debian Chromium
 *   npm run bench -- --quick      smaller sizes everywhere (a few minutes less)
 *
 * Sizes: --mb N (in-process TCP, default 64) · --ingest-mb N (each full-stack
 * ingest, default 128) · --total-mb N (received on the visible session before
 * the memory figures, default 1024) · --rows N (the jump test, default 10M) ·
 * --search-rows N (default 1M) · --echo-clients N (default 1000) · --udp-rate N
 * (default 100000) · --udp-secs N (default 5) · --reps N (runs of each ingest, the
 * fastest counts; default 3, 1 with --quick) · --only a,b (full-stack parts whose
 * name contains a or b; for working on one part) · --profile (a CPU profile of the
 * serve process, .cpuprofile in the results folder) · --quiet-pct P --quiet-wait S
 * (before each part, wait up to S s, default 10, until other processes use less
 * than P% of a core, default 15: the figures are only as good as the machine is idle).
 *
 * The full stack runs the built app: when out/ is missing or older than
 * electron/, shared/ or renderer/, the bench builds it first (npx electron-vite
 * build, as `npm run serve` does). Load generators always run in their own
 * processes (bench/procs/*.mjs; the UDP one is compiled from udp-load.c with `cc`
 * when there is a compiler, since Node's dgram cannot offer 100k datagrams/s on
 * a small machine), over 127.0.0.1 only. Results: a table on stdout and
 * latest.json in a fresh temp folder (its path is printed at the end; kept).
 */
import { runFull } from './full/run-full';
import { runInproc } from './inproc';
import { cleanupAll } from './lib/proc';
import { Report } from './lib/report';
import { flag, num, str } from './lib/util';

const quick = flag('quick');
const onlyInproc = flag('inproc');
const onlyFull = flag('full');
const only = str('only')?.split(',');

async function main(): Promise<number> {
  const report = new Report();
  const started = Date.now();
  report.meta.startedAt = new Date().toISOString();
  report.meta.argv = process.argv.slice(2);
  report.meta.quick = quick;
  console.log(`Wirebench bench${quick ? ' (quick)' : ''} — loopback only, load generators in their own processes`);

  report.quietPct = num('quiet-pct', 15);
  report.quietWaitMs = num('quiet-wait', 10) * 1000;
  if (!onlyFull) {
    await report.part('in-process', () =>
      runInproc(report, {
        mb: num('mb', quick ? 32 : 64),
        udpRate: num('udp-rate', 100_000),
        udpSecs: quick ? 1 : 2,
        pings: num('pings', quick ? 1000 : 2000),
      }),
    );
    await cleanupAll();
  }
  if (!onlyInproc) {
    try {
      await runFull(report, {
        ingestMiB: num('ingest-mb', quick ? 32 : 128),
        totalMiB: num('total-mb', quick ? 256 : 1024),
        rows: num('rows', quick ? 1_000_000 : 10_000_000),
        searchRows: num('search-rows', quick ? 200_000 : 1_000_000),
        echoClients: num('echo-clients', quick ? 200 : 1000),
        echoRounds: num('echo-rounds', 10),
        udpRate: num('udp-rate', 100_000),
        udpSecs: num('udp-secs', quick ? 2 : 5),
        keys: num('keys', quick ? 40 : 100),
        reps: num('reps', quick ? 1 : 3),
        ...(only ? { only } : {}),
        profile: flag('profile'),
      });
    } catch (e) {
      report.fail('full stack', e);
    }
    await cleanupAll();
  }

  report.meta.seconds = Math.round((Date.now() - started) / 1000);
  report.print();
  const path = report.writeJson();
  console.log(`\nran ${report.meta.seconds} s · JSON: ${path}`);
  return report.failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (e) => {
    console.error(e);
    await cleanupAll();
    process.exit(1);
  },
);
