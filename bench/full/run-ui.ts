/**
 * The full-stack parts that run with the UI open on the session under test:
 * UDP, the echo rule, jumping to row 1 of a long log, and search.
 */
import { withClient, type WsClient } from '../lib/serve';
import { dist, fmtNum, until } from '../lib/util';
import { browserCpu, grid, selectSession } from './browser';
import { udpFigure, type Ctx } from './ctx';
import * as net from './net';
import { jumpToTop, search } from './ui';

const LF = new Uint8Array([10]);
const lineName = (i: number) => `L${String(i).padStart(9, '0')}`;

async function udpLive(ctx: Ctx): Promise<void> {
  const { report, serve, o, ui } = ctx;
  // the baseline again, next to this run: the machine may be busier or quieter than before
  const base = await net.udpSinkCount(o.udpRate, o.udpSecs);
  const s = await withClient(serve, (c) => net.openSession(c, 'bench-udp', { kind: 'udp', bindAddress: '127.0.0.1', bindPort: 0 }));
  await selectSession(ui!.page, 'bench-udp');
  const c = await net.cpuDuring(serve.pid, () => browserCpu(ui!), () => net.udpSessionCount(serve, s.sessionId, s.local!.port, o.udpRate, o.udpSecs));
  const w = c.result;
  report.add(udpFigure('full.udp.live', `UDP ${fmtNum(o.udpRate / 1000)}k dgram/s × ${o.udpSecs} s, UI live on it`, base, w, net.fmtCpu(c)));
}

async function echoLive(ctx: Ctx): Promise<void> {
  const { report, serve, o, ui } = ctx;
  const b = await net.echoBaseline(o.echoClients, o.echoRounds);
  const s = await withClient(serve, async (c) => {
    const info = await net.openSession(c, 'bench-echo', { kind: 'tcp-server', host: '127.0.0.1', port: 0 });
    await c.call('rules.set', { sessionId: info.sessionId, rules: { echo: true, rules: [] } });
    return info;
  });
  await selectSession(ui!.page, 'bench-echo');
  const w = await net.echoLoad(s.local!.port, o.echoClients, o.echoRounds, async () => {
    await net.waitCounters(serve, s.sessionId, 'every echo client to be a peer', (i) => i.peers.length === o.echoClients, 60_000);
  });
  const loadEnd = performance.now();
  report.add({
    id: 'full.echo.p99',
    figure: `echo rule, ${o.echoClients} clients × ${o.echoRounds} rounds of 32 B, p99 RTT (lower is better)`,
    baseline: `p50 ${fmtNum(b.p50)} / p99 ${fmtNum(b.p99)} ms`,
    wirebench: `p50 ${fmtNum(w.p50)} / p99 ${fmtNum(w.p99)} ms`,
    value: w.p99 / b.p99,
    unit: '×',
    target: { op: '<=', value: 1.5 },
    note: `all round trips took ${fmtNum(b.ms)} ms (baseline) / ${fmtNum(w.ms)} ms (wirebench); max ${fmtNum(b.max)} / ${fmtNum(w.max)} ms`,
    raw: { baseline: b, wirebench: w },
  });
  // how far the UI fell behind: until its counters show every echoed message (or give up)
  const want = o.echoClients * o.echoRounds;
  const rx = ui!.page.getByTestId('counter-rx-messages');
  const caughtUp = await until('the UI to show every echo message', async () => Number((await rx.innerText()).replace(/\D/g, '')) >= want, 180_000, 250)
    .then(() => performance.now() - loadEnd)
    .catch(() => NaN);
  report.add({
    id: 'full.echo.ui-lag',
    figure: 'echo: the UI shows the final counters, after the load ended',
    baseline: '',
    wirebench: Number.isNaN(caughtUp) ? 'not within 180 s' : `${fmtNum(caughtUp / 1000)} s`,
    value: caughtUp / 1000,
    unit: 's',
    raw: { caughtUpMs: caughtUp },
  });
  // leave the next part a UI that is not still digesting a thousand peers
  await withClient(serve, (c) => c.call('session.close', { sessionId: s.sessionId }));
}

/** A TCP server session with LF framing that received `rows` short lines (needles as asked), selected in the UI. */
async function linesSession(ctx: Ctx, name: string, rows: number, needle?: net.Needle): Promise<string> {
  const { serve, ui } = ctx;
  const s = await withClient(serve, (c) =>
    net.openSession(c, name, { kind: 'tcp-server', host: '127.0.0.1', port: 0, framing: { kind: 'delimiter', delimiter: LF } }),
  );
  await selectSession(ui!.page, name);
  const t = performance.now();
  await net.tcpLines(s.local!.port, rows, needle);
  const info = await net.waitCounters(serve, s.sessionId, `${name} to hold ${rows} rows`, (i) => i.counters.rxMessages >= rows, 600_000);
  const ms = performance.now() - t;
  ctx.report.meta[`${name}.ingest`] = { rows, ms, rowsPerSec: (rows / ms) * 1000, log: info.log };
  console.log(`  ${name}: ${rows.toLocaleString('en-US')} rows in ${fmtNum(ms / 1000)} s (log ${JSON.stringify(info.log)})`);
  // the view follows the tail: wait until the newest row is on screen
  const last = needle && rows % needle.every === needle.offset ? `${lineName(rows)} ${needle.text}` : lineName(rows);
  await until(`${name}'s last row on screen`, () => grid(ui!.page).getByRole('row').filter({ hasText: last }).count(), 30_000, 50);
  return s.sessionId;
}

/** The engine alone, through the API (no UI): median ms of `n` calls of `f`. */
async function engineMs(ctx: Ctx, n: number, f: (c: WsClient) => Promise<unknown>): Promise<number> {
  return withClient(ctx.serve, async (c) => {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await f(c);
      ms.push(performance.now() - t);
    }
    return dist(ms).p50;
  });
}

async function jump(ctx: Ctx): Promise<void> {
  const { report, o, ui } = ctx;
  const sessionId = await linesSession(ctx, 'bench-rows', o.rows);
  const r = await jumpToTop(ui!.page, lineName(1));
  // the same window straight from the engine, to tell its share from the UI's
  const readMs = await engineMs(ctx, 5, (c) => c.call('log.read', { sessionId, fromSeq: 1, count: 100 }));
  report.add({
    id: 'full.jump',
    figure: `jump to row 1 of ${o.rows.toLocaleString('en-US')} rows`,
    baseline: '',
    wirebench: `${fmtNum(r.ms)} ms (painted ${fmtNum(r.paintedMs)} ms)`,
    value: r.paintedMs,
    unit: 'ms',
    target: { op: '<', value: 200 },
    note: `${r.how}; ${r.phases}; the engine alone answers log.read of rows 1–100 in ${fmtNum(readMs)} ms (API, median of 5)`,
    raw: { ...r, engineReadMs: readMs },
  });
}

async function searchPart(ctx: Ctx): Promise<void> {
  const { report, o, ui } = ctx;
  const every = Math.max(1, Math.floor(o.searchRows / 10));
  // needles halfway between multiples of `every`: 10 matches, the first a twentieth into the record,
  // none of them in the live tail
  const text = 'NEEDLE-q7xk';
  const sessionId = await linesSession(ctx, 'bench-search', o.searchRows, { every, text, offset: Math.floor(every / 2) });
  const first = lineName(Math.floor(every / 2));
  const last = lineName(Math.floor(every / 2) + 9 * every);
  const r = await search(ui!.page, text.toLowerCase(), first, last);
  // the engine alone: one whole scan through the API, in 5-second pages
  const scanMs = await engineMs(ctx, 1, async (c) => {
    let from: number | undefined;
    for (;;) {
      const p = await c.call('log.search', { sessionId, filter: { query: text.toLowerCase() }, maxMatches: 100_000, budgetMs: 5000, ...(from ? { fromSeq: from } : {}) });
      if (p.done) return;
      from = p.nextSeq;
    }
  });
  report.add({
    id: 'full.search.first',
    figure: `search over ${o.searchRows.toLocaleString('en-US')} rows: first match on screen`,
    baseline: '',
    wirebench: `${fmtNum(r.firstMs)} ms (painted ${fmtNum(r.firstPaintedMs)} ms)`,
    value: r.firstPaintedMs,
    unit: 'ms',
    target: { op: '<', value: 500 },
    note: `${r.phases}; status "${r.status}"; rAF gaps during the search p99 ${fmtNum(r.frames.p99)} / max ${fmtNum(r.frames.max)} ms`,
    raw: { ...r },
  });
  report.add({
    id: 'full.search.page',
    figure: `search over ${o.searchRows.toLocaleString('en-US')} rows: all 10 matches (whole record scanned)`,
    baseline: '',
    wirebench: `${fmtNum(r.lastMs)} ms`,
    value: r.lastMs,
    unit: 'ms',
    note: `the engine alone scans the ${o.searchRows.toLocaleString('en-US')} rows in ${fmtNum(scanMs)} ms (log.search through the API, one 5 s page budget): ${fmtNum(o.searchRows / scanMs)} rows/ms`,
    raw: { lastMs: r.lastMs, engineScanMs: scanMs },
  });
  report.add({
    id: 'full.search.raf',
    figure: 'rAF gap during the search, max',
    baseline: '',
    wirebench: `p50 ${fmtNum(r.frames.p50)} / p99 ${fmtNum(r.frames.p99)} / max ${fmtNum(r.frames.max)} ms`,
    value: r.frames.max,
    unit: 'ms',
    raw: { ...r.frames },
  });
}

export const laterParts: [string, (ctx: Ctx) => Promise<void>][] = [
  ['UDP with UI live', udpLive],
  ['jump to row 1', jump],
  ['search', searchPart],
  // last: a thousand peers joining keeps the UI busy long after the load
  ['echo rule with UI live', echoLive],
];
