import { describe, expect, it } from 'vitest';
import { LogRing } from './ring';
import type { LogEntry } from './types';

const row = (text: string): Omit<LogEntry, 'seq'> => ({ ts: 0, dir: 'rx', text });
const texts = (r: LogRing): string[] => Array.from({ length: r.size }, (_, i) => r.at(i)!.text);

describe('LogRing', () => {
  it('keeps rows in order with increasing seqs', () => {
    const r = new LogRing(5);
    r.push(row('a'));
    r.push(row('b'));
    expect(r.size).toBe(2);
    expect(texts(r)).toEqual(['a', 'b']);
    expect(r.at(0)!.seq).toBe(1);
    expect(r.at(1)!.seq).toBe(2);
    expect(r.seq).toBe(2);
    expect(r.firstSeq).toBe(1);
    expect(r.at(2)).toBeUndefined();
    expect(r.at(-1)).toBeUndefined();
  });

  it('evicts the oldest rows at capacity and counts them', () => {
    const r = new LogRing(3);
    for (let i = 0; i < 10; i++) r.push(row(String(i)));
    expect(r.size).toBe(3);
    expect(texts(r)).toEqual(['7', '8', '9']);
    expect(r.evicted).toBe(7);
    expect(r.firstSeq).toBe(8);
    expect(r.bySeq(8)!.text).toBe('7');
    expect(r.bySeq(7)).toBeUndefined();
    expect(r.last()!.text).toBe('9');
  });

  it('shrinking keeps the newest rows and counts the rest as evicted', () => {
    const r = new LogRing(10);
    for (let i = 0; i < 12; i++) r.push(row(String(i)));
    expect(r.evicted).toBe(2);
    r.setCapacity(4);
    expect(texts(r)).toEqual(['8', '9', '10', '11']);
    expect(r.evicted).toBe(8);
    r.push(row('12'));
    expect(texts(r)).toEqual(['9', '10', '11', '12']);
    expect(r.evicted).toBe(9);
  });

  it('growing keeps every row and makes room for more', () => {
    const r = new LogRing(2);
    for (let i = 0; i < 3; i++) r.push(row(String(i)));
    r.setCapacity(4);
    r.push(row('3'));
    r.push(row('4'));
    expect(texts(r)).toEqual(['1', '2', '3', '4']);
    expect(r.evicted).toBe(1);
  });

  it('clear empties the ring and the eviction count but seqs keep rising', () => {
    const r = new LogRing(2);
    for (let i = 0; i < 5; i++) r.push(row(String(i)));
    r.clear();
    expect(r.size).toBe(0);
    expect(r.evicted).toBe(0);
    expect(r.firstSeq).toBe(6);
    expect(r.push(row('x')).seq).toBe(6);
    expect(texts(r)).toEqual(['x']);
  });

  it('matches a plain array model under random pushes and resizes', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const r = new LogRing(8);
    let model: string[] = [];
    let cap = 8;
    let evicted = 0;
    for (let step = 0; step < 2000; step++) {
      const op = rand(20);
      if (op === 0) {
        cap = 1 + rand(12);
        r.setCapacity(cap);
        if (model.length > cap) {
          evicted += model.length - cap;
          model = model.slice(model.length - cap);
        }
      } else if (op === 1 && rand(5) === 0) {
        r.clear();
        model = [];
        evicted = 0;
      } else {
        const t = String(step);
        r.push(row(t));
        model.push(t);
        if (model.length > cap) {
          model.shift();
          evicted++;
        }
      }
      expect(texts(r)).toEqual(model);
      expect(r.evicted).toBe(evicted);
    }
  });
});
