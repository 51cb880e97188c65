/**
 * `wirebench log` as a separate process over loopback: rotation by size with
 * a retention limit and by age, the plain status lines, and a clean stop on
 * SIGTERM / SIGINT (every file readable by tshark to its end).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createConnection } from 'node:net';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDuration, parseLogFlags, parseSessionUrl, parseSize } from './log-args';

const run = promisify(execFile);
const CLI = join(__dirname, 'log-cli.ts');

interface Running {
  child: ChildProcess;
  out: () => string;
  waitFor(re: RegExp, ms?: number): Promise<RegExpExecArray>;
  exited: Promise<number | null>;
}

function startLog(args: string[]): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let waiters: Array<() => void> = [];
  const feed = (d: Buffer): void => {
    out += d.toString();
    for (const w of waiters) w();
  };
  child.stdout?.on('data', feed);
  child.stderr?.on('data', feed);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    child,
    out: () => out,
    exited,
    waitFor(re, ms = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re} in:\n${out}`)), ms);
        const check = (): void => {
          const m = re.exec(out);
          if (!m) return;
          clearTimeout(timer);
          waiters = waiters.filter((w) => w !== check);
          resolve(m);
        };
        waiters.push(check);
        check();
      });
    },
  };
}

async function tsharkCount(path: string): Promise<number> {
  // tshark fails on a truncated file: a count means the file is whole
  const { stdout } = await run('tshark', ['-n', '-r', path, '-T', 'fields', '-e', 'frame.number']);
  return stdout.split('\n').filter((l) => l !== '').length;
}

async function until(pred: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const pcaps = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.pcapng')).sort();

describe('wirebench log: arguments', () => {
  it('reads sizes, ages and session URLs', () => {
    expect(parseSize('100MB')).toBe(100 * 1024 * 1024);
    expect(parseSize('64KB')).toBe(65_536);
    expect(parseSize('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('1h')).toBeUndefined();
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('100')).toBeUndefined();
    expect(parseSessionUrl('udp://0.0.0.0:9999')).toEqual({ kind: 'udp', family: 'udp4', bindAddress: '0.0.0.0', bindPort: 9999 });
    expect(parseSessionUrl('udp://[::]:9999')).toMatchObject({ family: 'udp6', bindAddress: '::' });
    expect(parseSessionUrl('tcp-server://127.0.0.1:7000')).toEqual({ kind: 'tcp-server', host: '127.0.0.1', port: 7000 });
    expect(parseSessionUrl('tcp://example.test:7')).toEqual({ kind: 'tcp-client', host: 'example.test', port: 7 });
    expect(() => parseSessionUrl('http://x:1')).toThrow(/unknown scheme/);
    const f = parseLogFlags(['log', 'udp://127.0.0.1:0', '--rotate', '100MB', '--rotate', '1h', '--keep', '24', '--sequence', '0:4:le'], '/tmp');
    expect(f).toMatchObject({ out: '/tmp', rotate: { maxBytes: 100 * 1024 * 1024, maxAgeMs: 3_600_000, keep: 24 }, sequence: { offset: 0, width: 4, endian: 'le' } });
    expect(() => parseLogFlags([])).toThrow(/session URL/);
  });
});

describe('wirebench log: a separate process', () => {
  let dir = '';
  let running: Running | undefined;
  afterEach(async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
    running = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('rotates by size, keeps the newest files, prints plain status lines and stops cleanly on SIGTERM', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wb-log-'));
    running = startLog(['udp://127.0.0.1:0', '--out', dir, '--rotate', '64KB', '--keep', '3', '--status-every', '300ms']);
    const port = Number((await running.waitFor(/Logging .*127\.0\.0\.1:(\d+)/))[1]);
    const s = createSocket('udp4');
    const total = 2000;
    try {
      await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
      for (let i = 0; i < total; i++) {
        const b = Buffer.alloc(200, 0x62);
        b.writeUInt32BE(i, 0);
        await new Promise((r) => s.send(b, port, '127.0.0.1', r));
      }
    } finally {
      s.close();
    }
    // a packet of 200 payload bytes is a 260-byte block: 2,000 of them fill 8 files of 64 KB
    await running.waitFor(/2,000 datagrams, .*1 sources, 3 files/);
    expect(running.out()).toMatch(/^\d{4}-\d\d-\d\dT\S+ 127\.0\.0\.1:\d+: [\d,]+\/s, /m);
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    expect(running.out()).toMatch(/Stopping \(SIGTERM\): closing the files/);

    const files = pcaps(dir);
    expect(files).toHaveLength(3);
    let packets = 0;
    for (const [i, f] of files.entries()) {
      const bytes = statSync(join(dir, f)).size;
      expect(bytes, f).toBeLessThanOrEqual(64 * 1024);
      // every file but the newest is full: the next packet would not have fitted
      if (i < files.length - 1) expect(bytes, f).toBeGreaterThan(64 * 1024 - 260);
      packets += await tsharkCount(join(dir, f));
    }
    // the kept files hold the newest datagrams, up to the last one
    const { stdout } = await run('tshark', ['-n', '-r', join(dir, files.at(-1) ?? ''), '-T', 'fields', '-e', 'udp.payload']);
    expect(stdout.trim().split('\n').at(-1)?.slice(0, 8)).toBe((total - 1).toString(16).padStart(8, '0'));
    expect(packets).toBeGreaterThan(2 * 250);
    expect(packets).toBeLessThan(total);
  }, 120_000);

  it('rotates by age and stops cleanly on SIGINT; logs a TCP server too', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wb-log-'));
    running = startLog(['udp://127.0.0.1:0', 'tcp-server://127.0.0.1:0', '--out', dir, '--rotate', '1s', '--status-every', '10s']);
    const udpPort = Number((await running.waitFor(/Logging 127\.0\.0\.1:(\d+)/))[1]);
    const tcpPort = Number((await running.waitFor(/Logging .*\n?.*Logging 127\.0\.0\.1:(\d+)/))[1]);
    const s = createSocket('udp4');
    const send = (text: string): Promise<unknown> => new Promise((r) => s.send(text, udpPort, '127.0.0.1', r));
    const udpFiles = (): string[] => pcaps(dir).filter((f) => f.includes(`_${udpPort}`) || f.startsWith(`127.0.0.1_${udpPort}`));
    try {
      await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
      await send('one');
      // the file with a packet is closed after a second and a new one begins
      await until(() => udpFiles().length >= 2, 'a rotation by age');
      await send('two');
      await until(() => udpFiles().length >= 3, 'a second rotation by age');
    } finally {
      s.close();
    }
    const c = createConnection({ host: '127.0.0.1', port: tcpPort });
    await new Promise<void>((r) => c.write('hello over tcp', () => r()));
    await until(() => pcaps(dir).some((f) => f.includes(`_${tcpPort}`) && statSync(join(dir, f)).size > 200), 'the TCP chunk on disk');
    c.destroy();
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
    const counts = await Promise.all(udpFiles().map((f) => tsharkCount(join(dir, f))));
    expect(counts.slice(0, 2)).toEqual([1, 1]);
    const tcp = pcaps(dir).filter((f) => f.includes(`_${tcpPort}`));
    const tcpPackets = await Promise.all(tcp.map((f) => tsharkCount(join(dir, f))));
    expect(tcpPackets.reduce((a, b) => a + b, 0)).toBe(1);
  }, 120_000);
});
