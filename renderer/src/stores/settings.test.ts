// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { SETTINGS_KEY, defaultSettings, parseSettings, useSettingsStore } from './settings';

describe('settings store', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('follows the system language until the user picks one', () => {
    vi.spyOn(navigator, 'language', 'get').mockReturnValue('zh-TW');
    const s = useSettingsStore();
    expect(s.language).toBe('auto');
    expect(s.locale).toBe('zh-CN');
    s.update({ language: 'en' });
    expect(s.locale).toBe('en');
  });

  it('uses English for a non-Chinese system language', () => {
    vi.spyOn(navigator, 'language', 'get').mockReturnValue('de-DE');
    expect(useSettingsStore().locale).toBe('en');
  });

  it('persists under a versioned key and reloads what was saved', () => {
    const s = useSettingsStore();
    s.update({ theme: 'dark', rxEncoding: 'gbk' });
    const stored = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? '{}');
    expect(stored).toMatchObject({ theme: 'dark', rxEncoding: 'gbk' });
    setActivePinia(createPinia());
    const again = useSettingsStore();
    expect(again.theme).toBe('dark');
    expect(again.isDark).toBe(true);
    expect(again.rxEncoding).toBe('gbk');
  });

  it('validates stored values field by field and survives garbage', () => {
    expect(parseSettings('{not json')).toEqual(defaultSettings());
    expect(parseSettings('[1,2]')).toEqual(defaultSettings());
    const mixed = parseSettings(JSON.stringify({ theme: 'neon', rxEncoding: 'big5', logCap: -3 /* a setting of older versions: ignored */, language: 'zh-CN' }));
    expect(mixed).toEqual({ ...defaultSettings(), rxEncoding: 'big5', language: 'zh-CN' });
  });

  it('remembers the layout and what the log shows, and drops bad values of them', () => {
    const s = useSettingsStore();
    expect(s).toMatchObject({ sidebarCollapsed: false, auxCollapsed: false, defaultView: 'both', logTime: true, logDate: false, logDelta: false, rateChart: true });
    s.update({ sidebarCollapsed: true, auxCollapsed: true, defaultView: 'hex', logDate: true, logDelta: true, rateChart: false });
    setActivePinia(createPinia());
    expect(useSettingsStore()).toMatchObject({ sidebarCollapsed: true, auxCollapsed: true, defaultView: 'hex', logTime: true, logDate: true, logDelta: true, rateChart: false });
    expect(parseSettings(JSON.stringify({ defaultView: 'binary', logTime: 'yes', sidebarCollapsed: 1 }))).toEqual(defaultSettings());
  });

  it('asks before quitting by default, remembers "don\'t ask", and drops a bad value', () => {
    const s = useSettingsStore();
    expect(s.confirmQuit).toBe(true);
    s.update({ confirmQuit: false });
    expect(JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? '{}')).toMatchObject({ confirmQuit: false });
    setActivePinia(createPinia());
    expect(useSettingsStore().confirmQuit).toBe(false);
    expect(parseSettings(JSON.stringify({ confirmQuit: 'no' })).confirmQuit).toBe(true);
  });

  it('the theme button changes the look at its first click: on a light system, system → dark → light → system', () => {
    const s = useSettingsStore();
    s.systemDark = false;
    expect(s.theme).toBe('system');
    expect(s.isDark).toBe(false);
    const seen: Array<[string, boolean]> = [];
    for (let i = 0; i < 3; i++) {
      expect(s.nextTheme).not.toBe(s.theme);
      s.cycleTheme();
      seen.push([s.theme, s.isDark]);
    }
    expect(seen).toEqual([['dark', true], ['light', false], ['system', false]]);
  });

  it('on a dark system the first click goes to light', () => {
    const s = useSettingsStore();
    s.systemDark = true;
    expect(s.isDark).toBe(true);
    s.cycleTheme();
    expect([s.theme, s.isDark]).toEqual(['light', false]);
    s.cycleTheme();
    expect([s.theme, s.isDark]).toEqual(['dark', true]);
    s.cycleTheme();
    expect(s.theme).toBe('system');
  });
});
