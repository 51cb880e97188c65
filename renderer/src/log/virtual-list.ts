/**
 * Where the rows of a virtual list go, touching only the rows on screen
 * (O(visible), never O(rows)).
 *
 * Fixed rows (no wrapping): every row has the same height, so row i starts at
 * i·h and a scroll position maps straight to a row, exactly. Lists taller than
 * MAX_CONTENT_PX (browsers cap element heights) are scaled: one scroll pixel
 * is then several virtual pixels, so row 1 of 10,000,000 is still reachable.
 *
 * Wrapped rows: heights differ and only rows that were on screen have been
 * measured, so exact positions would need every height above. Instead the
 * list keeps an anchor: the row at the top of the viewport and how far it
 * reaches above it. A small scroll moves the anchor by that many pixels
 * through the real heights (rows never jump under the reader's eyes, and a
 * row changing height below the anchor moves nothing above it); a big scroll
 * (dragging the scrollbar, or any scroll of a list so long that it is scaled)
 * jumps to the row at that fraction of the list,
 * using the average height; the top and the bottom of the scroll range are
 * always the first and the last row. The scroll extent is the rows times the
 * average height (the exact sum for short lists).
 */

/** Browsers cap element heights (~33M px in Chromium); stay well below. */
export const MAX_CONTENT_PX = 8_000_000;
/** rows drawn beyond the viewport on each side */
export const OVERSCAN = 4;
/** lists up to this many rows get an exact scroll extent (sum of heights) */
const EXACT_UP_TO = 400;

export interface Geometry {
  count: number;
  viewHeight: number;
  /** the row's height in px: measured, or an estimate (> 0) */
  heightOf(index: number): number;
  /** px per row for rows never measured: the average; the row height when fixed */
  estimate: number;
  /** every row is exactly `estimate` high */
  fixed: boolean;
}

export interface Placed {
  index: number;
  /** px from the top of the content box */
  top: number;
}

export class VirtualList {
  private anchor = 0;
  private offset = 0;
  private lastScroll = 0;
  private valid = false;

  /** The virtual height of all rows (before the cap). */
  totalPx(g: Geometry): number {
    if (g.fixed || g.count > EXACT_UP_TO) return g.count * g.estimate;
    let sum = 0;
    for (let i = 0; i < g.count; i++) sum += g.heightOf(i);
    return sum;
  }

  contentPx(g: Geometry): number {
    return Math.min(this.totalPx(g), MAX_CONTENT_PX);
  }

  /** Virtual px per scroll px (1 unless the content is capped). */
  scale(g: Geometry): number {
    const total = this.totalPx(g);
    const maxScroll = Math.min(total, MAX_CONTENT_PX) - g.viewHeight;
    const maxVirtual = total - g.viewHeight;
    return maxScroll > 0 && maxVirtual > maxScroll ? maxVirtual / maxScroll : 1;
  }

  /** The row at the top of the viewport (after the last layout). */
  get topRow(): number {
    return this.anchor;
  }

  /** Forget the anchor: the next layout places rows by the scroll fraction (a new list). */
  invalidate(): void {
    this.valid = false;
  }

  /**
   * The rows to draw for this scroll position. `follow` keeps the last row at
   * the bottom of the viewport.
   */
  layout(g: Geometry, scrollTop: number, follow: boolean): Placed[] {
    if (g.count === 0) {
      this.anchor = 0;
      this.offset = 0;
      this.valid = false;
      return [];
    }
    const content = this.contentPx(g);
    const maxScroll = Math.max(0, content - g.viewHeight);
    const st = Math.min(Math.max(0, scrollTop), maxScroll);
    const scale = this.scale(g);
    if (g.fixed) return this.layoutFixed(g, st, scale);

    const atBottom = maxScroll > 0 && st >= maxScroll - 1;
    if (follow || atBottom) {
      this.lastScroll = st;
      this.valid = true;
      return this.fromBottom(g, st);
    }
    if (st <= 0) {
      this.anchor = 0;
      this.offset = 0;
    } else if (!this.valid || this.anchor >= g.count || Math.abs(st - this.lastScroll) * scale > 2 * g.viewHeight) {
      this.jump(g, st * scale);
    } else {
      this.walk(g, (st - this.lastScroll) * scale);
    }
    this.lastScroll = st;
    this.valid = true;
    return this.fromAnchor(g, st);
  }

  /**
   * `left` rows left the top of the list (a clear, the record's size limit):
   * keep the rows on screen where they are. Returns the new scroll position.
   */
  shift(g: Geometry, left: number, scrollTop: number): number {
    if (left <= 0) return scrollTop;
    const scale = this.scale(g);
    const st = Math.max(0, scrollTop - (left * g.estimate) / scale);
    if (this.anchor >= left) this.anchor -= left;
    else {
      this.anchor = 0;
      this.offset = 0;
    }
    this.lastScroll = st;
    return st;
  }

  /** Put row `index` at the top; returns the scroll position to set. */
  scrollToRow(g: Geometry, index: number): number {
    const i = Math.min(Math.max(0, index), Math.max(0, g.count - 1));
    const st = Math.min((i * g.estimate) / this.scale(g), Math.max(0, this.contentPx(g) - g.viewHeight));
    this.anchor = i;
    this.offset = 0;
    this.lastScroll = st;
    this.valid = !g.fixed;
    return st;
  }

  private layoutFixed(g: Geometry, st: number, scale: number): Placed[] {
    const h = g.estimate;
    const total = g.count * h;
    const virtualTop = Math.min(st * scale, Math.max(0, total - g.viewHeight));
    const top = Math.floor(virtualTop / h);
    this.anchor = Math.min(g.count - 1, top);
    this.offset = virtualTop - this.anchor * h;
    this.lastScroll = st;
    this.valid = false;
    const first = Math.min(g.count - 1, Math.max(0, top - OVERSCAN));
    const last = Math.min(g.count - 1, Math.ceil((virtualTop + g.viewHeight) / h) + OVERSCAN);
    const out: Placed[] = [];
    for (let i = first; i <= last; i++) out.push({ index: i, top: st + (i * h - virtualTop) });
    return out;
  }

  private jump(g: Geometry, virtualTop: number): void {
    const est = g.estimate;
    const i = Math.min(g.count - 1, Math.max(0, Math.floor(virtualTop / est)));
    this.anchor = i;
    this.offset = Math.min(g.heightOf(i) - 1, Math.max(0, ((virtualTop - i * est) / est) * g.heightOf(i)));
  }

  private walk(g: Geometry, dy: number): void {
    let i = this.anchor;
    let off = this.offset + dy;
    while (off >= g.heightOf(i) && i < g.count - 1) {
      off -= g.heightOf(i);
      i++;
    }
    while (off < 0 && i > 0) {
      i--;
      off += g.heightOf(i);
    }
    this.anchor = i;
    this.offset = Math.min(Math.max(0, off), g.heightOf(i) - 1);
  }

  /** Rows from the anchor down, some above it; the bottom of the list if they run out. */
  private fromAnchor(g: Geometry, st: number): Placed[] {
    const below: Placed[] = [];
    let y = st - this.offset;
    let i = this.anchor;
    let extra = 0;
    while (i < g.count && extra <= OVERSCAN) {
      below.push({ index: i, top: y });
      y += g.heightOf(i);
      if (y >= st + g.viewHeight) extra++;
      i++;
    }
    if (i >= g.count && y < st + g.viewHeight) return this.fromBottom(g, st);
    const above: Placed[] = [];
    let top = st - this.offset;
    for (let j = this.anchor - 1; j >= 0 && above.length < OVERSCAN; j--) {
      top -= g.heightOf(j);
      above.push({ index: j, top });
    }
    return above.reverse().concat(below);
  }

  /** The last row at the bottom of the viewport (or, when all rows fit, the first at the top). */
  private fromBottom(g: Geometry, st: number): Placed[] {
    const bottom = st + g.viewHeight;
    const placed: Placed[] = [];
    let y = bottom;
    let i = g.count - 1;
    let extra = 0;
    while (i >= 0 && extra <= OVERSCAN) {
      y -= g.heightOf(i);
      placed.push({ index: i, top: y });
      if (y <= st) extra++;
      i--;
    }
    placed.reverse();
    if (i < 0 && (placed[0] as Placed).top > st) {
      // everything fits: from the top
      let top = st;
      for (const p of placed) {
        p.top = top;
        top += g.heightOf(p.index);
      }
    }
    const firstVisible = placed.find((p) => p.top + g.heightOf(p.index) > st) ?? (placed[0] as Placed);
    this.anchor = firstVisible.index;
    this.offset = Math.max(0, st - firstVisible.top);
    return placed;
  }
}
