import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { MessageBoxOptions } from 'electron';
import { aboutBox, showAbout, type AboutInfo } from './about';
import { DIALOG_LABELS } from './dialog-labels';

const dir = mkdtempSync(join(tmpdir(), 'wb-about-'));
const tempDir = mkdtempSync(join(tmpdir(), 'wb-about-tmp-'));
const noticesPath = join(dir, 'third-party-notices.txt');
writeFileSync(noticesPath, 'vue MIT\nzod MIT\n');
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(tempDir, { recursive: true, force: true });
});

const info: AboutInfo = {
  version: '1.2.3',
  versions: { electron: '45.1.0', chrome: '142.0.7444.52', node: '22.20.0' },
  dataDir: '/home/ada/.config/Wirebench',
  noticesPath,
  noticesFound: true,
};

describe('the About box', () => {
  it('names the version, Electron, Chrome and Node.js, the data folder and the notices', () => {
    const { options, choices } = aboutBox(info, 'en');
    expect(options.message).toBe('Wirebench 1.2.3');
    expect(options.title).toBe('About Wirebench');
    expect(options.detail).toContain('Electron 45.1.0 · Chrome 142.0.7444.52 · Node.js 22.20.0');
    expect(options.detail).toContain('Data folder: /home/ada/.config/Wirebench');
    expect(options.detail).toContain(`Third-party notices: ${info.noticesPath}`);
    expect(options.buttons).toEqual(['OK', 'Third-party Licences', 'Open Data Folder']);
    expect(choices).toEqual(['ok', 'licences', 'data']);
    expect(options).toMatchObject({ defaultId: 0, cancelId: 0 });
  });

  it('is in Chinese when the page is', () => {
    const { options } = aboutBox(info, 'zh-CN');
    expect(options.title).toBe('关于 Wirebench');
    expect(options.detail).toContain('数据文件夹：/home/ada/.config/Wirebench');
    expect(options.buttons).toEqual(['确定', '第三方许可', '打开数据文件夹']);
  });

  it('says so plainly when a development build has no notices, and offers no button for them', () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      const { options, choices } = aboutBox({ ...info, noticesFound: false }, lang);
      expect(options.detail).toContain(DIALOG_LABELS[lang].about.noNotices);
      expect(options.detail).not.toContain(info.noticesPath);
      expect(choices).toEqual(['ok', 'data']);
      expect(options.buttons).toHaveLength(2);
    }
  });

  it('opens a readable copy of the notices (a packaged app keeps them inside app.asar), or the data folder', async () => {
    const copy = join(tempDir, 'wirebench-third-party-notices.txt');
    for (const [response, expected] of [
      [1, copy],
      [2, info.dataDir],
    ] as const) {
      const openPath = vi.fn((_p: string) => Promise.resolve(''));
      const box = vi.fn((_o: MessageBoxOptions) => Promise.resolve({ response }));
      await showAbout({ showMessageBox: box, openPath, tempDir }, info, 'en');
      expect(box).toHaveBeenCalledOnce();
      expect(openPath).toHaveBeenCalledExactlyOnceWith(expected);
    }
    expect(readFileSync(copy, 'utf8')).toBe('vue MIT\nzod MIT\n');
    const openPath = vi.fn((_p: string) => Promise.resolve(''));
    await expect(showAbout({ showMessageBox: () => Promise.resolve({ response: 0 }), openPath, tempDir }, info, 'en')).resolves.toBe('ok');
    expect(openPath).not.toHaveBeenCalled();
    // without notices, the second button is the data folder
    await showAbout({ showMessageBox: () => Promise.resolve({ response: 1 }), openPath, tempDir }, { ...info, noticesFound: false }, 'en');
    expect(openPath).toHaveBeenCalledExactlyOnceWith(info.dataDir);
  });

  it('never rejects: a failed box or opener is logged', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await expect(showAbout({ showMessageBox: () => Promise.reject(new Error('no display')), openPath: vi.fn(), tempDir }, info, 'en')).resolves.toBe('ok');
    await expect(showAbout({ showMessageBox: () => Promise.resolve({ response: 2 }), openPath: () => Promise.resolve('Failed to open'), tempDir }, info, 'en')).resolves.toBe('data');
    // the notices vanished since the box was shown: logged, nothing opened
    const openPath = vi.fn();
    await expect(showAbout({ showMessageBox: () => Promise.resolve({ response: 1 }), openPath, tempDir }, { ...info, noticesPath: join(dir, 'gone.txt') }, 'en')).resolves.toBe('licences');
    expect(openPath).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(3);
    warn.mockRestore();
  });
});

describe('the dialog labels', () => {
  it('have every string in both languages, and differ where words are translated', () => {
    const en = DIALOG_LABELS.en;
    const zh = DIALOG_LABELS['zh-CN'];
    const flat = (o: object, prefix = ''): [string, unknown][] =>
      Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? flat(v as object, `${prefix}${k}.`) : [[`${prefix}${k}`, v] as [string, unknown]]));
    const enKeys = flat(en).map(([k]) => k);
    expect(flat(zh).map(([k]) => k)).toEqual(enKeys);
    for (const [k, v] of flat(zh)) {
      if (typeof v === 'function') continue;
      expect(typeof v === 'string' && v.trim() !== '', k).toBe(true);
    }
    expect(zh.quit.detail(2)).not.toBe(en.quit.detail(2));
    expect(zh.about.dataFolder('/x')).toContain('/x');
  });
});
