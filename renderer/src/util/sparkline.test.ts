import { describe, expect, it } from 'vitest';
import { peakOf, pushSample, sparkPath, type RateSample } from './sparkline';

const s = (at: number, rx: number, tx = 0): RateSample => ({ at, rx, tx });

describe('rate sparkline', () => {
  it('keeps the last minute of samples', () => {
    let xs: RateSample[] = [];
    for (let i = 0; i <= 90; i++) xs = pushSample(xs, s(i * 1000, i));
    expect(xs[0]!.at).toBe(30_000); // one sample at the left edge
    expect(xs.at(-1)!.at).toBe(90_000);
    expect(xs).toHaveLength(61);
    // a repeated or older timestamp replaces nothing out of order
    xs = pushSample(xs, s(90_000, 5));
    expect(xs.at(-1)!.rx).toBe(5);
    expect(xs.filter((x) => x.at === 90_000)).toHaveLength(1);
  });

  it('draws the newest at the right edge and the peak at the top; a pause is a gap', () => {
    const xs = [s(0, 0), s(1000, 100), s(2000, 50), s(30_000, 100), s(60_000, 0)];
    const { max, rx } = peakOf(xs);
    expect(max).toBe(100);
    expect(rx).toBe(100);
    const d = sparkPath(xs, (x) => x.rx, 120, 20, max);
    expect(d).toBe('M0.0 19.0L2.0 1.0L4.0 10.0M60.0 1.0M120.0 19.0');
  });

  it('draws nothing without samples and a flat line without traffic', () => {
    expect(sparkPath([], (x) => x.rx, 120, 20, 0)).toBe('');
    expect(sparkPath([s(0, 0), s(1000, 0)], (x) => x.rx, 120, 20, 0)).toBe('M118.0 19.0L120.0 19.0');
  });
});
