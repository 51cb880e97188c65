/**
 * The native dialogs of the desktop commands, with Electron's `dialog`
 * faked and a real engine: what the dialogs propose, that a cancel changes
 * nothing, that the export and the capture go exactly where the user chose,
 * and that a profile picked in the open dialog is imported like
 * profile.import (same checks, same answer).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExportInfo, NetEvent } from '../../shared/protocol';
import { Backend } from '../backend';
import { desktopDialogs, MAX_PROFILE_BYTES, type DialogLike } from './desktop-dialogs';
import type { MenuLang } from './menu-labels';

class FakeDialog implements DialogLike {
  saves: SaveDialogOptions[] = [];
  opens: OpenDialogOptions[] = [];
  /** the next answers: a path, or null for Cancel */
  answers: (string | null)[] = [];
  showSaveDialog(o: SaveDialogOptions) {
    this.saves.push(o);
    const a = this.answers.shift() ?? null;
    return Promise.resolve(a === null ? { canceled: true, filePath: '' } : { canceled: false, filePath: a });
  }
  showOpenDialog(o: OpenDialogOptions) {
    this.opens.push(o);
    const a = this.answers.shift() ?? null;
    return Promise.resolve(a === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [a] });
  }
}

const profileJson = (name: string) => JSON.stringify({ wirebench: 'profile', version: 1, name, sessions: [{ config: { kind: 'tcp-server', host: '127.0.0.1', port: 0 } }] });

describe('desktopDialogs', () => {
  let dir: string;
  let docs: string;
  let hub: Backend;
  let events: NetEvent[];
  let dialog: FakeDialog;
  let lang: MenuLang;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wb-dlg-'));
    docs = join(dir, 'Documents');
    mkdirSync(docs);
    hub = new Backend({ dataDir: join(dir, 'data') });
    events = [];
    hub.attach({ send: (b) => events.push(...b), backlog: () => 0 });
    dialog = new FakeDialog();
    lang = 'en';
  });
  afterEach(async () => {
    await hub.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  const dialogs = () => desktopDialogs({ dialog, backend: hub, lang: () => lang, defaultDir: () => docs });
  const open = async (name: string) => {
    const r = await hub.handle('session.open', { config: { kind: 'udp', bindAddress: '127.0.0.1', bindPort: 0, name } });
    if (!r.ok) throw new Error(r.message);
    return (r.data as { sessionId: string }).sessionId;
  };
  const exportEnd = (id: string) =>
    new Promise<ExportInfo>((resolve) => {
      const look = () => {
        const e = events.find((x) => x.type === 'export.progress' && x.export.exportId === id && x.export.done);
        if (e && e.type === 'export.progress') resolve(e.export);
        else setTimeout(look, 10);
      };
      look();
    });

  it('proposes the session\'s file name in the documents folder, and a cancel starts nothing', async () => {
    const sid = await open('Probe');
    const d = dialogs();
    await expect(d.exportTo({ sessionId: sid, format: 'csv', timeZone: 'utc', language: 'en' })).resolves.toEqual({ ok: true, data: null });
    expect(dialog.saves[0]).toMatchObject({
      title: 'Export Log',
      defaultPath: expect.stringMatching(new RegExp(`^${docs.replace(/[\\\\/]/g, '.')}.Probe-\\d{8}-\\d{6}\\.csv$`)),
      filters: [{ name: 'CSV', extensions: ['csv'] }, { name: 'All Files', extensions: ['*'] }],
      properties: expect.arrayContaining(['showOverwriteConfirmation']),
    });
    expect(events.some((e) => e.type === 'export.progress')).toBe(false);
    expect(existsSync(join(dir, 'data', 'exports'))).toBe(false);
  });

  it('exports to exactly the chosen file, and the next dialog opens in its folder, in the page\'s language', async () => {
    const sid = await open('Probe');
    await hub.handle('session.send', { sessionId: sid, payload: { kind: 'text', text: 'hello' }, target: { kind: 'address', host: '127.0.0.1', port: 9 } });
    const chosen = join(dir, 'elsewhere', 'out.jsonl');
    mkdirSync(join(dir, 'elsewhere'));
    dialog.answers.push(chosen);
    const d = dialogs();
    const r = await d.exportTo({ sessionId: sid, format: 'jsonl', timeZone: 'utc', language: 'en' });
    expect(r).toMatchObject({ ok: true, data: { path: chosen, name: 'out.jsonl', format: 'jsonl' } });
    const end = await exportEnd((r as { data: ExportInfo }).data.exportId);
    expect(end.error).toBeUndefined();
    expect(readFileSync(chosen, 'utf8')).toContain('"text":"hello"');
    lang = 'zh-CN';
    await d.exportTo({ sessionId: sid, format: 'pcapng', timeZone: 'utc', language: 'en' });
    expect(dialog.saves[1]?.title).toBe('导出日志');
    expect(dialog.saves[1]?.defaultPath?.startsWith(join(dir, 'elsewhere'))).toBe(true);
    expect(dialog.saves[1]?.filters?.[0]).toEqual({ name: 'pcapng（Wireshark）', extensions: ['pcapng'] });
  });

  it('starts a capture at the chosen file, in the session\'s default format', async () => {
    const sid = await open('Cap');
    const chosen = join(docs, 'udp.pcapng');
    dialog.answers.push(chosen);
    const r = await dialogs().captureTo({ sessionId: sid, perPeer: false });
    expect(dialog.saves[0]?.filters?.[0]).toEqual({ name: 'pcapng (Wireshark)', extensions: ['pcapng'] });
    expect(r).toMatchObject({ ok: true, data: { active: true, format: 'pcapng', files: [{ path: chosen, name: 'udp.pcapng' }] } });
    await hub.handle('capture.stop', { sessionId: sid });
    expect(readFileSync(chosen).subarray(0, 4)).toEqual(Buffer.from([0x0a, 0x0d, 0x0d, 0x0a]));
    // cancelled: no capture
    const sid2 = await open('Other');
    await expect(dialogs().captureTo({ sessionId: sid2, perPeer: false })).resolves.toEqual({ ok: true, data: null });
    expect(hub.recorder.captureInfo(sid2)).toBeUndefined();
  });

  it('answers an engine refusal as a Result (an unknown session)', async () => {
    const r = await dialogs().exportTo({ sessionId: 'nope', format: 'csv', timeZone: 'utc', language: 'en' });
    expect(r).toMatchObject({ ok: false, code: 'SESSION_NOT_FOUND' });
    expect(dialog.saves).toHaveLength(0);
  });

  it('imports the profile picked in the open dialog like profile.import', async () => {
    const file = join(docs, 'bench.json');
    writeFileSync(file, profileJson('Bench'));
    const d = dialogs();
    await expect(d.importProfile()).resolves.toEqual({ ok: true, data: null });
    expect(dialog.opens[0]).toMatchObject({ title: 'Import Profile', defaultPath: docs, properties: ['openFile'] });
    dialog.answers.push(file);
    const r = await d.importProfile();
    expect(r).toMatchObject({ ok: true, data: { name: 'Bench', sessions: 1, builtin: false } });
    const list = await hub.handle('profile.list', {});
    expect(list.ok && (list.data as { name: string }[]).map((p) => p.name)).toContain('Bench');

    // a bad file: the same answer profile.import gives, and nothing saved
    const bad = join(docs, 'bad.json');
    writeFileSync(bad, '{"wirebench":"profile","version":1,"name":"","sessions":[]}');
    dialog.answers.push(bad);
    const refused = await d.importProfile();
    const direct = await hub.handle('profile.import', { json: readFileSync(bad, 'utf8') });
    expect(refused).toEqual(direct);
    expect(refused.ok).toBe(false);
  });

  it('refuses a file too large or unreadable before reading it into memory', async () => {
    const big = join(docs, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, MAX_PROFILE_BYTES + 1);
    dialog.answers.push(big, join(docs, 'missing.json'));
    const d = dialogs();
    await expect(d.importProfile()).resolves.toMatchObject({ ok: false, code: 'PAYLOAD_TOO_LARGE', why: { key: 'desktop.fileTooLarge' } });
    await expect(d.importProfile()).resolves.toMatchObject({ ok: false, code: 'INVALID_ARGUMENT', detail: { sysCode: 'ENOENT' }, why: { key: 'desktop.readFailed' } });
  });
});
