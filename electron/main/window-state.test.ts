import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clampToDisplays, DEFAULT_WINDOW, MIN_SIZE, parseWindowState, trackWindow, WindowStateFile, type DisplayLike, type Rect, type WindowState } from './window-state';

const display = (x: number, y: number, width: number, height: number): DisplayLike => ({ workArea: { x, y, width, height } });
const FULL_HD = display(0, 0, 1920, 1040);
/** a second monitor to the left of the primary one: negative coordinates */
const LEFT = display(-1920, 0, 1920, 1080);
const RIGHT = display(1920, 0, 2560, 1400);

/** The window lies wholly inside one of the displays' work areas. */
function inside(s: WindowState, displays: DisplayLike[]): boolean {
  return displays.some(({ workArea: a }) => s.x! >= a.x && s.y! >= a.y && s.x! + s.width <= a.x + a.width && s.y! + s.height <= a.y + a.height);
}

describe('clampToDisplays', () => {
  it('keeps a window that is on a display where it was', () => {
    const s = { x: 100, y: 50, width: 1200, height: 800, maximized: false };
    expect(clampToDisplays(s, [FULL_HD])).toEqual(s);
    const onRight = { x: 2100, y: 200, width: 1600, height: 900, maximized: false };
    expect(clampToDisplays(onRight, [FULL_HD, RIGHT])).toEqual(onRight);
  });

  it('centres the default size on the primary display when nothing was saved', () => {
    const s = clampToDisplays(null, [display(0, 40, 1920, 1000), RIGHT]);
    expect(s).toEqual({ x: 320, y: 40 + 90, width: DEFAULT_WINDOW.width, height: DEFAULT_WINDOW.height, maximized: false });
  });

  it('brings a window that is on no display back, centred on the primary one', () => {
    const s = clampToDisplays({ x: 5000, y: 3000, width: 1000, height: 700, maximized: false }, [FULL_HD]);
    expect(s).toEqual({ x: 460, y: 170, width: 1000, height: 700, maximized: false });
  });

  it('moves a window from a display that was removed onto the primary one', () => {
    const saved = { x: 2300, y: 100, width: 1400, height: 900, maximized: false };
    expect(clampToDisplays(saved, [FULL_HD, RIGHT])).toEqual(saved);
    const now = clampToDisplays(saved, [FULL_HD]);
    expect(inside(now, [FULL_HD])).toBe(true);
    expect(now).toMatchObject({ width: 1400, height: 900, x: 260, y: 70 });
  });

  it('shrinks a window to a smaller display and keeps it wholly on it', () => {
    const small = display(0, 0, 1366, 728);
    const s = clampToDisplays({ x: 300, y: 200, width: 1800, height: 1000, maximized: false }, [small]);
    expect(s).toEqual({ x: 0, y: 0, width: 1366, height: 728, maximized: false });
  });

  it('pulls in a window that sticks out past an edge of its display', () => {
    const s = clampToDisplays({ x: 1500, y: 900, width: 1000, height: 700, maximized: false }, [FULL_HD]);
    expect(s).toEqual({ x: 920, y: 340, width: 1000, height: 700, maximized: false });
    const top = clampToDisplays({ x: -200, y: -300, width: 1000, height: 700, maximized: false }, [FULL_HD]);
    expect(top).toEqual({ x: 0, y: 0, width: 1000, height: 700, maximized: false });
  });

  it('keeps negative coordinates on a display left of (or above) the primary one', () => {
    const s = { x: -1700, y: 100, width: 1200, height: 800, maximized: false };
    expect(clampToDisplays(s, [FULL_HD, LEFT])).toEqual(s);
    const above = display(0, -1200, 1920, 1200);
    expect(clampToDisplays({ x: 10, y: -1100, width: 1000, height: 700, maximized: false }, [FULL_HD, above])).toMatchObject({ x: 10, y: -1100 });
    // the left display is gone: back on the primary one
    expect(inside(clampToDisplays(s, [FULL_HD]), [FULL_HD])).toBe(true);
  });

  it('puts a window across two displays wholly on the one it overlaps most', () => {
    const s = clampToDisplays({ x: 1400, y: 100, width: 1200, height: 800, maximized: false }, [FULL_HD, RIGHT]);
    // 520 px on the primary, 680 px on the right one
    expect(s).toMatchObject({ x: 1920, y: 100, width: 1200, height: 800 });
    expect(inside(s, [RIGHT])).toBe(true);
  });

  it('keeps "maximized" (the bounds are what the window restores to), clamped the same', () => {
    const s = clampToDisplays({ x: 9000, y: 9000, width: 3000, height: 2000, maximized: true }, [FULL_HD]);
    expect(s).toEqual({ x: 0, y: 0, width: 1920, height: 1040, maximized: true });
  });

  it('never goes below the window\'s minimum size (unless the display is smaller)', () => {
    const s = clampToDisplays({ x: 10, y: 10, width: 200, height: 100, maximized: false }, [FULL_HD]);
    expect(s).toMatchObject({ width: MIN_SIZE.width, height: MIN_SIZE.height });
    const tiny = clampToDisplays({ x: 10, y: 10, width: 200, height: 100, maximized: false }, [display(0, 0, 800, 500)]);
    expect(tiny).toEqual({ x: 0, y: 0, width: 800, height: 500, maximized: false });
  });

  it('gives only a size when no display is known', () => {
    expect(clampToDisplays({ x: 10, y: 10, width: 1000, height: 700, maximized: true }, [])).toEqual({ width: 1000, height: 700, maximized: true });
  });
});

describe('parseWindowState', () => {
  it('reads a saved state and refuses anything else', () => {
    expect(parseWindowState('{"x":-5,"y":7,"width":1000,"height":700,"maximized":true}')).toEqual({ x: -5, y: 7, width: 1000, height: 700, maximized: true });
    expect(parseWindowState('{"width":1000,"height":700}')).toEqual({ width: 1000, height: 700, maximized: false });
    expect(parseWindowState('{"x":"1","y":2,"width":1000,"height":700}')).toEqual({ width: 1000, height: 700, maximized: false });
    for (const bad of ['', 'nul', '[]', 'null', '{"width":0,"height":700}', '{"width":1e999,"height":7}', '{"width":"9","height":700}']) {
      expect(parseWindowState(bad), bad).toBeNull();
    }
  });
});

class FakeWindow extends EventEmitter {
  bounds: Rect = { x: 10, y: 20, width: 1000, height: 700 };
  maximized = false;
  minimized = false;
  fullScreen = false;
  getNormalBounds = () => ({ ...this.bounds });
  isMaximized = () => this.maximized;
  isMinimized = () => this.minimized;
  isFullScreen = () => this.fullScreen;
}

describe('WindowStateFile and trackWindow', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wb-winstate-'));
  });
  afterEach(() => {
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes once after the moves and resizes settle, privately, and reads it back', () => {
    vi.useFakeTimers();
    const path = join(dir, 'window-state.json');
    const file = new WindowStateFile(path, 500);
    const win = new FakeWindow();
    trackWindow(win, file);
    for (let i = 0; i < 20; i++) {
      win.bounds = { ...win.bounds, x: 10 + i };
      win.emit('move');
      vi.advanceTimersByTime(100);
    }
    expect(existsSync(path)).toBe(false);
    vi.advanceTimersByTime(500);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ x: 29, y: 20, width: 1000, height: 700, maximized: false });
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(new WindowStateFile(path).read()).toEqual({ x: 29, y: 20, width: 1000, height: 700, maximized: false });
  });

  it('writes at once when the window closes, maximized with its restore bounds', () => {
    vi.useFakeTimers();
    const path = join(dir, 'window-state.json');
    const win = new FakeWindow();
    trackWindow(win, new WindowStateFile(path, 10_000));
    win.maximized = true;
    win.emit('maximize');
    win.emit('close');
    expect(new WindowStateFile(path).read()).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
  });

  it('ignores the moves of a minimized or full-screen window', () => {
    vi.useFakeTimers();
    const path = join(dir, 'window-state.json');
    const win = new FakeWindow();
    trackWindow(win, new WindowStateFile(path, 100));
    win.emit('resize');
    vi.advanceTimersByTime(100);
    win.minimized = true;
    win.bounds = { x: -32000, y: -32000, width: 160, height: 28 };
    win.emit('move');
    win.emit('close');
    vi.advanceTimersByTime(1000);
    expect(new WindowStateFile(path).read()).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: false });
  });

  it('starts afresh from a damaged or missing file', () => {
    const path = join(dir, 'window-state.json');
    expect(new WindowStateFile(path).read()).toBeNull();
    writeFileSync(path, '{"width": 10');
    expect(new WindowStateFile(path).read()).toBeNull();
  });
});
