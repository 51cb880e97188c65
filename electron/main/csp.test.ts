import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cspFromHtml } from '../web/static';
import { CSP } from './csp';

describe('the Electron window CSP', () => {
  it("is the renderer's meta-tag policy plus frame-ancestors, with no eval and script-src 'self'", () => {
    const meta = cspFromHtml(readFileSync(resolve(import.meta.dirname, '../../renderer/index.html'), 'utf8'));
    expect(CSP).toBe(`${meta}; frame-ancestors 'none'`);
    expect(CSP).toMatch(/script-src 'self';/);
    expect(CSP).not.toMatch(/unsafe-eval/);
  });
});
