/**
 * The desktop app's side of the page (Electron only; in a browser it does
 * nothing): the main process learns the page's language, theme and quit
 * choice (`desktop.prefs`, at start and on every change: the menu and the
 * native dialogs follow them), and the menu's clicks come back as
 * `desktop.action` events (routed here by router.ts): a theme, a language or
 * "don't ask again" changes the settings; anything else becomes a `request`
 * that App.vue answers by opening the same dialog its button opens.
 * Native save/open dialogs are asked for with the desktop commands.
 */
import { defineStore } from 'pinia';
import { computed, shallowRef, watch } from 'vue';
import type { CaptureInfo, CommandInput, DesktopAction, DesktopPrefs, ExportInfo, NetEvent, ProfileSummary, Result } from '../../../shared/protocol';
import { useBridgeStore } from './bridge';
import { useSettingsStore } from './settings';

/** The menu clicks the page answers with one of its dialogs. */
export type DesktopRequest = Exclude<DesktopAction, { kind: 'theme' | 'language' | 'confirmQuit' }>;

export const useDesktopStore = defineStore('desktop', () => {
  const bridge = useBridgeStore();
  const settings = useSettingsStore();
  /** the page runs in the desktop app (native dialogs, the menu) */
  const isDesktop = computed(() => bridge.kind === 'ipc');
  /** the newest menu request; `n` tells two clicks on the same item apart */
  const request = shallowRef<{ action: DesktopRequest; n: number } | null>(null);
  let count = 0;

  function apply(events: readonly NetEvent[]): void {
    for (const e of events) {
      if (e.type !== 'desktop.action') continue;
      const a = e.action;
      if (a.kind === 'theme') settings.update({ theme: a.theme });
      else if (a.kind === 'language') settings.update({ language: a.language });
      else if (a.kind === 'confirmQuit') settings.update({ confirmQuit: a.value });
      else request.value = { action: a, n: ++count };
    }
  }

  const prefs = computed<DesktopPrefs>(() => ({
    locale: settings.locale,
    language: settings.language,
    theme: settings.theme,
    confirmQuit: settings.confirmQuit,
  }));

  /** Keep the main process told (desktop app only): now, on every change, and after every (re)connection. */
  function start(): () => void {
    return watch(
      [prefs, () => bridge.state],
      ([p, state]) => {
        if (isDesktop.value && state === 'open') void bridge.request('desktop.prefs', p, { silent: true });
      },
      { immediate: true },
    );
  }

  /** The OS save dialog, then the export there; null: cancelled. */
  const exportTo = (args: CommandInput<'desktop.exportTo'>): Promise<Result<ExportInfo | null>> =>
    bridge.request('desktop.exportTo', args, { silent: true });
  /** The OS save dialog, then the capture there; null: cancelled. */
  const captureTo = (args: CommandInput<'desktop.captureTo'>): Promise<Result<CaptureInfo | null>> =>
    bridge.request('desktop.captureTo', args, { silent: true });
  /** The OS open dialog, then the import; null: cancelled. */
  const importProfile = (): Promise<Result<ProfileSummary | null>> => bridge.request('desktop.importProfile', {}, { silent: true });

  return { isDesktop, request, apply, start, exportTo, captureTo, importProfile };
});
