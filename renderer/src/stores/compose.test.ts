// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { nextTick } from 'vue';
import type { SessionInfo } from '../../../shared/protocol';
import { remember } from '../send/send-draft';
import { openedEvent, serverInfo } from './automation.test-util';
import { SEND_SAVE_DEBOUNCE_MS, useComposeStore } from './compose';
import { FakeBridge } from './fake-bridge.test-util';
import { SEND_KEY_PREFIX, SEND_KEEP, prune, readSend, writeSend } from './send-storage';
import { useSessionsStore } from './sessions';
import { useEventRouter } from './router';
import { useSettingsStore } from './settings';

const gbkServer = (id: string, createdAt: number, name = 'PLC'): SessionInfo => {
  const base = serverInfo(id, createdAt);
  if (base.config.kind !== 'tcp-server') throw new Error('a server fixture');
  return { ...base, name, config: { ...base.config, name, port: 502, rxEncoding: 'gbk' } };
};

/** A fresh page: new stores over the same localStorage, with these live sessions. */
function page(live: SessionInfo[]) {
  setActivePinia(createPinia());
  const bridge = new FakeBridge();
  const sessions = useSessionsStore();
  useEventRouter().connect(bridge, { rates: false });
  bridge.emit(live.map(openedEvent));
  return { bridge, sessions, compose: useComposeStore() };
}

describe('compose store', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });
  afterEach(() => vi.useRealTimers());

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

  it('keeps one draft and one send result per session', () => {
    const { compose } = page([gbkServer('s1', 1), serverInfo('s2', 2)]);
    expect(compose.draftOf('s1')).toBe(compose.draftOf('s1'));
    expect(compose.draftOf('s2')).not.toBe(compose.draftOf('s1'));
    compose.setResult('s1', { bytes: 17, targets: 1 });
    expect(compose.draftOf('s1').result).toEqual({ bytes: 17, targets: 1 });
    expect(compose.draftOf('s2').result).toBeNull();
  });

  it('follows the session: no encoding is picked, the receive encoding is the send encoding', () => {
    const { compose } = page([gbkServer('s1', 1)]);
    expect(compose.draftOf('s1').form.encoding).toBeNull();
    expect(compose.rxEncodingOf('s1')).toBe('gbk');
    expect(compose.rxEncodingOf('gone')).toBe('utf-8');
  });

  it('takes a default send encoding changed in Settings as the pick of new drafts', () => {
    const { compose } = page([gbkServer('s1', 1), serverInfo('s2', 2)]);
    useSettingsStore().update({ txEncoding: 'gbk' });
    expect(compose.draftOf('s1').form.encoding).toBeNull(); // the same as the session's: following
    expect(compose.draftOf('s2').form.encoding).toBe('gbk'); // a UTF-8 session: GBK was picked
    useSettingsStore().update({ txEncoding: 'utf-8' });
  });

  it('saves a changed draft shortly after the change, and a reloaded page gets it back', async () => {
    vi.useFakeTimers();
    const first = page([gbkServer('s1', 1)]);
    const d = first.compose.draftOf('s1');
    Object.assign(d.form, { mode: 'hex', hex: '01 03 00 00', checksum: 'crc16-modbus', endian: 'le', encoding: 'utf-8' });
    remember(d, { ...d.form });
    d.form.hex = '01 03 00 01';
    await nextTick();
    const before = first.compose.savedVersion;
    vi.advanceTimersByTime(SEND_SAVE_DEBOUNCE_MS + 10);
    expect(first.compose.savedVersion).toBe(before + 1);

    const again = page([gbkServer('s1', 1)]);
    const back = again.compose.draftOf('s1');
    expect(back.form).toMatchObject({ mode: 'hex', hex: '01 03 00 01', checksum: 'crc16-modbus', endian: 'le', encoding: 'utf-8' });
    expect(back.recall.map((h) => h.hex)).toEqual(['01 03 00 00']);
    expect(back.result).toBeNull(); // a result is not a setting
  });

  it('finds the settings of a session after an engine restart (new id, same kind, name and address)', async () => {
    const first = page([gbkServer('s1', 1)]);
    first.compose.draftOf('s1').form.escapes = true;
    await nextTick();
    first.compose.flush();
    const restarted = page([gbkServer('s9', 500)]);
    expect(restarted.compose.draftOf('s9').form.escapes).toBe(true);
    // another session does not get them
    const other = page([gbkServer('s9', 500, 'Meter')]);
    expect(other.compose.draftOf('s9').form.escapes).toBe(false);
  });

  it('keeps sessions that look alike apart, by their creation order', async () => {
    const first = page([gbkServer('s1', 1), gbkServer('s2', 2)]);
    first.compose.draftOf('s1').form.text = 'one';
    first.compose.draftOf('s2').form.text = 'two';
    await nextTick();
    first.compose.flush();
    const again = page([gbkServer('a', 10), gbkServer('b', 20)]);
    expect(again.compose.draftOf('a').form.text).toBe('one');
    expect(again.compose.draftOf('b').form.text).toBe('two');
  });

  it('saves a pending change when its session goes away', async () => {
    const { bridge, compose } = page([gbkServer('s1', 1)]);
    compose.draftOf('s1').form.text = 'last words';
    await nextTick();
    bridge.emit([{ type: 'session.removed', ts: 2, sessionId: 's1' }]);
    await nextTick();
    const again = page([gbkServer('s5', 5)]);
    expect(again.compose.draftOf('s5').form.text).toBe('last words');
  });

  it('gives profiles the send state (nothing for untouched drafts) and takes the newer of profile and browser', async () => {
    const { compose } = page([gbkServer('s1', 1), serverInfo('s2', 2)]);
    expect(compose.sendStateOf('s1')).toBeUndefined();
    compose.draftOf('s1').form.lineEnding = 'crlf';
    expect(compose.sendStateOf('s1')).toMatchObject({ lineEnding: 'crlf', recall: [] });
    await nextTick();
    compose.flush();
    const savedAt = readSend(`${SEND_KEY_PREFIX}tcp-server|PLC|127.0.0.1|502`)?.savedAt ?? 0;
    expect(savedAt).toBeGreaterThan(0);

    // an older profile does not undo what this browser saved since
    const next = page([gbkServer('n1', 7)]);
    next.compose.restoreSend(gbkServer('n1', 7), { mode: 'hex', text: '', hex: 'AA', escapes: false, lineEnding: 'none', checksum: 'none', endian: 'be', recall: [] }, savedAt - 1000);
    expect(next.compose.draftOf('n1').form.lineEnding).toBe('crlf');
    // a newer one wins
    next.compose.restoreSend(gbkServer('n1', 7), { mode: 'hex', text: '', hex: 'AA', escapes: false, lineEnding: 'none', checksum: 'none', endian: 'be', recall: [] }, savedAt + 1000);
    expect(next.compose.draftOf('n1').form).toMatchObject({ mode: 'hex', hex: 'AA', lineEnding: 'none' });
    // a session this browser never saw takes the profile's
    const fresh = page([serverInfo('f1', 3)]);
    fresh.compose.restoreSend(serverInfo('f1', 3), { mode: 'text', text: 'hello', hex: '', encoding: 'big5', escapes: false, lineEnding: 'lf', checksum: 'none', endian: 'be', recall: [] });
    expect(fresh.compose.draftOf('f1').form).toMatchObject({ text: 'hello', encoding: 'big5', lineEnding: 'lf' });
  });

  it('asks the send panel to focus a session', () => {
    const compose = useComposeStore();
    compose.requestFocus('s3');
    expect(compose.focusRequest?.sessionId).toBe('s3');
  });

  it('storage: ignores damaged entries and keeps only the most recently saved ones', () => {
    localStorage.setItem(`${SEND_KEY_PREFIX}bad`, '{not json');
    expect(readSend(`${SEND_KEY_PREFIX}bad`)).toBeNull();
    const { compose } = page([]);
    expect(compose.sendStateOf('nope')).toBeUndefined();
    for (let i = 0; i < SEND_KEEP + 5; i++) writeSend(`${SEND_KEY_PREFIX}k${i}`, { mode: 'text', text: `${i}`, hex: '', escapes: false, lineEnding: 'none', checksum: 'none', endian: 'be', recall: [] }, 1000 + i);
    prune();
    const left = Object.keys(localStorage).filter((k) => k.startsWith(SEND_KEY_PREFIX));
    expect(left).toHaveLength(SEND_KEEP);
    expect(left).toContain(`${SEND_KEY_PREFIX}k${SEND_KEEP + 4}`);
    expect(left).not.toContain(`${SEND_KEY_PREFIX}k0`);
  });
});
