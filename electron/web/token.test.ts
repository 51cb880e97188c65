import { describe, expect, it } from 'vitest';
import { generateToken, isValidToken, tokenFromProtocols, tokenProblem, tokensEqual } from './token';

describe('serve-mode token', () => {
  it('generates 32 base64url characters (192 bits), different every time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const t = generateToken();
      expect(t).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(isValidToken(t)).toBe(true);
      seen.add(t);
    }
    expect(seen.size).toBe(100);
  });

  it('accepts user tokens of at least 16 safe characters and says why others are refused', () => {
    expect(tokenProblem('abcdefghijklmnop')).toBeNull();
    expect(tokenProblem('A_b-0123456789xyz')).toBeNull();
    expect(tokenProblem('short')).toMatch(/at least 16 characters/);
    expect(tokenProblem('abcdefghijklmnop!')).toMatch(/may only contain/);
    expect(tokenProblem('abcdefghijklmnop,wirebench')).toMatch(/may only contain/);
    expect(tokenProblem('x'.repeat(300))).toMatch(/at most/);
  });

  it('compares tokens exactly, whatever their lengths', () => {
    const t = generateToken();
    expect(tokensEqual(t, t)).toBe(true);
    expect(tokensEqual(t, `${t}x`)).toBe(false);
    expect(tokensEqual(t, t.slice(0, -1))).toBe(false);
    expect(tokensEqual(t, '')).toBe(false);
  });

  it('finds the token among offered subprotocols', () => {
    expect(tokenFromProtocols('wirebench.v1, wirebench.token.abc_DEF-123')).toBe('abc_DEF-123');
    expect(tokenFromProtocols('chat')).toBeUndefined();
    expect(tokenFromProtocols(undefined)).toBeUndefined();
  });
});
