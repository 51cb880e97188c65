/** The result table and the JSON file. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awaitQuiet, CORES, foreignPct, snap } from './machine';
import { isInterrupted } from './proc';
import { fmtNum } from './util';

export interface Target {
  op: '>=' | '<' | '<=';
  value: number;
}

export interface Figure {
  id: string;
  figure: string;
  /** the baseline as measured, with its unit ('' when the figure is absolute) */
  baseline: string;
  /** Wirebench as measured, with its unit */
  wirebench: string;
  /** what the target is checked against: a ratio (unit '×') or an absolute value */
  value: number;
  unit: string;
  /** absent: reported for information only */
  target?: Target;
  /** anything worth reading next to the number */
  note?: string;
  /** raw numbers for the JSON */
  raw?: Record<string, unknown>;
}

export const verdict = (f: Figure): 'PASS' | 'SHORT' | 'info' | 'n/a' => {
  if (!f.target) return 'info';
  if (!Number.isFinite(f.value)) return 'n/a';
  const { op, value } = f.target;
  const ok = op === '>=' ? f.value >= value : op === '<' ? f.value < value : f.value <= value;
  return ok ? 'PASS' : 'SHORT';
};

export class Report {
  readonly figures: Figure[] = [];
  readonly failures: { part: string; error: string }[] = [];
  readonly meta: Record<string, unknown> = {};
  /** where latest.json (and screenshots of failed UI parts) go; kept after the run */
  readonly dir = mkdtempSync(join(tmpdir(), 'wirebench-bench-results-'));

  add(f: Figure): void {
    this.figures.push(f);
    const v = verdict(f);
    const tgt = f.target ? ` (target ${f.target.op} ${f.target.value}${f.unit === '×' ? '×' : ` ${f.unit}`})` : '';
    console.log(`  · ${f.figure}: ${fmtNum(f.value)}${f.unit === '×' ? '×' : ` ${f.unit}`}${tgt} ${v}${f.note ? ` — ${f.note}` : ''}`);
  }

  /** per part: how long it ran and how busy the rest of the machine was meanwhile */
  readonly parts: { name: string; seconds: number; foreignPct: number; waitedForQuietMs: number; quietPct: number }[] = [];

  /**
   * Run one part of the bench: wait (bounded) for the machine to be quiet,
   * run it, note how much CPU other processes took meanwhile. A part that
   * throws is reported (`onFail` may add evidence) and the run goes on.
   */
  async part(name: string, f: () => Promise<void>, onFail?: () => Promise<void>, after?: () => string): Promise<void> {
    if (isInterrupted()) return;
    const quiet = await awaitQuiet(this.quietPct, this.quietWaitMs);
    const a = snap();
    try {
      await f();
    } catch (e) {
      this.fail(name, e);
      await onFail?.().catch(() => undefined);
    }
    const b = snap();
    const p = { name, seconds: (b.at - a.at) / 1000, foreignPct: foreignPct(a, b), waitedForQuietMs: quiet.waitedMs, quietPct: quiet.pct };
    this.parts.push(p);
    let extra = '';
    try {
      extra = after ? `; ${after()}` : '';
    } catch {
      // e.g. the serve process is already gone
    }
    const busy = p.foreignPct >= this.quietPct ? ` — BUSY MACHINE: other processes used ${p.foreignPct.toFixed(0)}% of a core` : '';
    console.log(
      `  (${name}: ${p.seconds.toFixed(1)} s; other processes ${p.foreignPct.toFixed(0)}% of a core` +
        `${quiet.waitedMs > 1500 ? `, waited ${(quiet.waitedMs / 1000).toFixed(0)} s for quiet` : ''}${extra})${busy}`,
    );
  }
  /** other processes' CPU (% of one core) under which a part may start; how long to wait for that */
  quietPct = 15;
  quietWaitMs = 30_000;

  fail(part: string, e: unknown): void {
    const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    this.failures.push({ part, error });
    console.error(`  ! ${part} failed: ${error}`);
  }

  print(): void {
    const head = ['figure', 'baseline', 'wirebench', 'ratio / value', 'target', 'result'];
    const rows = this.figures.map((f) => [
      f.figure,
      f.baseline,
      f.wirebench,
      `${fmtNum(f.value)}${f.unit === '×' ? '×' : ` ${f.unit}`}`,
      f.target ? `${f.target.op} ${f.target.value}${f.unit === '×' ? '×' : ` ${f.unit}`}` : '',
      verdict(f),
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
    console.log(`\n${line(head)}\n${widths.map((w) => '─'.repeat(w)).join('  ')}`);
    for (const r of rows) console.log(line(r));
    const notes = this.figures.filter((f) => f.note);
    if (notes.length > 0) {
      console.log('\nnotes:');
      for (const f of notes) console.log(`  ${f.figure}: ${f.note}`);
    }
    if (this.failures.length > 0) {
      console.log('\nparts that did not complete:');
      for (const f of this.failures) {
        const page = f.error.split('\n').find((l) => l.startsWith('page errors: '));
        console.log(`  ${f.part}: ${f.error.split('\n')[0]}${page ? `\n    ${page}` : ''}`);
      }
    }
    const busy = this.parts.filter((p) => p.foreignPct >= this.quietPct);
    const avg = this.parts.reduce((a, p) => a + p.foreignPct * p.seconds, 0) / Math.max(1e-9, this.parts.reduce((a, p) => a + p.seconds, 0));
    console.log(
      `\nmachine: ${CORES} cores; other processes used on average ${avg.toFixed(0)}% of one core during the parts` +
        (busy.length > 0 ? `; busy during: ${busy.map((p) => `${p.name} (${p.foreignPct.toFixed(0)}%)`).join(', ')} — treat those figures with care` : ''),
    );
    const short = this.figures.filter((f) => verdict(f) === 'SHORT').length;
    const pass = this.figures.filter((f) => verdict(f) === 'PASS').length;
    console.log(`\n${pass} PASS, ${short} SHORT, ${this.failures.length} failed part(s)`);
  }

  /** Writes latest.json into the results folder and returns its path. */
  writeJson(): string {
    const path = join(this.dir, 'latest.json');
    const out = {
      ...this.meta,
      finishedAt: new Date().toISOString(),
      figures: this.figures.map((f) => ({ ...f, result: verdict(f) })),
      parts: this.parts,
      failures: this.failures,
    };
    writeFileSync(path, JSON.stringify(out, null, 2));
    return path;
  }
}
