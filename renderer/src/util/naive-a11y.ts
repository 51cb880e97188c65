/**
 * Fixes to what naive-ui 2.45 puts in the DOM, where its props cannot reach
 * (found by the axe scans of e2e/browser/a11y.spec.ts):
 * - a card's header (every `preset="card"` modal) is `role="heading"` twice,
 *   nested, with no `aria-level`: the outer one (which also holds the close
 *   button) loses the role, the inner one, the title, gets level 2;
 * - a number input's − and + buttons have no name: they get "Decrease" and
 *   "Increase" in the UI's language (they are not in the tab order; the arrow
 *   keys in the field do the same).
 * One MutationObserver on the document; mutations inside the log's rows (the
 * busiest part of the page) are skipped at once.
 */

export interface NaiveA11yLabels {
  decrease: string;
  increase: string;
}

function matching(root: Element, selector: string): Element[] {
  return root.matches(selector) ? [root, ...root.querySelectorAll(selector)] : [...root.querySelectorAll(selector)];
}

/** Apply the fixes to `root` and everything under it. */
export function patchNaiveA11y(root: Element, labels: NaiveA11yLabels): void {
  for (const h of matching(root, '.n-card-header[role="heading"]')) h.removeAttribute('role');
  for (const h of matching(root, '.n-card-header__main[role="heading"]')) {
    if (!h.hasAttribute('aria-level')) h.setAttribute('aria-level', '2');
  }
  for (const n of matching(root, '.n-input-number')) {
    const [minus, plus, ...rest] = n.querySelectorAll('button.n-button');
    if (!minus || !plus || rest.length) continue;
    if (minus.getAttribute('aria-label') !== labels.decrease) minus.setAttribute('aria-label', labels.decrease);
    if (plus.getAttribute('aria-label') !== labels.increase) plus.setAttribute('aria-label', labels.increase);
  }
}

/** Watch `root` (the document's body) and patch what is added. `relabel` re-applies after a language switch. */
export function installNaiveA11y(root: HTMLElement, labels: () => NaiveA11yLabels): { relabel(): void; stop(): void } {
  patchNaiveA11y(root, labels());
  const obs = new MutationObserver((records) => {
    let l: NaiveA11yLabels | null = null;
    for (const r of records) {
      const target = r.target as Element;
      if (target.closest?.('.log-content')) continue;
      for (const node of r.addedNodes) {
        if (node.nodeType !== 1) continue;
        l ??= labels();
        patchNaiveA11y(node as Element, l);
      }
    }
  });
  obs.observe(root, { childList: true, subtree: true });
  return {
    relabel: () => patchNaiveA11y(root, labels()),
    stop: () => obs.disconnect(),
  };
}
