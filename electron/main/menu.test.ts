import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { DesktopAction } from '../../shared/protocol/desktop';
import { menuTemplate, type MenuActions } from './menu';
import { LANGUAGE_NAMES, MENU_LABELS, menuLang, type MenuLang } from './menu-labels';

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
      // View › Language names each language in itself
      if (Object.values(LANGUAGE_NAMES).includes(item.label ?? '')) continue;
      expect(item.label, JSON.stringify(item)).toBeTruthy();
      expect(own.has(item.label!), item.label).toBe(true);
      expect(other.has(item.label!), item.label).toBe(false);
    }
  });

  it('has the usual menus for each OS', () => {
    const titles = (platform: NodeJS.Platform) => menuTemplate({ isPackaged: true, debug: false, lang: 'en', platform }).map((m) => m.label);
    expect(titles('darwin')).toEqual(['Wirebench', 'File', 'Edit', 'View', 'Window', 'Help']);
    expect(titles('win32')).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    expect(titles('linux')).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    const zh = menuTemplate({ isPackaged: true, debug: false, lang: 'zh-CN', platform: 'win32' }).map((m) => m.label);
    expect(zh).toEqual(['文件', '编辑', '视图', '窗口', '帮助']);
    for (const platform of PLATFORMS) {
      const r = roles(menuTemplate({ isPackaged: true, debug: false, lang: 'en', platform }));
      expect(r).toEqual(
        expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen', 'minimize', 'quit']),
      );
    }
    expect(roles(menuTemplate({ isPackaged: true, debug: false, lang: 'en', platform: 'darwin' }))).toEqual(
      expect.arrayContaining(['services', 'hide', 'hideOthers', 'unhide', 'front', 'zoom']),
    );
  });
});

/** The item labelled `label` (in any submenu), or a failed test. */
function item(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions {
  const found = items(template).find((i) => i.label === label);
  if (!found) throw new Error(`no menu item ${label}`);
  return found;
}

function click(i: MenuItemConstructorOptions): void {
  (i.click as unknown as () => void)();
}

function recorder(): MenuActions & { sent: DesktopAction[] } {
  const sent: DesktopAction[] = [];
  return { sent, send: (a) => sent.push(a), about: vi.fn(), userGuide: vi.fn() };
}

const submenuLabels = (template: MenuItemConstructorOptions[], title: string): string[] =>
  ((template.find((m) => m.label === title)?.submenu ?? []) as MenuItemConstructorOptions[]).flatMap((i) => (i.type === 'separator' ? [] : [i.label ?? i.role ?? '']));

describe('menuTemplate: what the items do', () => {
  it.each(LANGS)('File holds new session, profiles, export and quit (%s)', (lang) => {
    const t = MENU_LABELS[lang];
    for (const platform of ['win32', 'linux'] as const) {
      const file = submenuLabels(menuTemplate({ isPackaged: true, debug: false, lang, platform }), t.file);
      expect(file).toEqual([t.newSession, t.openProfile, t.saveProfile, t.importProfile, t.exportLog, t.settings, t.closeWindow, t.quit]);
    }
    // macOS quits from the app menu
    const macFile = submenuLabels(menuTemplate({ isPackaged: true, debug: false, lang, platform: 'darwin' }), t.file);
    expect(macFile).toEqual([t.newSession, t.openProfile, t.saveProfile, t.importProfile, t.exportLog, t.closeWindow]);
  });

  it.each(PLATFORMS)('sends the page the action of each item that needs it (%s)', (platform) => {
    const actions = recorder();
    const t = MENU_LABELS.en;
    const template = menuTemplate({ isPackaged: true, debug: false, lang: 'en', platform, actions });
    for (const label of [t.newSession, t.openProfile, t.saveProfile, t.importProfile, t.exportLog, t.settings, t.themeDark, t.themeLight, t.themeSystem, '中文', 'English']) {
      click(item(template, label));
    }
    expect(actions.sent).toEqual([
      { kind: 'newSession' },
      { kind: 'openProfile' },
      { kind: 'saveProfile' },
      { kind: 'importProfile' },
      { kind: 'exportLog' },
      { kind: 'settings' },
      { kind: 'theme', theme: 'dark' },
      { kind: 'theme', theme: 'light' },
      { kind: 'theme', theme: 'system' },
      { kind: 'language', language: 'zh-CN' },
      { kind: 'language', language: 'en' },
    ]);
    click(item(template, t.userGuide));
    click(item(template, t.aboutApp));
    expect(actions.userGuide).toHaveBeenCalledOnce();
    expect(actions.about).toHaveBeenCalledOnce();
  });

  it('shows Wirebench\'s own About box, never Electron\'s (no about role), under Help or the macOS app menu', () => {
    for (const platform of PLATFORMS) {
      for (const lang of LANGS) {
        const template = menuTemplate({ isPackaged: true, debug: false, lang, platform });
        expect(roles(template)).not.toContain('about');
        const home = platform === 'darwin' ? 'Wirebench' : MENU_LABELS[lang].help;
        expect(submenuLabels(template, home)).toContain(MENU_LABELS[lang].aboutApp);
        expect(submenuLabels(template, MENU_LABELS[lang].help)[0]).toBe(MENU_LABELS[lang].userGuide);
      }
    }
  });

  it('checks the theme and the language the page shows', () => {
    const t = MENU_LABELS['zh-CN'];
    const template = menuTemplate({ isPackaged: true, debug: false, lang: 'zh-CN', platform: 'linux', theme: 'dark' });
    expect(item(template, t.themeDark).checked).toBe(true);
    expect(item(template, t.themeLight).checked).toBe(false);
    expect(item(template, t.themeSystem).checked).toBe(false);
    expect(item(template, '中文').checked).toBe(true);
    expect(item(template, 'English').checked).toBe(false);
    const en = menuTemplate({ isPackaged: true, debug: false, lang: 'en', platform: 'linux' });
    expect(item(en, MENU_LABELS.en.themeSystem).checked).toBe(true);
    expect(item(en, 'English').checked).toBe(true);
    expect(item(en, MENU_LABELS.en.theme).submenu).toHaveLength(3);
  });

  it('puts zoom in View and the edit roles in Edit on every OS', () => {
    for (const platform of PLATFORMS) {
      const template = menuTemplate({ isPackaged: true, debug: false, lang: 'en', platform });
      const view = (template.find((m) => m.label === 'View')?.submenu ?? []) as MenuItemConstructorOptions[];
      expect(view.map((i) => i.role).filter(Boolean)).toEqual(expect.arrayContaining(['zoomIn', 'zoomOut', 'resetZoom']));
      const edit = (template.find((m) => m.label === 'Edit')?.submenu ?? []) as MenuItemConstructorOptions[];
      expect(edit.map((i) => i.role).filter(Boolean)).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']);
    }
  });

  it('does nothing on a click when no actions were given (a template for inspection only)', () => {
    const template = menuTemplate({ isPackaged: true, debug: false, lang: 'en', platform: 'linux' });
    expect(() => click(item(template, MENU_LABELS.en.newSession))).not.toThrow();
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

  it('follow the system locale until the page says which language it shows: zh-* is Chinese, anything else English', () => {
    expect(menuLang('zh-CN')).toBe('zh-CN');
    expect(menuLang('zh-TW')).toBe('zh-CN');
    expect(menuLang('zh')).toBe('zh-CN');
    expect(menuLang('en-US')).toBe('en');
    expect(menuLang('de')).toBe('en');
    expect(menuLang('')).toBe('en');
  });
});
