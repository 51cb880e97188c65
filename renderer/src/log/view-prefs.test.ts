// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { type SessionInfo } from '../../../shared/protocol';
import { useLogStore } from '../stores/logs';
import { useSettingsStore } from '../stores/settings';
import { MAX_ENTRIES, VIEW_PREFS_KEY, ViewPrefs, viewKey } from './view-prefs';
import { sessionInfo } from '../stores/session-info.test-util';

function memory(): Storage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, v),
  };
}

const info = (sessionId: string, createdAt: number): SessionInfo => sessionInfo({ kind: 'udp', bindAddress: '127.0.0.1' }, { sessionId, createdAt });

describe('ViewPrefs', () => {
  it('remembers views by session and creation time, survives garbage, stays bounded', () => {
    const st = memory();
    const p = new ViewPrefs(st);
    p.set(viewKey('s1', 10), { mode: 'hex', wrap: true });
    expect(new ViewPrefs(st).get('s1@10')).toEqual({ mode: 'hex', wrap: true });
    expect(new ViewPrefs(st).get('s1@11')).toBeUndefined();
    st.setItem(VIEW_PREFS_KEY, JSON.stringify({ a: { mode: 'binary', wrap: true }, b: { mode: 'text', wrap: 'yes' }, c: { mode: 'text', wrap: false } }));
    const q = new ViewPrefs(st);
    expect([q.get('a'), q.get('b'), q.get('c')]).toEqual([undefined, undefined, { mode: 'text', wrap: false }]);
    st.setItem(VIEW_PREFS_KEY, '{not json');
    expect(new ViewPrefs(st).get('c')).toBeUndefined();
    const r = new ViewPrefs(st);
    for (let i = 0; i < MAX_ENTRIES + 5; i++) r.set(`s${i}@1`, { mode: 'text', wrap: false });
    expect(Object.keys(JSON.parse(st.getItem(VIEW_PREFS_KEY)!))).toHaveLength(MAX_ENTRIES);
    expect(r.get('s0@1')).toBeUndefined();
    r.retain(new Set(['s7@1']));
    expect(Object.keys(JSON.parse(st.getItem(VIEW_PREFS_KEY)!))).toEqual(['s7@1']);
  });
});

describe('the log store remembers each session view across reloads', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('a reloaded page shows each session as it was; a new session starts in the settings view', () => {
    let logs = useLogStore();
    logs.apply([{ type: 'session.opened', ts: 1, sessionId: 's1', info: info('s1', 100) }]);
    expect(logs.mode('s1')).toBe('both');
    logs.setMode('s1', 'text');
    logs.setWrap('s1', true);
    useSettingsStore().update({ defaultView: 'hex' });

    // a reload: new stores, the same engine
    setActivePinia(createPinia());
    logs = useLogStore();
    void logs.reset([info('s1', 100), info('s2', 200)]);
    expect([logs.mode('s1'), logs.wrap('s1')]).toEqual(['text', true]);
    expect([logs.mode('s2'), logs.wrap('s2')]).toEqual(['hex', false]);
    // the default changing later does not change a session that started before
    useSettingsStore().update({ defaultView: 'both' });
    expect(logs.mode('s2')).toBe('hex');

    // an engine restart hands out s1 again for another session: it starts fresh
    setActivePinia(createPinia());
    logs = useLogStore();
    void logs.reset([info('s1', 999)]);
    expect([logs.mode('s1'), logs.wrap('s1')]).toEqual(['both', false]);
    // …and the views of sessions that are gone were dropped
    expect(Object.keys(JSON.parse(localStorage.getItem(VIEW_PREFS_KEY)!))).toEqual(['s1@999']);
  });
});
