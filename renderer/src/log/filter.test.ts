import { describe, expect, it } from 'vitest';
import { CodecError } from '../../../shared/codec/types';
import { FilteredIndex, compileFilter, containsBytes, emptyFilter, type LogFilterSpec } from './filter';
import { LogRing } from './ring';
import type { LogEntry } from './types';

const enc = new TextEncoder();
const A = { address: '127.0.0.1', port: 5000, family: 'IPv4' as const };
const B = { address: '::1', port: 6000, family: 'IPv6' as const };

function entry(partial: Partial<LogEntry>): LogEntry {
  const text = partial.text ?? '';
  return { seq: 1, ts: 0, dir: 'rx', bytes: enc.encode(text), ...partial, text };
}

function matcher(spec: Partial<LogFilterSpec>): (e: LogEntry) => boolean {
  const c = compileFilter({ ...emptyFilter(), ...spec });
  if (!c.ok) throw c.error;
  return c.match;
}

describe('containsBytes', () => {
  it('finds byte runs anywhere, including overlapping starts', () => {
    const h = Uint8Array.of(1, 1, 2, 3, 1, 2);
    expect(containsBytes(h, Uint8Array.of(1, 2, 3))).toBe(true);
    expect(containsBytes(h, Uint8Array.of(3, 1, 2))).toBe(true);
    expect(containsBytes(h, Uint8Array.of(2, 1))).toBe(false);
    expect(containsBytes(h, Uint8Array.of())).toBe(true);
    expect(containsBytes(Uint8Array.of(1), Uint8Array.of(1, 2))).toBe(false);
  });
});

describe('compileFilter', () => {
  it('an empty spec is inactive and matches everything', () => {
    const c = compileFilter(emptyFilter());
    expect(c.ok && !c.active && c.match(entry({ text: 'x' }))).toBe(true);
  });

  it('text search is a case-insensitive substring of the decoded text', () => {
    const m = matcher({ query: 'hello' });
    expect(m(entry({ text: 'say HeLLo world' }))).toBe(true);
    expect(m(entry({ text: 'help' }))).toBe(false);
    expect(matcher({ query: '你好' })(entry({ text: '说你好' }))).toBe(true);
  });

  it('hex search matches a byte subsequence of the payload', () => {
    const m = matcher({ query: '0d 0a', queryMode: 'hex' });
    expect(m(entry({ text: 'a\r\nb' }))).toBe(true);
    expect(m(entry({ text: 'a\n\rb' }))).toBe(false);
    expect(m(entry({ dir: 'info', text: 'connected', bytes: undefined }))).toBe(false);
    expect(matcher({ query: '0x48,0x69', queryMode: 'hex' })(entry({ text: 'Hi' }))).toBe(true);
  });

  it('a bad hex query returns the error with its position', () => {
    const c = compileFilter({ ...emptyFilter(), query: '0a g1', queryMode: 'hex' });
    expect(c.ok).toBe(false);
    if (!c.ok) {
      expect(c.error).toBeInstanceOf(CodecError);
      expect(c.error.position).toBe(4);
      expect(c.error.char).toBe('g');
    }
  });

  it('filters by direction set', () => {
    const m = matcher({ dirs: ['tx', 'error'] });
    expect(m(entry({ dir: 'tx' }))).toBe(true);
    expect(m(entry({ dir: 'error' }))).toBe(true);
    expect(m(entry({ dir: 'rx' }))).toBe(false);
    expect(matcher({ dirs: [] })(entry({ dir: 'rx' }))).toBe(false);
    expect(compileFilter({ ...emptyFilter(), dirs: ['rx', 'tx', 'info', 'error'] }).ok).toBe(true);
    const all = compileFilter({ ...emptyFilter(), dirs: ['rx', 'tx', 'info', 'error'] });
    expect(all.ok && all.active).toBe(false);
  });

  it('filters by peer endpoint', () => {
    const m = matcher({ peer: '[::1]:6000' });
    expect(m(entry({ remote: B }))).toBe(true);
    expect(m(entry({ remote: A }))).toBe(false);
    expect(m(entry({ remote: undefined }))).toBe(false);
    expect(matcher({ peer: '127.0.0.1:5000' })(entry({ remote: A }))).toBe(true);
  });

  it('combines every criterion', () => {
    const m = matcher({ peer: '127.0.0.1:5000', dirs: ['rx'], query: 'ok' });
    expect(m(entry({ remote: A, dir: 'rx', text: 'OK!' }))).toBe(true);
    expect(m(entry({ remote: A, dir: 'tx', text: 'OK!' }))).toBe(false);
    expect(m(entry({ remote: B, dir: 'rx', text: 'OK!' }))).toBe(false);
  });
});

describe('FilteredIndex', () => {
  it('scans incrementally within its budget and follows the ring', () => {
    const ring = new LogRing(1000);
    for (let i = 0; i < 100; i++) ring.push({ ts: i, dir: i % 2 ? 'tx' : 'rx', text: `m${i}` });
    const idx = new FilteredIndex(ring, matcher({ dirs: ['rx'] }));
    expect(idx.step(30)).toBe(false);
    expect(idx.size).toBe(15);
    expect(idx.pending()).toBe(70);
    while (!idx.step(30));
    expect(idx.size).toBe(50);
    expect(idx.at(0)!.text).toBe('m0');
    expect(idx.at(49)!.text).toBe('m98');
    ring.push({ ts: 0, dir: 'rx', text: 'new' });
    expect(idx.step()).toBe(true);
    expect(idx.at(idx.size - 1)!.text).toBe('new');
  });

  it('drops evicted matches and empties on clear', () => {
    const ring = new LogRing(10);
    const idx = new FilteredIndex(ring, matcher({ query: 'a' }));
    for (let i = 0; i < 10; i++) ring.push({ ts: 0, dir: 'rx', text: i < 5 ? 'a' : 'b' });
    idx.step();
    expect(idx.size).toBe(5);
    for (let i = 0; i < 3; i++) ring.push({ ts: 0, dir: 'rx', text: 'b' });
    idx.step();
    expect(idx.size).toBe(2);
    ring.clear();
    idx.step();
    expect(idx.size).toBe(0);
    ring.push({ ts: 0, dir: 'rx', text: 'a' });
    idx.step();
    expect(idx.size).toBe(1);
  });

  it('stops at a paused snapshot', () => {
    const ring = new LogRing(10);
    for (let i = 0; i < 6; i++) ring.push({ ts: 0, dir: 'rx', text: 'x' });
    const idx = new FilteredIndex(ring, matcher({ query: 'x' }));
    expect(idx.step(100, 4)).toBe(true);
    expect(idx.size).toBe(4);
    expect(idx.step(100)).toBe(true);
    expect(idx.size).toBe(6);
  });

  it('filters 100k rows in bounded steps', () => {
    const ring = new LogRing(100_000);
    for (let i = 0; i < 100_000; i++) ring.push({ ts: i, dir: 'rx', text: `row ${i} payload`, bytes: enc.encode(`row ${i}`) });
    const idx = new FilteredIndex(ring, matcher({ query: '99' }));
    let steps = 0;
    let worst = 0;
    for (;;) {
      const t = performance.now();
      const done = idx.step(20_000);
      worst = Math.max(worst, performance.now() - t);
      steps++;
      if (done) break;
    }
    expect(steps).toBe(5);
    expect(idx.size).toBeGreaterThan(0);
    expect(worst).toBeLessThan(200);
  });
});
