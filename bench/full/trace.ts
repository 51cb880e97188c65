/**
 * --profile: a Chromium performance trace of one phase, and where the
 * renderer's main thread spent it (top-level trace events by name: script,
 * style, layout, paint…), so a slow figure comes with its evidence.
 */
import { readFileSync } from 'node:fs';
import type { Ui } from './browser';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

export async function traced<T>(ui: Ui, path: string, f: () => Promise<T>): Promise<T> {
  await ui.browser.startTracing(ui.page, {
    path,
    screenshots: false,
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'v8.execute'],
  });
  try {
    return await f();
  } finally {
    await ui.browser.stopTracing();
  }
}

/** Milliseconds per event name on the renderer main thread, outermost events only, largest first. */
export function mainThreadBreakdown(path: string, top = 10): { wallMs: number; busyMs: number; byName: [string, number][] } {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(raw) ? raw : raw.traceEvents;
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return { wallMs: 0, busyMs: 0, byName: [] };
  const spans = events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && (e.dur ?? 0) > 0)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  // nested spans: attribute time to the innermost named phase under each top-level task
  const INTERESTING = new Set([
    'FunctionCall', 'EventDispatch', 'TimerFire', 'FireAnimationFrame', 'RunMicrotasks', 'V8.GC_SCAVENGER', 'MajorGC', 'MinorGC',
    'UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Layerize', 'Commit', 'HitTest', 'ParseHTML', 'UpdateLayerTree',
  ]);
  const by = new Map<string, number>();
  let busy = 0;
  let taskEnd = -1;
  const stack: TraceEvent[] = [];
  for (const e of spans) {
    const end = e.ts + (e.dur ?? 0);
    if (e.ts >= taskEnd) {
      busy += e.dur ?? 0; // a new top-level span
      taskEnd = end;
      stack.length = 0;
    }
    while (stack.length > 0 && stack[stack.length - 1]!.ts + (stack[stack.length - 1]!.dur ?? 0) <= e.ts) stack.pop();
    if (INTERESTING.has(e.name)) {
      // charge this span's own time: subtract it from the enclosing interesting span
      const parent = [...stack].reverse().find((s) => INTERESTING.has(s.name));
      if (parent) by.set(parent.name, (by.get(parent.name) ?? 0) - (e.dur ?? 0));
      by.set(e.name, (by.get(e.name) ?? 0) + (e.dur ?? 0));
    }
    stack.push(e);
  }
  const first = spans[0]?.ts ?? 0;
  const last = spans.reduce((m, e) => Math.max(m, e.ts + (e.dur ?? 0)), first);
  const byName = [...by].map(([k, v]) => [k, v / 1000] as [string, number]).sort((a, b) => b[1] - a[1]).slice(0, top);
  return { wallMs: (last - first) / 1000, busyMs: busy / 1000, byName };
}
