/**
 * Measured heights of wrapped log rows, by seq, for one layout (a width,
 * display mode and set of columns: `key`). A new key forgets them all: the
 * rows on screen are measured again after their next render. Bounded: past
 * `max` entries the oldest measured go first. Rows never measured count as
 * the average of those measured (`estimate`).
 */
export class RowHeights {
  private heights = new Map<number, number>();
  private sum = 0;
  private layoutKey = '';

  constructor(
    private fallback: number,
    private readonly max = 20_000,
  ) {}

  get key(): string {
    return this.layoutKey;
  }

  get size(): number {
    return this.heights.size;
  }

  /** Start over for a new layout (returns whether anything changed). */
  setKey(key: string, fallback: number): boolean {
    if (key === this.layoutKey && fallback === this.fallback) return false;
    this.layoutKey = key;
    this.fallback = fallback;
    this.clear();
    return true;
  }

  clear(): void {
    this.heights.clear();
    this.sum = 0;
  }

  get(seq: number): number | undefined {
    return this.heights.get(seq);
  }

  /** Record a measured height; returns true when it differs from what was known (by ≥ 1 px). */
  set(seq: number, px: number): boolean {
    if (!(px > 0)) return false;
    const old = this.heights.get(seq);
    if (old !== undefined && Math.abs(old - px) < 1) return false;
    if (old !== undefined) {
      this.sum -= old;
      this.heights.delete(seq); // re-inserted as the newest
    }
    this.heights.set(seq, px);
    this.sum += px;
    while (this.heights.size > this.max) {
      const [oldest, h] = this.heights.entries().next().value as [number, number];
      this.heights.delete(oldest);
      this.sum -= h;
    }
    return true;
  }

  /** Average measured height (the fallback before any row was measured). */
  get estimate(): number {
    return this.heights.size > 0 ? this.sum / this.heights.size : this.fallback;
  }

  /** The row's height: measured, else the estimate. */
  of(seq: number | undefined): number {
    return (seq === undefined ? undefined : this.heights.get(seq)) ?? this.estimate;
  }
}
