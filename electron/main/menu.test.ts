import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { menuTemplate } from './menu';
import { MENU_LABELS, menuLang, type MenuLang } from './menu-labels';

const LANGS: MenuLang[] = ['en', 'zh-CN'];
const PLATFORMS: NodeJS.Platform[] = ['darwin', 'win32', 'linux'];
const MODES = [
  { isPackaged: false, debug: false },
  { isPackaged: true, debug: false },
  { isPackaged: true, debug: true },
];

/** Every item of a template, depth first. */
function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu as MenuItemConstructorOptions[]) : [])]);
}

function roles(template: MenuItemConstructorOptions[]): string[] {
  return items(template).flatMap((i) => (i.role ? [i.role] : []));
}

const each = LANGS.flatMap((lang) => PLATFORMS.flatMap((platform) => MODES.map((m) => ({ ...m, lang, platform }))));

describe('menuTemplate: the application menu', () => {
  it.each(PLATFORMS.flatMap((platform) => LANGS.map((lang) => ({ platform, lang }))))(
    'has no DevTools and no reload in a packaged build without --debug ($platform, $lang)',
    ({ platform, lang }) => {
      const template = menuTemplate({ isPackaged: true, debug: false, lang, platform });
      expect(roles(template)).not.toContain('toggleDevTools');
      expect(roles(template)).not.toContain('reload');
      expect(roles(template)).not.toContain('forceReload');
      const labels = items(template).map((i) => i.label ?? '');
      for (const l of LANGS) {
        expect(labels).not.toContain(MENU_LABELS[l].toggleDevTools);
        expect(labels).not.toContain(MENU_LABELS[l].reload);
      }
      expect(JSON.stringify(template)).not.toMatch(/devtools|开发者工具/i);
    },
  );

  it('offers DevTools to a packaged build started to debug, and in development, where it also offers reload', () => {
    for (const platform of PLATFORMS) {
      expect(roles(menuTemplate({ isPackaged: true, debug: true, lang: 'en', platform }))).toContain('toggleDevTools');
      expect(roles(menuTemplate({ isPackaged: true, debug: true, lang: 'en', platform }))).not.toContain('reload');
      const dev = roles(menuTemplate({ isPackaged: false, debug: false, lang: 'en', platform }));
      expect(dev).toEqual(expect.arrayContaining(['toggleDevTools', 'reload', 'forceReload']));
    }
  });

  it.each(each)('labels every item in its language ($platform, $lang, packaged $isPackaged, debug $debug)', (input) => {
    const own = new Set(Object.values(MENU_LABELS[input.lang]));
    const other = new Set(Object.values(MENU_LABELS[input.lang === 'en' ? 'zh-CN' : 'en']));
    for (const item of items(menuTemplate(input))) {
      if (item.type === 'separator') continue;
      // the macOS app menu is titled with the app's name, the same in both languages
      if (item.label === 'Wirebench') continue;
      expect(item.label, JSON.stringify(item)).toBeTruthy();
      expect(own.has(item.label!), item.label).toBe(true);
      expect(other.has(item.label!), item.label).toBe(false);
    }
  });

  it('has the usual menus for each OS', () => {
    const titles = (platform: NodeJS.Platform) => menuTemplate({ isPackaged: true, debug: false, lang: 'en', platform }).map((m) => m.label);
    expect(titles('darwin')).toEqual(['Wirebench', 'File', 'Edit', 'View', 'Window']);
    expect(titles('win32')).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    expect(titles('linux')).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    const zh = menuTemplate({ isPackaged: true, debug: false, lang: 'zh-CN', platform: 'win32' }).map((m) => m.label);
    expect(zh).toEqual(['文件', '编辑', '视图', '窗口', '帮助']);
    for (const platform of PLATFORMS) {
      const r = roles(menuTemplate({ isPackaged: true, debug: false, lang: 'en', platform }));
      expect(r).toEqual(
        expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen', 'minimize', 'quit', 'about']),
      );
    }
    expect(roles(menuTemplate({ isPackaged: true, debug: false, lang: 'en', platform: 'darwin' }))).toEqual(
      expect.arrayContaining(['services', 'hide', 'hideOthers', 'unhide', 'front', 'zoom']),
    );
  });
});

describe('the menu labels', () => {
  it('exist in both languages, non-empty, for the same keys', () => {
    const en = MENU_LABELS.en;
    const zh = MENU_LABELS['zh-CN'];
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(en[key].trim(), key).not.toBe('');
      expect(zh[key].trim(), key).not.toBe('');
      expect(zh[key], key).not.toBe(en[key]);
    }
  });

  it('follow the system locale: zh-* is Chinese, anything else English', () => {
    expect(menuLang('zh-CN')).toBe('zh-CN');
    expect(menuLang('zh-TW')).toBe('zh-CN');
    expect(menuLang('zh')).toBe('zh-CN');
    expect(menuLang('en-US')).toBe('en');
    expect(menuLang('de')).toBe('en');
    expect(menuLang('')).toBe('en');
  });
});
