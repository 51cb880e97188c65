/**
 * One Wirebench at a time: a second launch hands over to the first, which
 * brings its window forward (restored if it was minimized, shown if it was
 * hidden) and quits itself. Only *types* come from electron, so
 * single-instance.test.ts drives it with a fake app and window.
 */

/** The parts of `app` the lock uses. */
export interface LockingApp {
  requestSingleInstanceLock(): boolean;
  on(event: 'second-instance', listener: () => void): unknown;
  quit(): void;
}

/** The parts of a BrowserWindow that bringing it forward uses. */
export interface FocusableWindow {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  isVisible(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

/** Bring `win` to the front: restored, shown, focused. False when there is no window to show. */
export function focusWindow(win: FocusableWindow | undefined): boolean {
  if (!win || win.isDestroyed()) return false;
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
  return true;
}

/**
 * Take the single-instance lock. The first instance gets true and, from now
 * on, focuses `mainWindow()` whenever another launch is attempted (or calls
 * `noWindow`, e.g. on macOS after the window was closed). A second instance
 * gets false and is already quitting.
 */
export function claimSingleInstance(app: LockingApp, mainWindow: () => FocusableWindow | undefined, noWindow?: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    if (!focusWindow(mainWindow())) noWindow?.();
  });
  return true;
}
