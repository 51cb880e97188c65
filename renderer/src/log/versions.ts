/**
 * One small reactive version number per session, bumped at most once per
 * animation frame however many batches arrive: the log view watches it
 * instead of the (non-reactive) rows.
 */
import { ref } from 'vue';

type Frame = (cb: () => void) => void;
const nextFrame: Frame =
  typeof requestAnimationFrame === 'function'
    ? (cb) => void requestAnimationFrame(() => cb())
    : (cb) => void setTimeout(cb, 16);

export function createVersions() {
  const versions = ref<Record<string, number>>({});
  const pending = new Set<string>();
  let scheduled = false;

  /** Apply pending bumps now. */
  function flush(): void {
    scheduled = false;
    if (pending.size === 0) return;
    const next = { ...versions.value };
    for (const id of pending) next[id] = (next[id] ?? 0) + 1;
    pending.clear();
    versions.value = next;
  }

  /** Bump the session's version on the next frame. */
  function bump(id: string): void {
    pending.add(id);
    if (!scheduled) {
      scheduled = true;
      nextFrame(flush);
    }
  }

  /** Bump now (an action the user waits for). */
  function bumpNow(id: string): void {
    pending.add(id);
    flush();
  }

  function version(id: string): number {
    return versions.value[id] ?? 0;
  }

  function forget(id: string): void {
    pending.delete(id);
    if (!(id in versions.value)) return;
    const { [id]: _gone, ...rest } = versions.value;
    versions.value = rest;
  }

  return { version, bump, bumpNow, flush, forget };
}
