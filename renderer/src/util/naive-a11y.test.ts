// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installNaiveA11y, patchNaiveA11y } from './naive-a11y';

const L = { decrease: 'Decrease', increase: 'Increase' };
const CARD = '<div class="n-card-header" role="heading"><div class="n-card-header__main" role="heading">Settings</div><button>×</button></div>';
const NUMBER = '<div class="n-input-number"><input><button class="n-button">−</button><button class="n-button">+</button></div>';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('patchNaiveA11y', () => {
  it('leaves one heading, with a level, in a card header', () => {
    const root = document.createElement('div');
    root.innerHTML = CARD;
    patchNaiveA11y(root, L);
    expect(root.querySelectorAll('[role="heading"]')).toHaveLength(1);
    const h = root.querySelector('[role="heading"]');
    expect(h?.textContent).toBe('Settings');
    expect(h?.getAttribute('aria-level')).toBe('2');
  });

  it('names the − and + buttons of a number input', () => {
    const root = document.createElement('div');
    root.innerHTML = NUMBER;
    patchNaiveA11y(root, L);
    const [minus, plus] = root.querySelectorAll('button');
    expect(minus?.getAttribute('aria-label')).toBe('Decrease');
    expect(plus?.getAttribute('aria-label')).toBe('Increase');
  });
});

describe('installNaiveA11y', () => {
  it('patches what is added later, and relabels after a language switch', async () => {
    let labels = L;
    const watcher = installNaiveA11y(document.body, () => labels);
    const host = document.createElement('div');
    document.body.append(host);
    host.innerHTML = CARD + NUMBER;
    await vi.waitFor(() => expect(document.querySelector('.n-card-header__main')?.getAttribute('aria-level')).toBe('2'));
    expect(document.querySelector('.n-input-number button')?.getAttribute('aria-label')).toBe('Decrease');
    labels = { decrease: '减少', increase: '增加' };
    watcher.relabel();
    expect(document.querySelector('.n-input-number button')?.getAttribute('aria-label')).toBe('减少');
    watcher.stop();
  });
});
