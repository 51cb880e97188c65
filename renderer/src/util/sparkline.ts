/**
 * The counters bar's rate chart: the last minute of bytes per second, each
 * direction a line, drawn as an SVG path. Samples come from the sessions
 * store's once-a-second rates; the chart keeps them only while it is shown
 * (a v-if) and the page is visible, so hidden it costs nothing: no timer of
 * its own, no drawing. A pause in the samples (hidden page, another session
 * on screen) shows as a gap, never as a made-up line.
 */

export interface RateSample {
  /** ms since the epoch */
  at: number;
  rx: number;
  tx: number;
}

export const WINDOW_MS = 60_000;
/** samples further apart than this are not joined */
const GAP_MS = 2_500;

/** Keep the last minute (plus one sample to start the line at the left edge). */
export function pushSample(samples: RateSample[], s: RateSample, windowMs = WINDOW_MS): RateSample[] {
  const out = samples.filter((x) => x.at < s.at);
  out.push(s);
  let cut = 0;
  while (cut < out.length - 1 && (out[cut + 1] as RateSample).at <= s.at - windowMs) cut++;
  return cut > 0 ? out.slice(cut) : out;
}

/** Largest value of either direction in the samples (0 when none). */
export function peakOf(samples: readonly RateSample[]): { rx: number; tx: number; max: number } {
  let rx = 0;
  let tx = 0;
  for (const s of samples) {
    if (s.rx > rx) rx = s.rx;
    if (s.tx > tx) tx = s.tx;
  }
  return { rx, tx, max: Math.max(rx, tx) };
}

/**
 * SVG path data for one direction, newest sample at the right edge, the
 * window's peak at the top (a 1-pixel margin), zero at the bottom.
 */
export function sparkPath(samples: readonly RateSample[], pick: (s: RateSample) => number, w: number, h: number, max: number, windowMs = WINDOW_MS): string {
  const last = samples[samples.length - 1];
  if (!last) return '';
  const top = 1;
  const bottom = h - 1;
  const y = (v: number): number => (max > 0 ? bottom - (Math.min(v, max) / max) * (bottom - top) : bottom);
  const x = (at: number): number => w - ((last.at - at) / windowMs) * w;
  let d = '';
  let prev: RateSample | null = null;
  for (const s of samples) {
    const joined = prev !== null && s.at - prev.at <= GAP_MS;
    d += `${joined ? 'L' : 'M'}${x(s.at).toFixed(1)} ${y(pick(s)).toFixed(1)}`;
    prev = s;
  }
  return d;
}
