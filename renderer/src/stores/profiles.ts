/**
 * Profiles and the workspace: the saved profiles list, building a profile
 * from the live sessions (config, rules, quick commands, sequences), opening
 * one, import and export, and the automatic workspace save (debounced) with
 * the "reopen last workspace?" offer at start.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef, watch } from 'vue';
import { PROFILE_VERSION } from '../../../shared/protocol';
import type { Profile, ProfileSummary, Result, SessionInfo } from '../../../shared/protocol';
import { useAutomationStore } from './automation';
import { useBridgeStore } from './bridge';
import { useComposeStore } from './compose';
import { useEventRouter } from './router';
import { useSessionsStore } from './sessions';

export const WORKSPACE_NAME = 'workspace';
export const WORKSPACE_DEBOUNCE_MS = 1000;

/** JSON with bytes as hex: a stable signature of a profile's content (savedAt left out). */
export function profileSignature(p: Profile): string {
  return JSON.stringify({ ...p, savedAt: undefined }, (_k, v: unknown) =>
    v instanceof Uint8Array ? Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('') : v,
  );
}

export const useProfilesStore = defineStore('profiles', () => {
  const bridge = useBridgeStore();
  const sessions = useSessionsStore();
  const automation = useAutomationStore();
  const compose = useComposeStore();

  const list = shallowRef<ProfileSummary[]>([]);
  const loading = ref(false);
  /** the last workspace, offered for reopening while there are no live sessions */
  const offer = shallowRef<Profile | null>(null);
  /** the automatic save runs only once the start-up offer is settled */
  const autosave = ref(false);

  /** A profile from the live sessions, in creation order. */
  function buildProfile(name: string, description?: string): Profile {
    return {
      wirebench: 'profile',
      version: PROFILE_VERSION,
      name,
      ...(description ? { description } : {}),
      savedAt: Date.now(),
      sessions: sessions.list.map((s) => {
        const send = compose.sendStateOf(s.sessionId);
        return {
          config: s.config,
          ...(s.rules ? { rules: s.rules } : {}),
          quickCommands: automation.quickOf(s.sessionId),
          sequences: automation.sequencesOf(s.sessionId),
          ...(send ? { send } : {}),
        };
      }),
    };
  }

  async function refresh(): Promise<void> {
    loading.value = true;
    try {
      const r = await bridge.request('profile.list', {}, { silent: true });
      if (r.ok) list.value = r.data;
    } finally {
      loading.value = false;
    }
  }

  async function saveCurrent(name: string, description?: string): Promise<Result<ProfileSummary>> {
    const r = await bridge.request('profile.save', { profile: buildProfile(name.trim(), description?.trim() || undefined) }, { silent: true });
    if (r.ok) await refresh();
    return r;
  }

  /** Quick commands, sequences and send settings go to the sessions a profile opened, matched by order. */
  function restoreExtras(profile: Profile, opened: SessionInfo[]): void {
    profile.sessions.forEach((ps, i) => {
      const s = opened[i];
      if (!s) return;
      automation.setQuickCommands(s.sessionId, ps.quickCommands);
      automation.setSequences(s.sessionId, ps.sequences);
      compose.restoreSend(s, ps.send, profile.savedAt);
    });
  }

  async function apply(profile: Profile): Promise<Result<SessionInfo[]>> {
    const r = await bridge.request('profile.apply', { profile }, { silent: true });
    if (r.ok) {
      restoreExtras(profile, r.data);
      await useEventRouter().resync();
      const last = r.data[r.data.length - 1];
      if (last) sessions.setActive(last.sessionId);
    }
    return r;
  }

  async function open(name: string): Promise<Result<SessionInfo[]>> {
    const r = await bridge.request('profile.get', { name }, { silent: true });
    return r.ok ? apply(r.data) : r;
  }

  async function remove(name: string): Promise<Result<null>> {
    const r = await bridge.request('profile.delete', { name }, { silent: true });
    if (r.ok) await refresh();
    return r;
  }

  async function importJson(json: string): Promise<Result<ProfileSummary>> {
    const r = await bridge.request('profile.import', { json }, { silent: true });
    if (r.ok) await refresh();
    return r;
  }

  const exportProfile = (name: string) => bridge.request('profile.export', { name }, { silent: true });

  // ---- the workspace ----
  let lastSaved = '';
  let timer: ReturnType<typeof setTimeout> | null = null;

  async function saveWorkspace(): Promise<void> {
    const profile = buildProfile(WORKSPACE_NAME);
    // closing every session keeps the last workspace for the next start
    if (profile.sessions.length === 0) return;
    const sig = profileSignature(profile);
    if (sig === lastSaved) return;
    const r = await bridge.request('workspace.save', { profile }, { silent: true });
    if (r.ok) lastSaved = sig;
  }

  function scheduleSave(): void {
    if (!autosave.value) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void saveWorkspace();
    }, WORKSPACE_DEBOUNCE_MS);
  }

  /**
   * At start: fetch the last workspace. With no live sessions, offer to reopen
   * it; with live ones (a reloaded page), give their quick commands and
   * sequences back when the workspace describes the same sessions.
   */
  async function checkWorkspace(live: readonly SessionInfo[]): Promise<void> {
    const ws = await bridge.request('workspace.get', {}, { silent: true });
    const profile = ws.ok ? ws.data : null;
    const liveList = [...live].sort((a, b) => a.createdAt - b.createdAt);
    if (profile) lastSaved = profileSignature({ ...profile, name: WORKSPACE_NAME });
    if (profile && profile.sessions.length > 0 && liveList.length === 0) {
      offer.value = profile;
      return;
    }
    if (profile && liveList.length === profile.sessions.length && liveList.every((s, i) => s.kind === profile.sessions[i]?.config.kind)) {
      restoreExtras(profile, liveList);
    }
    autosave.value = true;
  }

  async function reopenOffer(): Promise<Result<SessionInfo[]> | null> {
    const p = offer.value;
    if (!p) return null;
    const r = await apply(p);
    if (r.ok) {
      offer.value = null;
      autosave.value = true;
    }
    return r;
  }

  function dismissOffer(): void {
    offer.value = null;
    autosave.value = true;
  }

  let started = false;
  /** Start the automatic save (the workspace check comes with the first re-sync, from the event router). */
  function start(): void {
    if (started) return;
    started = true;
    watch([() => sessions.list, () => automation.savedVersion, () => compose.savedVersion], scheduleSave);
  }

  return {
    list,
    loading,
    offer,
    autosave,
    buildProfile,
    refresh,
    saveCurrent,
    apply,
    open,
    remove,
    importJson,
    exportProfile,
    saveWorkspace,
    checkWorkspace,
    reopenOffer,
    dismissOffer,
    start,
  };
});
