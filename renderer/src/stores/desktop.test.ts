// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { nextTick } from 'vue';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ok, type DesktopAction, type NetEvent } from '../../../shared/protocol';
import { useDesktopStore } from './desktop';
import { FakeBridge } from './fake-bridge.test-util';
import { useEventRouter } from './router';
import { useSessionsStore } from './sessions';
import { useSettingsStore } from './settings';

const act = (action: DesktopAction): NetEvent => ({ type: 'desktop.action', ts: 1, action });

/** The fake bridge posing as the desktop app's IPC transport. */
function ipcBridge(): FakeBridge {
  const b = new FakeBridge();
  Object.defineProperty(b, 'kind', { value: 'ipc' });
  b.on('desktop.prefs', () => ok(null));
  return b;
}

describe('the desktop store', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    vi.spyOn(navigator, 'language', 'get').mockReturnValue('en-US');
  });

  it('gets the menu\'s clicks through the router: theme, language and "don\'t ask" change the settings', () => {
    const bridge = ipcBridge();
    useEventRouter().connect(bridge, { rates: false });
    const settings = useSettingsStore();
    bridge.emit([act({ kind: 'theme', theme: 'dark' })]);
    expect(settings.theme).toBe('dark');
    bridge.emit([act({ kind: 'language', language: 'zh-CN' }), act({ kind: 'confirmQuit', value: false })]);
    expect(settings.language).toBe('zh-CN');
    expect(settings.locale).toBe('zh-CN');
    expect(settings.confirmQuit).toBe(false);
    expect(useDesktopStore().request).toBeNull();
    // about no session: the sessions store is untouched
    expect(useSessionsStore().list).toEqual([]);
  });

  it('turns the other clicks into requests for App.vue, each click its own', () => {
    const bridge = ipcBridge();
    useEventRouter().connect(bridge, { rates: false });
    const desktop = useDesktopStore();
    bridge.emit([act({ kind: 'newSession' })]);
    expect(desktop.request).toEqual({ action: { kind: 'newSession' }, n: 1 });
    bridge.emit([act({ kind: 'newSession' })]);
    expect(desktop.request).toEqual({ action: { kind: 'newSession' }, n: 2 });
    bridge.emit([act({ kind: 'exportLog' })]);
    expect(desktop.request?.action).toEqual({ kind: 'exportLog' });
  });

  it('tells the main process the language, theme and quit choice once connected, and on every change', async () => {
    const bridge = ipcBridge();
    useEventRouter().connect(bridge, { rates: false });
    const stop = useDesktopStore().start();
    const sent = () => bridge.calls.filter((c) => c.cmd === 'desktop.prefs').map((c) => c.args);
    expect(sent()).toEqual([]);
    bridge.setState('open');
    await nextTick();
    expect(sent()).toEqual([{ locale: 'en', language: 'auto', theme: 'system', confirmQuit: true }]);
    useSettingsStore().update({ language: 'zh-CN' });
    await nextTick();
    expect(sent().at(-1)).toEqual({ locale: 'zh-CN', language: 'zh-CN', theme: 'system', confirmQuit: true });
    useSettingsStore().update({ confirmQuit: false, theme: 'light' });
    await nextTick();
    expect(sent().at(-1)).toEqual({ locale: 'zh-CN', language: 'zh-CN', theme: 'light', confirmQuit: false });
    // a change of something the main process does not need sends nothing
    const n = sent().length;
    useSettingsStore().update({ logDate: true });
    await nextTick();
    expect(sent()).toHaveLength(n);
    stop();
  });

  it('sends nothing in a browser (serve mode)', async () => {
    const bridge = new FakeBridge();
    useEventRouter().connect(bridge, { rates: false });
    useDesktopStore().start();
    bridge.setState('open');
    await nextTick();
    expect(useDesktopStore().isDesktop).toBe(false);
    expect(bridge.calls.filter((c) => c.cmd === 'desktop.prefs')).toEqual([]);
  });
});
