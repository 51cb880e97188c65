/**
 * The window's size, position and maximized state across restarts: a small
 * JSON file in the data folder, written (debounced) as the window moves and
 * resizes and at once when it closes, and read at start. The saved bounds
 * are clamped to a display that is there now (`clampToDisplays`, pure), so a
 * window never opens off-screen after a monitor was unplugged or the
 * resolution went down. Only *types* of electron are used.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { PRIVATE_FILE_MODE } from '../store/private';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** absent: let the system place the window */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

/** What clamping needs of an Electron Display. */
export interface DisplayLike {
  workArea: Rect;
}

export const DEFAULT_WINDOW: Readonly<WindowState> = { width: 1280, height: 820, maximized: false };
export const MIN_SIZE = { width: 900, height: 600 } as const;
export const WINDOW_STATE_FILE = 'window-state.json';

const overlap = (a: Rect, b: Rect): number =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), Math.max(lo, hi));

/**
 * Where the window may open: on the display it overlaps most (the first
 * display, the primary, when it overlaps none or has no position), no larger
 * than that display's work area, and wholly inside it. `maximized` is kept:
 * the bounds are what the window restores to.
 */
export function clampToDisplays(state: WindowState | null, displays: readonly DisplayLike[]): WindowState {
  const s = state ?? DEFAULT_WINDOW;
  const want = { width: Math.max(MIN_SIZE.width, Math.round(s.width)), height: Math.max(MIN_SIZE.height, Math.round(s.height)) };
  const primary = displays[0];
  if (!primary) return { ...want, maximized: s.maximized };
  let best: DisplayLike | undefined;
  if (s.x !== undefined && s.y !== undefined) {
    const rect = { x: s.x, y: s.y, ...want };
    let most = 0;
    for (const d of displays) {
      const o = overlap(rect, d.workArea);
      if (o > most) {
        most = o;
        best = d;
      }
    }
  }
  const wa = (best ?? primary).workArea;
  const width = Math.min(want.width, wa.width);
  const height = Math.min(want.height, wa.height);
  // no display under it (or never placed): centred on the primary display
  const x = best && s.x !== undefined ? s.x : wa.x + Math.round((wa.width - width) / 2);
  const y = best && s.y !== undefined ? s.y : wa.y + Math.round((wa.height - height) / 2);
  return { x: clamp(x, wa.x, wa.x + wa.width - width), y: clamp(y, wa.y, wa.y + wa.height - height), width, height, maximized: s.maximized };
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A saved state, or null when the text is not one (a damaged file starts afresh). */
export function parseWindowState(text: string): WindowState | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  if (!isNum(o.width) || !isNum(o.height) || o.width <= 0 || o.height <= 0) return null;
  const placed = isNum(o.x) && isNum(o.y);
  return {
    ...(placed ? { x: o.x as number, y: o.y as number } : {}),
    width: o.width,
    height: o.height,
    maximized: o.maximized === true,
  };
}

/** The file: read once at start, written debounced, flushed on close. */
export class WindowStateFile {
  private pending: WindowState | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly path: string,
    private readonly debounceMs = 500,
  ) {}

  read(): WindowState | null {
    try {
      return parseWindowState(readFileSync(this.path, 'utf8'));
    } catch {
      return null;
    }
  }

  /** Remember `state`; written after `debounceMs` of quiet. */
  save(state: WindowState): void {
    this.pending = state;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.debounceMs);
    this.timer.unref?.();
  }

  /** Write what is pending now (the window is closing). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const state = this.pending;
    if (!state) return;
    this.pending = null;
    const tmp = `${this.path}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify(state), { mode: PRIVATE_FILE_MODE });
      renameSync(tmp, this.path);
    } catch (e) {
      console.warn(`[wirebench] could not save the window's position: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** The parts of a BrowserWindow the tracking uses. */
export interface TrackedWindow {
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
  getNormalBounds(): Rect;
  isMaximized(): boolean;
  isMinimized(): boolean;
  isFullScreen(): boolean;
}

/** Save the window's state as it changes, and at once when it closes. */
export function trackWindow(win: TrackedWindow, file: WindowStateFile): void {
  const current = (): WindowState => ({ ...win.getNormalBounds(), maximized: win.isMaximized() });
  const changed = (): void => {
    // a minimized or full-screen window keeps the bounds it will return to
    if (win.isMinimized() || win.isFullScreen()) return;
    file.save(current());
  };
  for (const e of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(e, changed);
  win.on('close', () => {
    if (!win.isMinimized() && !win.isFullScreen()) file.save(current());
    file.flush();
  });
}
