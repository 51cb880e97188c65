import { describe, expect, it } from 'vitest';
import { appMode } from './app-mode';

const exe = ['/opt/Wirebench/wirebench'];

describe('appMode: DevTools in packaged builds only when debugging', () => {
  it('allows DevTools in development', () => {
    expect(appMode({ isPackaged: false, argv: ['electron', 'out/main/index.js'], env: {} })).toEqual({
      isPackaged: false,
      debug: false,
      devTools: true,
    });
  });

  it('forbids DevTools in a packaged build', () => {
    expect(appMode({ isPackaged: true, argv: exe, env: {} })).toMatchObject({ debug: false, devTools: false });
  });

  it('allows them in a packaged build started with --debug or WIREBENCH_DEBUG=1', () => {
    expect(appMode({ isPackaged: true, argv: [...exe, '--debug'], env: {} })).toMatchObject({ debug: true, devTools: true });
    expect(appMode({ isPackaged: true, argv: exe, env: { WIREBENCH_DEBUG: '1' } })).toMatchObject({ debug: true, devTools: true });
  });

  it('does not take lookalikes for the debug flag', () => {
    for (const env of [{ WIREBENCH_DEBUG: '0' }, { WIREBENCH_DEBUG: 'true' }, { WIREBENCH_DEBUG: '' }, { DEBUG: '1' }]) {
      expect(appMode({ isPackaged: true, argv: exe, env }).devTools).toBe(false);
    }
    for (const arg of ['--debug=0', '--debugger', '-debug', 'debug']) {
      expect(appMode({ isPackaged: true, argv: [...exe, arg], env: {} }).devTools).toBe(false);
    }
  });
});
