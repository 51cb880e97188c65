import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSP_HEADER, CSP_META } from '../../shared/protocol/serve';
import { cspFromHtml } from './static';

describe('the CSP', () => {
  it("is exactly the renderer's meta tag, with no eval and script-src 'self'", () => {
    const html = readFileSync(resolve(import.meta.dirname, '../../renderer/index.html'), 'utf8');
    const meta = cspFromHtml(html);
    expect(meta).toBe(CSP_META);
    expect(CSP_HEADER).toBe(`${CSP_META}; frame-ancestors 'none'`);
    expect(/script-src ([^;]*)/.exec(CSP_META)?.[1]).toBe("'self'");
    expect(CSP_HEADER).not.toMatch(/unsafe-eval/);
  });
});

