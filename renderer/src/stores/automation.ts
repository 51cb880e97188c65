/**
 * Per-session automation (the protocol's `automation.ts`): reply rules and
 * their hit counters, quick commands and saved sequences (kept in the
 * workspace and profiles), running periodic sends and sequences, file
 * transfers. Captures, exports and the record limit are the recording store's.
 * Commands go through the bridge store; progress arrives through the router.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef, triggerRef } from 'vue';
import { ruleSetSchema } from '../../../shared/protocol';
import type {
  Err,
  NetEvent,
  PeerHitLog,
  QuickCommand,
  Reason,
  Result,
  RuleSetInput,
  RuleStat,
  SavedSequence,
  ScheduleInfo,
  SessionInfo,
  TransferInfo,
} from '../../../shared/protocol';
import { useBridgeStore } from './bridge';
import { useComposeStore } from './compose';
import { useSessionsStore } from './sessions';

/** File transfers go out in slices of this size; each awaits the engine's answer (backpressure). */
export const TRANSFER_CHUNK = 256 * 1024;

export interface TransferState {
  transferId: string | null;
  name: string;
  size: number;
  sent: number;
  status: 'running' | 'done' | 'cancelled' | 'error';
  /** why it failed, in English; `errorWhy` structured (translate at render time) */
  error?: string;
  errorWhy?: Reason;
}

const noPayload = (): Err => ({ ok: false, code: 'INVALID_ARGUMENT', message: 'There is nothing to send: type a message in the send panel first.' });

export const useAutomationStore = defineStore('automation', () => {
  const bridge = useBridgeStore();
  const sessions = useSessionsStore();
  const compose = useComposeStore();

  const quick = shallowRef(new Map<string, QuickCommand[]>());
  const sequences = shallowRef(new Map<string, SavedSequence[]>());
  /** bumped whenever quick commands or sequences change (the workspace saver watches it) */
  const savedVersion = ref(0);
  const schedules = shallowRef(new Map<string, ScheduleInfo>());
  const transfers = shallowRef(new Map<string, TransferState>());
  const stats = shallowRef(new Map<string, RuleStat[]>());

  // ---- quick commands and sequences ----
  const quickOf = (sessionId: string): QuickCommand[] => quick.value.get(sessionId) ?? [];
  const sequencesOf = (sessionId: string): SavedSequence[] => sequences.value.get(sessionId) ?? [];

  function setQuickCommands(sessionId: string, list: QuickCommand[]): void {
    quick.value.set(sessionId, [...list]);
    triggerRef(quick);
    savedVersion.value++;
  }
  function setSequences(sessionId: string, list: SavedSequence[]): void {
    sequences.value.set(sessionId, [...list]);
    triggerRef(sequences);
    savedVersion.value++;
  }
  /** Insert (index undefined) or replace one quick command. */
  function putQuick(sessionId: string, cmd: QuickCommand, index?: number): void {
    const list = [...quickOf(sessionId)];
    if (index === undefined || index < 0 || index >= list.length) list.push(cmd);
    else list[index] = cmd;
    setQuickCommands(sessionId, list);
  }
  function removeQuick(sessionId: string, index: number): void {
    setQuickCommands(sessionId, quickOf(sessionId).filter((_, i) => i !== index));
  }
  function putSequence(sessionId: string, seq: SavedSequence, index?: number): number {
    const list = [...sequencesOf(sessionId)];
    if (index === undefined || index < 0 || index >= list.length) {
      list.push(seq);
      index = list.length - 1;
    } else list[index] = seq;
    setSequences(sessionId, list);
    return index;
  }
  function removeSequence(sessionId: string, index: number): void {
    setSequences(sessionId, sequencesOf(sessionId).filter((_, i) => i !== index));
  }

  const context = (what: string, sessionId: string) => `${what} · ${sessions.get(sessionId)?.name ?? sessionId}`;

  async function sendQuick(sessionId: string, index: number) {
    const cmd = quickOf(sessionId)[index];
    if (!cmd) return null;
    return bridge.request(
      'session.send',
      { sessionId, payload: cmd.payload, target: sessions.sendTarget(sessionId) },
      { context: context(cmd.name, sessionId) },
    );
  }

  // ---- periodic sends and sequences ----
  function putSchedule(s: ScheduleInfo): void {
    schedules.value.set(s.scheduleId, s);
    triggerRef(schedules);
  }
  /** The newest schedule of a kind for a session (running or the last one that ended). */
  function latest(sessionId: string, kind: ScheduleInfo['kind']): ScheduleInfo | null {
    let best: ScheduleInfo | null = null;
    for (const s of schedules.value.values()) {
      if (s.sessionId === sessionId && s.kind === kind && (!best || s.startedAt >= best.startedAt)) best = s;
    }
    return best;
  }
  const periodicOf = (sessionId: string) => latest(sessionId, 'periodic');
  const sequenceOf = (sessionId: string) => latest(sessionId, 'sequence');

  async function startPeriodic(sessionId: string, intervalMs: number, count: number): Promise<Result<ScheduleInfo>> {
    const payload = compose.currentPayload(sessionId);
    if (!payload) return noPayload();
    const r = await bridge.request(
      'periodic.start',
      { sessionId, payload, intervalMs, count, target: sessions.sendTarget(sessionId) },
      { silent: true },
    );
    if (r.ok) putSchedule(r.data);
    return r;
  }

  async function startSequence(sessionId: string, seq: SavedSequence, loop: boolean): Promise<Result<ScheduleInfo>> {
    const r = await bridge.request(
      'sequence.start',
      { sessionId, name: seq.name, items: seq.items, loop, loops: 0, target: sessions.sendTarget(sessionId) },
      { silent: true },
    );
    if (r.ok) putSchedule(r.data);
    return r;
  }

  async function stopSchedule(sessionId: string, scheduleId: string) {
    const r = await bridge.request('schedule.stop', { sessionId, scheduleId }, { context: context('Stop', sessionId) });
    if (r.ok) putSchedule(r.data);
    return r;
  }

  async function syncSchedules(): Promise<void> {
    const r = await bridge.request('schedule.list', {}, { silent: true });
    if (!r.ok) return;
    for (const s of r.data) schedules.value.set(s.scheduleId, s);
    triggerRef(schedules);
  }

  // ---- file transfers ----
  const transferOf = (sessionId: string): TransferState | null => transfers.value.get(sessionId) ?? null;
  function setTransfer(sessionId: string, t: TransferState): void {
    transfers.value.set(sessionId, t);
    triggerRef(transfers);
  }
  const cancelled = new Set<string>();

  /** Stream a file to the session's send target, one awaited chunk at a time. */
  async function sendFile(sessionId: string, file: Blob, name: string): Promise<TransferState> {
    const size = file.size;
    const base: TransferState = { transferId: null, name, size, sent: 0, status: 'running' };
    setTransfer(sessionId, base);
    cancelled.delete(sessionId);
    const fail = (r: Err): TransferState => {
      const st: TransferState = {
        ...(transferOf(sessionId) ?? base),
        status: cancelled.has(sessionId) ? 'cancelled' : 'error',
        error: r.message,
        ...(r.why ? { errorWhy: r.why } : {}),
      };
      setTransfer(sessionId, st);
      return st;
    };
    const begin = await bridge.request(
      'transfer.begin',
      { sessionId, name: name.slice(0, 255) || 'file', size, target: sessions.sendTarget(sessionId) },
      { silent: true },
    );
    if (!begin.ok) return fail(begin);
    const transferId = begin.data.transferId;
    setTransfer(sessionId, { ...base, transferId });
    let sent = 0;
    while (sent < size) {
      if (cancelled.has(sessionId)) break;
      const bytes = new Uint8Array(await file.slice(sent, Math.min(size, sent + TRANSFER_CHUNK)).arrayBuffer());
      const r = await bridge.request('transfer.chunk', { transferId, bytes }, { silent: true });
      if (!r.ok) return fail(r);
      sent += bytes.length;
      setTransfer(sessionId, { ...base, transferId, sent });
    }
    if (cancelled.has(sessionId)) {
      const st: TransferState = { ...base, transferId, sent, status: 'cancelled' };
      setTransfer(sessionId, st);
      return st;
    }
    const end = await bridge.request('transfer.end', { transferId }, { silent: true });
    if (!end.ok) return fail(end);
    const st: TransferState = { ...base, transferId, sent: end.data.sent || sent, status: 'done' };
    setTransfer(sessionId, st);
    return st;
  }

  async function cancelTransfer(sessionId: string): Promise<void> {
    const t = transferOf(sessionId);
    if (!t || t.status !== 'running') return;
    cancelled.add(sessionId);
    setTransfer(sessionId, { ...t, status: 'cancelled' });
    if (t.transferId) await bridge.request('transfer.cancel', { transferId: t.transferId }, { silent: true });
  }

  function mergeTransfer(info: TransferInfo): void {
    const t = transferOf(info.sessionId);
    if (!t || t.transferId !== info.transferId || t.status !== 'running') return;
    if (info.error) setTransfer(info.sessionId, { ...t, status: 'error', error: info.error, ...(info.errorWhy ? { errorWhy: info.errorWhy } : {}), sent: info.sent });
    else if (info.cancelled) setTransfer(info.sessionId, { ...t, status: 'cancelled', sent: info.sent });
    else if (info.sent > t.sent) setTransfer(info.sessionId, { ...t, sent: info.sent });
  }

  // ---- reply rules ----
  const statsOf = (sessionId: string): RuleStat[] => stats.value.get(sessionId) ?? [];
  function putStats(sessionId: string, list: RuleStat[]): void {
    stats.value.set(sessionId, list);
    triggerRef(stats);
  }
  /** Hit-log entries each session has recorded (from rules.stats): a hit-log view reads again when it grows. */
  const hitCounts = shallowRef(new Map<string, number>());
  const hitCountOf = (sessionId: string): number => hitCounts.value.get(sessionId) ?? 0;
  /** The hit log: one peer's whole log, or every peer's newest hit (rules.hits). */
  async function loadHits(sessionId: string, peer?: string): Promise<PeerHitLog[]> {
    const r = await bridge.request('rules.hits', { sessionId, ...(peer !== undefined ? { peer } : {}) }, { silent: true });
    return r.ok ? r.data : [];
  }
  async function loadRuleStats(sessionId: string): Promise<void> {
    const r = await bridge.request('rules.stats', { sessionId }, { silent: true });
    if (r.ok) putStats(sessionId, r.data);
  }
  /** Save a rule set; the answer (or its error) goes back to the caller, which shows it inline. */
  async function setRules(sessionId: string, rules: RuleSetInput): Promise<Result<SessionInfo>> {
    const r = await bridge.request('rules.set', { sessionId, rules }, { silent: true });
    if (r.ok) sessions.patchInfo(sessionId, { rules: r.data.rules ?? ruleSetSchema.parse(rules) });
    return r;
  }

  // ---- events ----
  function forget(sessionId: string): void {
    for (const m of [quick, sequences, transfers, stats, hitCounts]) {
      if (m.value.delete(sessionId)) triggerRef(m);
    }
    for (const [id, s] of schedules.value) if (s.sessionId === sessionId) schedules.value.delete(id);
    triggerRef(schedules);
  }

  /** One batch of events, from the event router (after the sessions and log stores). */
  function apply(events: readonly NetEvent[]): void {
    for (const ev of events) {
      switch (ev.type) {
        case 'rules.stats':
          putStats(ev.sessionId, ev.stats);
          if (ev.hits !== undefined && ev.hits !== hitCounts.value.get(ev.sessionId)) {
            hitCounts.value.set(ev.sessionId, ev.hits);
            triggerRef(hitCounts);
          }
          break;
        case 'schedule.progress':
          putSchedule(ev.schedule);
          break;
        case 'transfer.progress':
          mergeTransfer(ev.transfer);
          break;
        case 'session.removed':
          forget(ev.sessionId);
          break;
        default:
          break;
      }
    }
  }

  return {
    apply,
    quick,
    sequences,
    savedVersion,
    schedules,
    transfers,
    stats,
    quickOf,
    sequencesOf,
    setQuickCommands,
    setSequences,
    putQuick,
    removeQuick,
    putSequence,
    removeSequence,
    sendQuick,
    periodicOf,
    sequenceOf,
    startPeriodic,
    startSequence,
    stopSchedule,
    syncSchedules,
    transferOf,
    sendFile,
    cancelTransfer,
    statsOf,
    hitCountOf,
    loadHits,
    loadRuleStats,
    setRules,
  };
});
