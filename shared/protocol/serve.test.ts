import { describe, expect, it } from 'vitest';
import { TOKEN_MAX_LENGTH, TOKEN_MIN_LENGTH, TOKEN_PATTERN } from './serve';

describe('the token pattern', () => {
  it('takes 16–256 URL-safe characters and nothing else', () => {
    expect(TOKEN_PATTERN.test('a'.repeat(TOKEN_MIN_LENGTH))).toBe(true);
    expect(TOKEN_PATTERN.test('A-z_0'.repeat(10))).toBe(true);
    expect(TOKEN_PATTERN.test('a'.repeat(TOKEN_MIN_LENGTH - 1))).toBe(false);
    expect(TOKEN_PATTERN.test('a'.repeat(TOKEN_MAX_LENGTH + 1))).toBe(false);
    expect(TOKEN_PATTERN.test(`${'a'.repeat(20)}=`)).toBe(false);
    expect(TOKEN_PATTERN.test(`${'a'.repeat(20)}\n`)).toBe(false);
  });
});
