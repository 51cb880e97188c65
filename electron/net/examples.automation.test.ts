/**
 * The built-in example rule sets against real clients: curl and Python's
 * smtplib complete an SMTP dialogue; curl gets the HTTP responder's body.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionConfigSchema } from '../../shared/protocol/schemas';
import { exampleProfile, HTTP_BODY, type ExampleProfileId } from '../../shared/rules/examples';
import { EventCollector } from '../../test/fixtures/net-helpers';
import { SessionManager } from './manager';

const CURL = '/usr/bin/curl';
const hasCurl = existsSync(CURL);

function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 15_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let hasPython = false;
let rec: EventCollector;
let mgr: SessionManager;
beforeEach(async () => {
  rec = new EventCollector();
  mgr = new SessionManager(rec.sink);
  hasPython = (await run('python3', ['-c', 'import smtplib'])).code === 0;
});
afterEach(async () => {
  await mgr.closeAll();
});

async function example(id: ExampleProfileId): Promise<{ sid: string; port: number }> {
  const ex = exampleProfile(id);
  const info = await mgr.open(sessionConfigSchema.parse({ kind: 'tcp-server', host: '127.0.0.1', port: 0, framing: ex.framing }));
  mgr.setRules(info.sessionId, ex.rules);
  return { sid: info.sessionId, port: info.local?.port as number };
}

/** Each received message as text (the example dialogues are ASCII). */
const rxLines = (sid: string): string[] => rec.texts(sid, 'rx');

describe('SMTP example', () => {
  it('curl sends a mail through the whole dialogue', async (t) => {
    if (!hasCurl) {
      console.log(`skipped: ${CURL} is not installed`);
      t.skip();
    }
    const { sid, port } = await example('smtp');
    const dir = await mkdtemp(join(tmpdir(), 'wb-smtp-'));
    try {
      const mail = join(dir, 'mail.txt');
      await writeFile(mail, 'Subject: Wirebench test\r\n\r\nfirst body line\r\nsecond body line\r\n');
      const r = await run(CURL, ['-sS', '--url', `smtp://127.0.0.1:${port}`, '--mail-from', 'a@example.com', '--mail-rcpt', 'b@example.com', '-T', mail]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      await rec.until(() => rec.of('peer.left', sid).length === 1);
      const rx = rxLines(sid);
      expect(rx).toEqual(expect.arrayContaining(['MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.com>', 'DATA', 'first body line', 'second body line', '.', 'QUIT']));
      const tx = rec.text(sid, 'tx');
      expect(tx).toMatch(/^220 wirebench\.local/);
      expect(tx).toContain('250 OK: queued as 1\r\n');
      expect(tx.endsWith('221 Bye\r\n')).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("Python's smtplib sends a mail", async (t) => {
    if (!hasPython) {
      console.log('skipped: python3 with smtplib is not available');
      t.skip();
    }
    const { sid, port } = await example('smtp');
    // a body line that starts like a command stays body: DATA collects until "."
    const script = `import smtplib; s=smtplib.SMTP('127.0.0.1', ${port}); s.sendmail('a@example.com', ['b@example.com'], 'Subject: hi\\r\\n\\r\\nbody\\r\\nMAIL FROM: <x@y>\\r\\nQUIT'); s.quit()`;
    const r = await run('python3', ['-c', script]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    await rec.until(() => rec.of('peer.left', sid).length === 1);
    // smtplib writes its commands in lower case ("mail FROM:"): the rules ignore case
    expect(rxLines(sid).map((l) => l.toUpperCase())).toEqual(expect.arrayContaining(['DATA', 'SUBJECT: HI', 'BODY', 'MAIL FROM: <X@Y>', '.', 'QUIT']));
    const tx = rec.text(sid, 'tx');
    expect(tx).toContain('354 End data');
    expect(tx.slice(tx.indexOf('354 End data'))).toBe('354 End data with <CR><LF>.<CR><LF>\r\n250 OK: queued as 1\r\n221 Bye\r\n');
    expect(mgr.ruleStats(sid).find((s) => s.ruleId === 'mail-from')?.hits).toBe(1); // the body's MAIL FROM line was not a command
  });
});

describe('HTTP example', () => {
  it('curl GET prints the body exactly', async (t) => {
    if (!hasCurl) {
      console.log(`skipped: ${CURL} is not installed`);
      t.skip();
    }
    const { port } = await example('http');
    const r = await run(CURL, ['-sS', `http://127.0.0.1:${port}/hello`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(HTTP_BODY);
  });

  it('curl -I gets the headers only', async (t) => {
    if (!hasCurl) {
      console.log(`skipped: ${CURL} is not installed`);
      t.skip();
    }
    const { sid, port } = await example('http');
    const r = await run(CURL, ['-sS', '-I', `http://127.0.0.1:${port}/hello`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(r.stdout).toContain(`Content-Length: ${Buffer.byteLength(HTTP_BODY)}\r\n`);
    expect(r.stdout).not.toContain(HTTP_BODY);
    expect(rxLines(sid)[0]).toMatch(/^HEAD \/hello HTTP\/1\.1/);
  });
});
