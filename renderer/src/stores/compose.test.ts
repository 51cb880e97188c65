import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { useComposeStore } from './compose';

describe('compose store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('answers the registered panel payload, normalised, until the panel goes away', () => {
    const compose = useComposeStore();
    expect(compose.currentPayload('s1')).toBeNull();
    const off = compose.register('s1', () => ({ kind: 'text', text: 'hi', lineEnding: 'crlf' }));
    expect(compose.currentPayload('s1')).toEqual({ kind: 'text', text: 'hi', encoding: 'utf-8', escapes: false, lineEnding: 'crlf' });
    const off2 = compose.register('s1', () => null);
    off(); // an older registration leaving does not remove the newer one
    expect(compose.hasProvider('s1')).toBe(true);
    expect(compose.currentPayload('s1')).toBeNull();
    off2();
    expect(compose.hasProvider('s1')).toBe(false);
  });
});
