/**
 * Recording (the protocol's `recording.ts`): raw captures, log exports and the
 * record's size limit on disk (the "spill" limit, re-applied on every
 * connection). Commands go through the bridge store; export progress arrives
 * through the router.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef, triggerRef } from 'vue';
import type { CaptureInfo, ExportFormat, ExportInfo, ExportLanguage, NetEvent, Result } from '../../../shared/protocol';
import { useBridgeStore } from './bridge';
import { useSessionsStore } from './sessions';

/** The spill limit the user chose, re-applied on every connection (the engine starts with its default). */
export const SPILL_KEY = 'wirebench.spillLimit.v1';
const SPILL_MIN = 1024 * 1024;
const SPILL_MAX = 64 * 1024 ** 3;
function storedSpill(): number | null {
  try {
    const v = Number(globalThis.localStorage?.getItem(SPILL_KEY) ?? NaN);
    return Number.isInteger(v) && v >= SPILL_MIN && v <= SPILL_MAX ? v : null;
  } catch {
    return null;
  }
}

export const useRecordingStore = defineStore('recording', () => {
  const bridge = useBridgeStore();
  const sessions = useSessionsStore();
  const exports = shallowRef(new Map<string, ExportInfo>());
  /** the spill log's size limit as the engine last answered it */
  const spillLimitBytes = ref<number | null>(storedSpill());
  const context = (sessionId: string) => `Capture · ${sessions.get(sessionId)?.name ?? sessionId}`;

  async function startCapture(sessionId: string, perPeer: boolean): Promise<Result<CaptureInfo>> {
    const r = await bridge.request('capture.start', { sessionId, perPeer }, { context: context(sessionId) });
    if (r.ok) sessions.patchInfo(sessionId, { capture: r.data });
    return r;
  }
  async function stopCapture(sessionId: string): Promise<Result<CaptureInfo>> {
    const r = await bridge.request('capture.stop', { sessionId }, { context: context(sessionId) });
    if (r.ok) sessions.patchInfo(sessionId, { capture: r.data });
    return r;
  }

  function putExport(e: ExportInfo): void {
    exports.value.set(e.exportId, e);
    triggerRef(exports);
  }
  const exportInfo = (exportId: string): ExportInfo | null => exports.value.get(exportId) ?? null;
  /** `language`: the language of the file's header lines (txt formats). */
  async function startExport(sessionId: string, format: ExportFormat, timeZone: 'local' | 'utc', language: ExportLanguage = 'en'): Promise<Result<ExportInfo>> {
    const r = await bridge.request('export.start', { sessionId, format, timeZone, language }, { silent: true });
    if (r.ok) {
      // an event may already have reported a later state of the same export
      const known = exports.value.get(r.data.exportId);
      if (!known || known.records <= r.data.records) putExport(r.data);
    }
    return r;
  }

  async function configureSpill(limitBytes: number) {
    const r = await bridge.request('spill.configure', { limitBytes }, { context: 'Spill' });
    if (r.ok) {
      spillLimitBytes.value = r.data.limitBytes;
      try {
        globalThis.localStorage?.setItem(SPILL_KEY, String(r.data.limitBytes));
      } catch {
        // storage disabled: the limit holds until the engine restarts
      }
    }
    return r;
  }
  /** After a (re)connection: give the engine the limit chosen earlier, if any. */
  async function reapplySpill(): Promise<void> {
    const v = storedSpill();
    if (v !== null) await bridge.request('spill.configure', { limitBytes: v }, { silent: true });
  }

  /** One batch of events, from the event router (after the automation store). */
  function apply(events: readonly NetEvent[]): void {
    for (const ev of events) if (ev.type === 'export.progress') putExport(ev.export);
  }

  return { apply, exports, spillLimitBytes, startCapture, stopCapture, exportInfo, startExport, configureSpill, reapplySpill };
});
