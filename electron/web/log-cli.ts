/**
 * `wirebench log`: headless logging, built to out/main/log.js. Opens the
 * sessions given as URLs (or a profile's), captures every received datagram
 * or chunk to rotating files (capture.start with `rotate`), prints a live
 * status line on a terminal or plain periodic lines otherwise, and closes the
 * files cleanly on SIGINT/SIGTERM. Plain Node, like serve mode.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaptureInfo, NetEvent, SessionConfigInput, SessionInfo } from '../../shared/protocol';
import { formatCount } from '../../shared/protocol/format';
import { Backend } from '../backend';
import { ensurePrivateDir } from '../store/private';
import { ProfileStore } from '../store/profiles';
import { defaultDataDir } from './cli';
import { LOG_USAGE, LogUsageError, parseLogFlags, type LogFlags } from './log-args';
import { runAsMain } from './run-main';

/** The record each session keeps beside the files (nobody views it here): small. */
const RECORD_LIMIT = 64 * 1024 * 1024;

function size(b: number): string {
  if (b < 1024) return `${b} B`;
  if (b < 1024 ** 2) return `${(b / 1024).toFixed(1)} KB`;
  if (b < 1024 ** 3) return `${(b / 1024 ** 2).toFixed(1)} MB`;
  return `${(b / 1024 ** 3).toFixed(2)} GB`;
}

interface Logged {
  id: string;
  name: string;
  lastMessages: number;
  lastAt: number;
}

/** One status line for all sessions: rate, datagrams, sources, files. */
export function statusLine(infos: SessionInfo[], captures: Array<CaptureInfo | undefined>, rates: number[]): string {
  return infos
    .map((info, i) => {
      const c = captures[i];
      const files = c?.files ?? [];
      const bytes = files.reduce((a, f) => a + f.bytes, 0);
      const sources = info.kind === 'udp' ? (info.udp?.sources.length ?? 0) : info.peers.length;
      const drops = info.udp?.kernelDrops;
      const unit = info.kind === 'udp' ? 'datagrams' : 'chunks';
      return (
        `${info.name}: ${formatCount(rates[i] ?? 0)}/s, ${formatCount(info.counters.rxMessages)} ${unit}, ${size(info.counters.rxBytes)}, ` +
        `${formatCount(sources)} ${info.kind === 'udp' ? 'sources' : 'peers'}, ${formatCount(files.length)} files (${size(bytes)})` +
        (drops ? `, ${formatCount(drops)} dropped by the OS` : '') +
        (info.state !== 'open' && info.state !== 'listening' && info.state !== 'connected' ? ` [${info.state}]` : '')
      );
    })
    .join(' | ');
}

function configsOf(flags: LogFlags, dataDir: string): SessionConfigInput[] {
  const configs: SessionConfigInput[] = [...flags.urls];
  if (flags.profile !== undefined) configs.push(...new ProfileStore(dataDir).get(flags.profile).sessions.map((s) => s.config));
  return configs.map((c) =>
    c.kind === 'udp'
      ? { ...c, ...(flags.sequence ? { sequence: flags.sequence } : {}), ...(flags.recvBuffer !== undefined ? { recvBufferSize: flags.recvBuffer } : {}) }
      : c,
  );
}

export async function main(argv: string[], out: NodeJS.WriteStream = process.stdout): Promise<number> {
  let flags: LogFlags;
  try {
    flags = parseLogFlags(argv);
  } catch (e) {
    if (!(e instanceof LogUsageError)) throw e;
    console.error(`wirebench log: ${e.message}`);
    console.error('Run with --help to see the options.');
    return 2;
  }
  if (flags.help) {
    out.write(LOG_USAGE);
    return 0;
  }
  // the records only back a viewer, which a headless logger has not: a temp folder unless a data folder is needed
  const tempDir = flags.dataDir === undefined && flags.profile === undefined ? mkdtempSync(join(tmpdir(), 'wirebench-log-')) : undefined;
  const dataDir = flags.dataDir ?? tempDir ?? defaultDataDir();
  try {
    ensurePrivateDir(flags.out);
  } catch (e) {
    console.error(`wirebench log: cannot use ${flags.out}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  const backend = new Backend({ dataDir, captureDir: flags.out, recordLimitBytes: RECORD_LIMIT });
  const client = backend.attach({
    send: (batch: NetEvent[]) => {
      for (const e of batch) {
        if (e.type === 'error') console.error(`\n${new Date(e.ts).toISOString()} error: ${e.message}`);
        else if (e.type === 'session.status' && (e.status.state === 'error' || e.status.state === 'closed' || e.status.state === 'reconnecting'))
          console.error(`\n${new Date(e.ts).toISOString()} ${e.status.reason}`);
      }
    },
    backlog: () => 0,
  });
  const logged: Logged[] = [];
  const cleanup = async (): Promise<void> => {
    client.detach();
    await backend.dispose().catch(() => undefined);
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  };

  try {
    for (const config of configsOf(flags, dataDir)) {
      const r = await backend.handle('session.open', { config });
      if (!r.ok) throw new Error(r.message);
      const info = r.data as SessionInfo;
      const c = await backend.handle('capture.start', {
        sessionId: info.sessionId,
        perPeer: flags.perSource,
        format: flags.format,
        ...(Object.keys(flags.rotate).length > 0 ? { rotate: flags.rotate } : {}),
      });
      if (!c.ok) throw new Error(c.message);
      const where = info.local ? `${info.local.address}:${info.local.port}` : '';
      out.write(`Logging ${info.name}${where && !info.name.includes(where) ? ` (${where})` : ''} to ${flags.out}\n`);
      logged.push({ id: info.sessionId, name: info.name, lastMessages: 0, lastAt: Date.now() });
    }
  } catch (e) {
    console.error(`wirebench log: ${e instanceof Error ? e.message : String(e)}`);
    await cleanup();
    return 1;
  }

  const tty = out.isTTY === true;
  let lastPrinted = Date.now();
  const report = (final = false): void => {
    const infos = backend.manager.list().filter((i) => logged.some((l) => l.id === i.sessionId));
    const now = Date.now();
    const rates = infos.map((info) => {
      const l = logged.find((x) => x.id === info.sessionId);
      if (!l) return 0;
      const rate = Math.round(((info.counters.rxMessages - l.lastMessages) * 1000) / Math.max(1, now - l.lastAt));
      l.lastMessages = info.counters.rxMessages;
      l.lastAt = now;
      return rate;
    });
    const line = statusLine(infos, infos.map((i) => backend.recorder.captureInfo(i.sessionId)), rates);
    if (tty && !final) out.write(`\r\x1b[2K${line.slice(0, Math.max(20, (out.columns ?? 120) - 1))}`);
    else out.write(`${new Date(now).toISOString()} ${line}\n`);
  };
  const ticker = setInterval(() => {
    if (tty || Date.now() - lastPrinted >= flags.statusEveryMs - 50) {
      lastPrinted = Date.now();
      report();
    }
  }, tty ? 1000 : Math.min(1000, flags.statusEveryMs));

  return await new Promise<number>((done) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      clearInterval(ticker);
      if (tty) out.write('\n');
      out.write(`Stopping (${signal}): closing the files…\n`);
      const force = setTimeout(() => done(1), 10_000);
      force.unref();
      void (async () => {
        for (const l of logged) await backend.handle('capture.stop', { sessionId: l.id });
        report(true);
        await cleanup();
        done(0);
      })().catch(() => done(1));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

runAsMain(import.meta.url, 'wirebench log', main);
