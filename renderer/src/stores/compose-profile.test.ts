// @vitest-environment happy-dom
// The send panel's settings in profiles and the workspace (profiles store + compose store).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { nextTick } from 'vue';
import { ok, PROFILE_VERSION, profileSchema, type Profile, type SessionInfo } from '../../../shared/protocol';
import { remember } from '../send/send-draft';
import { openedEvent, serverInfo } from './automation.test-util';
import { SEND_SAVE_DEBOUNCE_MS, useComposeStore } from './compose';
import { FakeBridge } from './fake-bridge.test-util';
import { useProfilesStore, WORKSPACE_DEBOUNCE_MS } from './profiles';
import { useSessionsStore } from './sessions';
import { useEventRouter } from './router';

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await nextTick();
};

function setup(live: SessionInfo[] = [], saved: Profile | null = null) {
  const bridge = new FakeBridge();
  bridge.on('session.list', () => ok(live));
  bridge.on('workspace.get', () => ok(saved));
  bridge.on('workspace.save', () => ok(null));
  const sessions = useSessionsStore();
  useEventRouter().connect(bridge, { rates: false });
  return { bridge, sessions, compose: useComposeStore(), profiles: useProfilesStore() };
}

describe('send settings in profiles and the workspace', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });
  afterEach(() => vi.useRealTimers());

  it('puts each session’s send settings, draft and recall list in the profile, valid for the engine', () => {
    const { bridge, compose, profiles } = setup();
    bridge.emit([openedEvent(serverInfo('s1')), openedEvent(serverInfo('s2'))]);
    const d = compose.draftOf('s1');
    Object.assign(d.form, { mode: 'hex', hex: '01 03 00 00 00 0A', checksum: 'crc16-modbus', endian: 'le' });
    remember(d, { ...d.form });
    const p = profiles.buildProfile('Modbus');
    expect(p.sessions[0]?.send).toMatchObject({ mode: 'hex', hex: '01 03 00 00 00 0A', checksum: 'crc16-modbus', endian: 'le' });
    expect(p.sessions[0]?.send?.recall).toHaveLength(1);
    expect(p.sessions[1]).not.toHaveProperty('send'); // untouched: nothing saved
    expect(profileSchema.safeParse(JSON.parse(JSON.stringify(p))).success).toBe(true);
  });

  it('gives a profile’s send settings to the sessions it opens', async () => {
    const { bridge, compose, profiles } = setup();
    const prof: Profile = {
      wirebench: 'profile',
      version: PROFILE_VERSION,
      name: 'gbk',
      savedAt: Date.now(),
      sessions: [
        {
          config: serverInfo('x').config,
          quickCommands: [],
          sequences: [],
          send: { mode: 'text', text: '你好', hex: '', escapes: true, lineEnding: 'crlf', checksum: 'none', endian: 'be', recall: [] },
        },
      ],
    };
    bridge.on('profile.apply', () => ok([serverInfo('n1')]));
    bridge.on('session.list', () => ok([serverInfo('n1')]));
    const r = await profiles.apply(prof);
    expect(r.ok).toBe(true);
    expect(compose.draftOf('n1').form).toMatchObject({ text: '你好', escapes: true, lineEnding: 'crlf', encoding: null });
  });

  it('saves the workspace again when send settings change', async () => {
    vi.useFakeTimers();
    const { bridge, compose, profiles } = setup();
    profiles.start();
    bridge.setState('open');
    await flush();
    bridge.emit([openedEvent(serverInfo('s1'))]);
    await flush();
    vi.advanceTimersByTime(WORKSPACE_DEBOUNCE_MS * 2);
    await flush();
    const before = bridge.callsOf('workspace.save').length;
    compose.draftOf('s1').form.lineEnding = 'lf';
    await flush();
    vi.advanceTimersByTime(SEND_SAVE_DEBOUNCE_MS + 10);
    await flush();
    vi.advanceTimersByTime(WORKSPACE_DEBOUNCE_MS + 10);
    await flush();
    const saves = bridge.callsOf('workspace.save') as { profile: Profile }[];
    expect(saves.length).toBe(before + 1);
    expect(saves.at(-1)?.profile.sessions[0]?.send?.lineEnding).toBe('lf');
  });
});
