/**
 * The log view's search and filter: turns the toolbar (search box, hex
 * search, directions, peer) into the engine's LogFilter and runs one
 * LogSearch per filter (log/search.ts). A new filter stops the old search,
 * whose late answers are then ignored. A hex query that does not parse is
 * reported (with its position) and never sent: the other filters still apply.
 */
import { computed, onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue';
import { formatHex, parseHex } from '../../../shared/codec/hex';
import { CodecError } from '../../../shared/codec/types';
import { LOG_DIRS, type LogFilterInput } from '../../../shared/protocol';
import { useBridgeStore } from '../stores/bridge';
import { useLogStore } from '../stores/logs';
import { LogSearch } from './search';
import type { LogDir } from './types';

/** What the toolbar holds. */
export interface SearchSpec {
  query: string;
  hex: boolean;
  /** directions to show (all four = no direction filter) */
  dirs: readonly LogDir[];
  /** endpointKey of the peer to show; '' = every peer */
  peer: string;
}

export type CompiledSpec = { filter: LogFilterInput | null; error: CodecError | null };

/** The engine's filter for a toolbar state; null when it lets every row through. */
export function compileSpec(spec: SearchSpec): CompiledSpec {
  const filter: LogFilterInput = { query: '', mode: spec.hex ? 'hex' : 'text' };
  let error: CodecError | null = null;
  let active = false;
  const q = spec.query.trim();
  if (q !== '') {
    if (spec.hex) {
      try {
        const bytes = parseHex(q);
        if (bytes.length > 0) {
          filter.query = formatHex(bytes);
          active = true;
        }
      } catch (e) {
        if (!(e instanceof CodecError)) throw e;
        error = e;
      }
    } else {
      filter.query = q;
      active = true;
    }
  }
  const dirs = LOG_DIRS.filter((d) => spec.dirs.includes(d));
  if (dirs.length < LOG_DIRS.length) {
    filter.dirs = dirs;
    active = true;
  }
  if (spec.peer !== '') {
    filter.peer = spec.peer;
    active = true;
  }
  return { filter: active ? filter : null, error };
}

export function useLogSearch(o: { sessionId: Ref<string>; spec: Ref<SearchSpec>; version: Ref<number> }) {
  const bridge = useBridgeStore();
  const logs = useLogStore();
  const search = shallowRef<LogSearch | null>(null);
  const filterError = shallowRef<CodecError | null>(null);
  /** bumped when the search found more (its matches are not reactive) */
  const tick = ref(0);

  const compiled = computed(() => compileSpec(o.spec.value));
  const key = computed(() => `${o.sessionId.value}\n${JSON.stringify(compiled.value.filter)}`);

  function restart(): void {
    search.value?.stop();
    const { filter, error } = compiled.value;
    filterError.value = error;
    if (!filter) {
      search.value = null;
      tick.value++;
      return;
    }
    const s = new LogSearch(
      o.sessionId.value,
      filter,
      (args) => bridge.request('log.search', args, { silent: true }),
      () => {
        if (search.value === s) tick.value++;
      },
    );
    search.value = s;
    tick.value++;
    s.begin();
  }

  watch(key, restart, { immediate: true });
  // keep the error note in step with the box even when the filter itself did not change
  watch(compiled, (c) => (filterError.value = c.error));

  // the log grew or its start moved: drop matches that left, scan new rows (throttled)
  watch(o.version, () => {
    const s = search.value;
    if (!s) return;
    const b = logs.bounds(o.sessionId.value);
    if (s.dropBelow(b.firstSeq) > 0) tick.value++;
    s.poke(b.lastSeq);
  });

  onBeforeUnmount(() => search.value?.stop());

  /** For the notes under the toolbar. */
  const status = computed(() => {
    void tick.value;
    const s = search.value;
    if (!s) return null;
    return { searching: !s.done && !s.capped && s.error === null, scanned: s.scanned, matches: s.count, capped: s.capped, error: s.error };
  });

  return { search, tick, filterError, status, active: computed(() => search.value !== null) };
}
