/*
 * In-page probes for the full-stack bench (plain browser JS, injected with
 * addInitScript). All times are performance.now() of the page.
 *
 *   __wb.frames.start() / stop() → rAF gaps (ms) between start and stop
 *   __wb.keys.start(el) / stop() → per keydown on el: { lag: handler start − event.timeStamp,
 *       paint: the task after the next frame − event.timeStamp }
 *   __wb.watchText(grid, text, since) → Promise<{ at, paintedAt }>: when a row of `grid`
 *       containing `text` is in view (checked on every mutation and every frame)
 *   __wb.nextEvent(el, type) → Promise<number>: timeStamp of the next `type` event on el
 *   __wb.pending[name]: a measurement started by one evaluate, awaited by a later one
 *   __wb.heap() → performance.memory.usedJSHeapSize
 *   __wb.wsLog: set to [] to record { t, dir: 'in' | 'out', n } per WebSocket message
 */
(() => {
  const afterNextFrame = (f) =>
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => f(performance.now());
      ch.port2.postMessage(0);
    });

  const frames = {
    gaps: [],
    running: false,
    last: 0,
    start() {
      this.gaps = [];
      this.running = true;
      this.last = 0;
      const loop = (t) => {
        if (!this.running) return;
        if (this.last) this.gaps.push(t - this.last);
        this.last = t;
        requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
    },
    stop() {
      this.running = false;
      return this.gaps;
    },
  };

  const keys = {
    samples: [],
    el: null,
    onKey: null,
    start(el) {
      this.samples = [];
      this.el = el;
      this.onKey = (e) => {
        const s = { key: e.key, ts: e.timeStamp, lag: performance.now() - e.timeStamp, paint: NaN };
        this.samples.push(s);
        afterNextFrame((t) => (s.paint = t - s.ts));
      };
      el.addEventListener('keydown', this.onKey, true);
    },
    stop() {
      if (this.el && this.onKey) this.el.removeEventListener('keydown', this.onKey, true);
      this.el = null;
      return this.samples;
    },
    done() {
      return this.samples.filter((s) => !Number.isNaN(s.paint)).length;
    },
  };

  function rowInView(grid, text) {
    const box = grid.getBoundingClientRect();
    for (const row of grid.querySelectorAll('[role="row"]')) {
      if (!row.textContent || !row.textContent.includes(text)) continue;
      const r = row.getBoundingClientRect();
      if (r.bottom > box.top && r.top < box.bottom && r.height > 0) return true;
    }
    return false;
  }

  function watchText(grid, text) {
    return new Promise((resolve) => {
      let done = false;
      const found = () => {
        if (done || !rowInView(grid, text)) return;
        done = true;
        const at = performance.now();
        mo.disconnect();
        afterNextFrame((paintedAt) => resolve({ at, paintedAt }));
      };
      const mo = new MutationObserver(found);
      mo.observe(grid, { subtree: true, childList: true, characterData: true, attributes: true });
      const poll = () => {
        if (done) return;
        found();
        requestAnimationFrame(poll);
      };
      poll();
    });
  }

  /** timeStamp of the next `type` event on el */
  function nextEvent(el, type) {
    return new Promise((resolve) => el.addEventListener(type, (e) => resolve(e.timeStamp), { once: true, capture: true }));
  }

  // WebSocket traffic timestamps (when wsLog is an array): tells the UI's share of a wait from the engine's
  const NativeWS = window.WebSocket;
  window.WebSocket = class extends NativeWS {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const log = window.__wb.wsLog;
        if (log) log.push({ t: performance.now(), dir: 'in', n: e.data.byteLength ?? e.data.size ?? 0 });
      });
    }
    send(d) {
      const log = window.__wb.wsLog;
      if (log) log.push({ t: performance.now(), dir: 'out', n: d.byteLength ?? d.length ?? 0 });
      return super.send(d);
    }
  };

  window.__wb = {
    wsLog: null,
    frames,
    keys,
    watchText,
    rowInView,
    nextEvent,
    /** measurements started by one call and collected by a later one, by name */
    pending: {},
    heap: () => (performance.memory ? performance.memory.usedJSHeapSize : NaN),
  };
})();
