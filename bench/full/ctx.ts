/** What the full-stack parts share, and how they shape their figures. */
import type { Report } from '../lib/report';
import type { Serve } from '../lib/serve';
import { fmtNum, mibps } from '../lib/util';
import type { Ui } from './browser';
import type * as net from './net';

export interface FullOptions {
  ingestMiB: number;
  totalMiB: number;
  rows: number;
  searchRows: number;
  echoClients: number;
  echoRounds: number;
  udpRate: number;
  udpSecs: number;
  keys: number;
  /** runs of each ingest measurement (the fastest counts) */
  reps: number;
  /** run only the parts whose name contains one of these (development) */
  only?: string[];
  /** write a CPU profile of the serve process into the results folder */
  profile?: boolean;
}

/** What the parts share: the serve process, the browser once open, and the baselines measured so far. */
export interface Ctx {
  report: Report;
  o: FullOptions;
  serve: Serve;
  ui?: Ui;
  base: { text?: number; binary?: number; udp?: net.UdpCount };
  baseRuns: { text?: number[]; binary?: number[] };
}

export const ratioFigure = (pattern: net.Pattern, bytes: number, baseMs: number, wbMs: number) => ({
  baseline: `${fmtNum(mibps(bytes, baseMs))} MiB/s`,
  wirebench: `${fmtNum(mibps(bytes, wbMs))} MiB/s`,
  value: baseMs / wbMs,
  unit: '×',
  raw: { pattern, bytes, baselineMs: baseMs, wirebenchMs: wbMs },
});

export function udpFigure(id: string, figure: string, b: net.UdpCount, w: net.UdpCount, cpu: string) {
  return {
    id,
    figure,
    baseline: `${b.got}/${b.sent}`,
    wirebench: `${w.got}/${w.sent}`,
    value: w.got / w.sent / (b.got / b.sent),
    unit: '×',
    target: { op: '>=' as const, value: 0.9 },
    note: `offered ${fmtNum(b.sent / (b.ms / 1000))} / ${fmtNum(w.sent / (w.ms / 1000))} dgram/s (${b.sender}); kernel receive-buffer drops ${b.rcvbufDrops} / ${w.rcvbufDrops} (baseline / wirebench); ${cpu}`,
    raw: { baseline: b, wirebench: w },
  };
}

