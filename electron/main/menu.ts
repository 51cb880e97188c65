/**
 * The application menu, built as a plain template (only *types* come from
 * electron, so menu.test.ts checks it without the Electron binary). It is
 * rebuilt in the page's language whenever the page reports a change
 * (`desktop.prefs`).
 *
 * File: new session, open/save/import profile, export log, settings, quit;
 * Edit: the roles (so copy and paste work on macOS); View: zoom, theme,
 * language; Help: user guide, About (Wirebench's own box, about.ts). macOS
 * gets the app menu (About, Settings, Services, Hide, Quit) and a Window menu
 * of its own. Items that need the page send it a `desktop.action`. Reload is
 * for development only; DevTools appear only when they are allowed (see
 * app-mode.ts): never in a packaged build unless it was started to debug.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { DesktopAction, DesktopLocale, DesktopTheme } from '../../shared/protocol/desktop';
import { devToolsAllowed } from './app-mode';
import { LANGUAGE_NAMES, MENU_LABELS, type MenuLang } from './menu-labels';

/** What the menu's own items do (index.ts wires them; tests record them). */
export interface MenuActions {
  /** ask the page to do something (open a dialog, switch theme or language) */
  send(action: DesktopAction): void;
  about(): void;
  userGuide(): void;
}

export interface MenuInput {
  isPackaged: boolean;
  debug: boolean;
  lang: MenuLang;
  platform: NodeJS.Platform;
  /** the page's theme choice (the checked radio item); default 'system' */
  theme?: DesktopTheme;
  actions?: MenuActions;
}

const separator: MenuItemConstructorOptions = { type: 'separator' };
const THEME_ITEMS = [
  ['light', 'themeLight'],
  ['dark', 'themeDark'],
  ['system', 'themeSystem'],
] as const;
const LANGS: readonly DesktopLocale[] = ['en', 'zh-CN'];

export function menuTemplate({ isPackaged, debug, lang, platform, theme = 'system', actions }: MenuInput): MenuItemConstructorOptions[] {
  const t = MENU_LABELS[lang];
  const mac = platform === 'darwin';
  const devTools = devToolsAllowed(isPackaged, debug);
  const send = (action: DesktopAction) => () => actions?.send(action);
  const about: MenuItemConstructorOptions = { label: t.aboutApp, click: () => actions?.about() };
  const settings: MenuItemConstructorOptions = { label: t.settings, accelerator: 'CmdOrCtrl+,', click: send({ kind: 'settings' }) };

  const appMenu: MenuItemConstructorOptions = {
    label: 'Wirebench',
    submenu: [
      about,
      separator,
      settings,
      separator,
      { role: 'services', label: t.services },
      separator,
      { role: 'hide', label: t.hideApp },
      { role: 'hideOthers', label: t.hideOthers },
      { role: 'unhide', label: t.showAll },
      separator,
      { role: 'quit', label: t.quitApp },
    ],
  };

  const fileMenu: MenuItemConstructorOptions = {
    label: t.file,
    submenu: [
      { label: t.newSession, accelerator: 'CmdOrCtrl+N', click: send({ kind: 'newSession' }) },
      separator,
      { label: t.openProfile, click: send({ kind: 'openProfile' }) },
      { label: t.saveProfile, click: send({ kind: 'saveProfile' }) },
      { label: t.importProfile, click: send({ kind: 'importProfile' }) },
      separator,
      { label: t.exportLog, accelerator: 'CmdOrCtrl+Shift+E', click: send({ kind: 'exportLog' }) },
      separator,
      ...(mac
        ? [{ role: 'close', label: t.closeWindow } as const]
        : [settings, separator, { role: 'close', label: t.closeWindow } as const, separator, { role: 'quit', label: t.quit } as const]),
    ],
  };

  const editMenu: MenuItemConstructorOptions = {
    label: t.edit,
    submenu: [
      { role: 'undo', label: t.undo },
      { role: 'redo', label: t.redo },
      separator,
      { role: 'cut', label: t.cut },
      { role: 'copy', label: t.copy },
      { role: 'paste', label: t.paste },
      { role: 'selectAll', label: t.selectAll },
    ],
  };

  const viewMenu: MenuItemConstructorOptions = {
    label: t.view,
    submenu: [
      ...(isPackaged
        ? []
        : [{ role: 'reload', label: t.reload } as const, { role: 'forceReload', label: t.forceReload } as const, separator]),
      ...(devTools ? [{ role: 'toggleDevTools', label: t.toggleDevTools } as const, separator] : []),
      { role: 'resetZoom', label: t.actualSize },
      { role: 'zoomIn', label: t.zoomIn },
      { role: 'zoomOut', label: t.zoomOut },
      separator,
      {
        label: t.theme,
        submenu: THEME_ITEMS.map(([value, key]) => ({ label: t[key], type: 'radio', checked: theme === value, click: send({ kind: 'theme', theme: value }) })),
      },
      {
        label: t.language,
        submenu: LANGS.map((l) => ({ label: LANGUAGE_NAMES[l], type: 'radio', checked: lang === l, click: send({ kind: 'language', language: l }) })),
      },
      separator,
      { role: 'togglefullscreen', label: t.fullScreen },
    ],
  };

  const windowMenu: MenuItemConstructorOptions = {
    label: t.window,
    role: 'window',
    submenu: mac
      ? [
          { role: 'minimize', label: t.minimize },
          { role: 'zoom', label: t.zoom },
          separator,
          { role: 'front', label: t.bringAllToFront },
        ]
      : [
          { role: 'minimize', label: t.minimize },
          { role: 'close', label: t.close },
        ],
  };

  const helpMenu: MenuItemConstructorOptions = {
    label: t.help,
    role: 'help',
    submenu: [{ label: t.userGuide, click: () => actions?.userGuide() }, ...(mac ? [] : [separator, about])],
  };

  // on macOS About and Settings live in the app menu
  return mac ? [appMenu, fileMenu, editMenu, viewMenu, windowMenu, helpMenu] : [fileMenu, editMenu, viewMenu, windowMenu, helpMenu];
}
