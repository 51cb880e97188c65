/**
 * The application menu, built as a plain template (only *types* come from
 * electron, so menu.test.ts checks it without the Electron binary).
 *
 * macOS gets the app menu (About, Services, Hide, Quit) and a Window menu of
 * its own; Windows and Linux get File › Quit and Help › About. Reload is for
 * development only; DevTools appear only when they are allowed (see
 * app-mode.ts): never in a packaged build unless it was started to debug.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { devToolsAllowed } from './app-mode';
import { MENU_LABELS, type MenuLang } from './menu-labels';

export interface MenuInput {
  isPackaged: boolean;
  debug: boolean;
  lang: MenuLang;
  platform: NodeJS.Platform;
}

const separator: MenuItemConstructorOptions = { type: 'separator' };

export function menuTemplate({ isPackaged, debug, lang, platform }: MenuInput): MenuItemConstructorOptions[] {
  const t = MENU_LABELS[lang];
  const mac = platform === 'darwin';
  const devTools = devToolsAllowed(isPackaged, debug);

  const appMenu: MenuItemConstructorOptions = {
    label: 'Wirebench',
    submenu: [
      { role: 'about', label: t.aboutApp },
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
    submenu: mac
      ? [{ role: 'close', label: t.closeWindow }]
      : [{ role: 'close', label: t.closeWindow }, separator, { role: 'quit', label: t.quit }],
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
    submenu: [{ role: 'about', label: t.aboutApp }],
  };

  // on macOS About lives in the app menu, and the Help menu would hold only the system's search field
  return mac ? [appMenu, fileMenu, editMenu, viewMenu, windowMenu] : [fileMenu, editMenu, viewMenu, windowMenu, helpMenu];
}
