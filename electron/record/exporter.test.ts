/**
 * Exports stream a session's whole spill log into a file, over real sockets:
 * complete even when the view ring dropped rows; pcapng read back by tshark.
 */
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExportInfo } from '../../shared/protocol';
import { connect, exportDone, makeBackend, openSession, rxMessagesReached, sleep, type TestBackend } from './recorder.test-util';

const TSHARK = '/usr/bin/tshark';
const N = 5000;

async function exportOf(t: TestBackend, sessionId: string, format: string, language?: string): Promise<{ start: ExportInfo; end: ExportInfo; text: string }> {
  const start = await t.call('export.start', { sessionId, format, timeZone: 'utc', ...(language ? { language } : {}) });
  const end = (await exportDone(t, start.exportId)).export;
  return { start, end, text: readFileSync(end.path, 'utf8') };
}

describe('export', () => {
  let t: TestBackend | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('writes every one of 5,000 messages to txt, csv and jsonl although the view kept 100', async () => {
    t = makeBackend();
    const s = await openSession(t, {
      kind: 'tcp-server',
      host: '127.0.0.1',
      port: 0,
      name: 'Lines',
      framing: { kind: 'delimiter', delimiter: new Uint8Array([0x0a]) },
    });
    const c = await connect(s.local?.port ?? 0);
    let all = '';
    for (let i = 0; i < N; i++) all += `line ${i} é\n`;
    c.write(all);
    await rxMessagesReached(t, s.sessionId, N);
    await t.call('session.send', { sessionId: s.sessionId, payload: { kind: 'text', text: 'bye' } });
    expect(t.view.droppedRows).toBeGreaterThan(N - 200);

    const jsonl = await exportOf(t, s.sessionId, 'jsonl');
    expect(jsonl.start).toMatchObject({ done: false, records: 0, totalRecords: N + 1, format: 'jsonl' });
    expect(jsonl.start.name).toMatch(/^Lines-\d{8}-\d{6}\.jsonl$/);
    expect(jsonl.end).toMatchObject({ done: true, records: N + 1, totalRecords: N + 1 });
    expect(jsonl.end.error).toBeUndefined();
    const rows = jsonl.text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(N + 1);
    expect(rows[0]).toMatchObject({ dir: 'rx', transport: 'tcp', text: 'line 0 é', encoding: 'UTF-8', peerId: 'p1' });
    expect(rows[0]?.local).toEqual({ address: '127.0.0.1', port: s.local?.port, family: 'IPv4' });
    expect(rows[N - 1]).toMatchObject({ text: `line ${N - 1} é` });
    expect(rows[N]).toMatchObject({ dir: 'tx', text: 'bye', hex: '627965' });

    const csv = await exportOf(t, s.sessionId, 'csv');
    expect(csv.text.startsWith('\ufefftime,direction,transport,local,remote,length,hex,text\r\n')).toBe(true);
    expect(csv.text.split('\r\n').filter((l) => l !== '')).toHaveLength(N + 2);
    expect(csv.text).toContain(',RX,TCP,127.0.0.1:');

    const txt = await exportOf(t, s.sessionId, 'txt-text');
    const lines = txt.text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^# Wirebench log export of session 'Lines' \(TCP\), made \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \(UTC\)$/);
    expect(lines[1]).toBe(`# ${(N + 1).toLocaleString('en-US')} messages, received (RX) and sent (TX), oldest first`);
    expect(lines[2]).toMatch(/^# Each line: time \(UTC\), RX or TX, the other end, \(length in bytes\), then the text decoded as UTF-8; /);
    expect(lines).toHaveLength(N + 4);
    expect(lines[3]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} RX 127\.0\.0\.1:\d+ \(9 B\) line 0 é$/);

    const hex = await exportOf(t, s.sessionId, 'txt-hexdump', 'zh-CN');
    expect(hex.start.language).toBe('zh-CN');
    expect(hex.text.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(/^# Wirebench 日志导出：会话“Lines”（TCP），导出于 \d{4}-.*（UTC）$/),
      `# 共 ${(N + 1).toLocaleString('en-US')} 条消息，包括接收（RX）和发送（TX），按时间先后排列`,
      expect.stringMatching(/^# 每条消息：先是一行时间（UTC）.*Hexdump/),
    ]);
    expect(hex.end.name).toMatch(/-hexdump\.txt$/);
    expect(hex.text).toContain('6c 69 6e 65 20 30 20 c3  a9');

    // progress events ended with done: true for every export, and carry no error
    const finals = t.view.events.filter((e) => e.type === 'export.progress' && e.export.done);
    expect(finals).toHaveLength(4);
    c.destroy();
  });

  it('refuses an unknown session', async () => {
    t = makeBackend();
    expect(await t.raw('export.start', { sessionId: 'nope', format: 'csv' })).toMatchObject({ ok: false, code: 'SESSION_NOT_FOUND' });
  });

  describe.runIf(existsSync(TSHARK))('pcapng, read back by tshark', () => {
    const fields = (file: string, proto: 'tcp' | 'udp'): string[][] =>
      execFileSync(TSHARK, ['-r', file, '-T', 'fields', '-E', 'separator=,', '-e', `${proto}.srcport`, '-e', `${proto}.dstport`, '-e', `${proto}.payload`], {
        encoding: 'utf8',
      })
        .trim()
        .split('\n')
        .map((l) => l.split(','));
    const hex = (s: string): string => Buffer.from(s).toString('hex');

    it('TCP: every payload and port in order', async () => {
      t = makeBackend();
      const s = await openSession(t, { kind: 'tcp-server', host: '127.0.0.1', port: 0 });
      const port = s.local?.port ?? 0;
      const c = await connect(port);
      const cport = c.localPort;
      c.write('hello');
      await rxMessagesReached(t, s.sessionId, 1);
      await t.call('session.send', { sessionId: s.sessionId, payload: { kind: 'text', text: 'pong' } });
      await sleep(20);
      c.write('world');
      await rxMessagesReached(t, s.sessionId, 2);
      const { end } = await exportOf(t, s.sessionId, 'pcapng');
      expect(end).toMatchObject({ done: true, records: 3 });
      expect(fields(end.path, 'tcp')).toEqual([
        [String(cport), String(port), hex('hello')],
        [String(port), String(cport), hex('pong')],
        [String(cport), String(port), hex('world')],
      ]);
      c.destroy();
    });

    it('UDP: every payload and port in order', async () => {
      t = makeBackend();
      const s = await openSession(t, { kind: 'udp', bindAddress: '127.0.0.1', bindPort: 0 });
      const port = s.local?.port ?? 0;
      const peer = createSocket('udp4');
      await new Promise<void>((r) => peer.bind(0, '127.0.0.1', () => r()));
      const pport = peer.address().port;
      peer.send('ping 1', port, '127.0.0.1');
      await rxMessagesReached(t, s.sessionId, 1);
      await t.call('session.send', {
        sessionId: s.sessionId,
        payload: { kind: 'hex', hex: '01 02 03' },
        target: { kind: 'address', host: '127.0.0.1', port: pport },
      });
      peer.send('ping 2', port, '127.0.0.1');
      await rxMessagesReached(t, s.sessionId, 2);
      const { end } = await exportOf(t, s.sessionId, 'pcapng');
      expect(fields(end.path, 'udp')).toEqual([
        [String(pport), String(port), hex('ping 1')],
        [String(port), String(pport), '010203'],
        [String(pport), String(port), hex('ping 2')],
      ]);
      peer.close();
    });
  });
  it.skipIf(existsSync(TSHARK))('pcapng read-back skipped: tshark is not installed at /usr/bin/tshark', () => {
    console.log('skipped: tshark is not installed at /usr/bin/tshark');
  });
});
