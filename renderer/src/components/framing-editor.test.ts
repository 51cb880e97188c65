// @vitest-environment happy-dom
/** The framing editor: a choice applies at once, a typed value on Enter, an invalid one never. */
import { afterEach, describe, expect, it } from 'vitest';
import { mount, flushPromises, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { SessionConfig } from '../../../shared/protocol';
import { createAppI18n } from '../i18n';
import FramingEditor from './FramingEditor.vue';

let wrapper: VueWrapper | null = null;
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  document.body.innerHTML = '';
});

const input = (name: string) => document.querySelector<HTMLInputElement>(`input[aria-label="${name}"]`);
async function type(el: HTMLInputElement | null, value: string): Promise<void> {
  if (!el) throw new Error('input not found');
  el.value = value;
  el.dispatchEvent(new Event('input'));
  await flushPromises();
}

describe('framing editor', () => {
  async function editor(value: SessionConfig['framing']) {
    const pinia = createPinia();
    setActivePinia(pinia);
    wrapper = mount(FramingEditor, { props: { value }, global: { plugins: [pinia, createAppI18n('en')] }, attachTo: document.body });
    await flushPromises();
    return wrapper;
  }
  const commits = (w: VueWrapper) => (w.emitted('commit') ?? []).map((e) => e[0]);
  const press = async (el: Element | null, key: string) => {
    el?.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    await flushPromises();
  };
  const checkbox = () => document.querySelector<HTMLElement>('.n-checkbox');

  it('a choice commits at once; a typed value only on Enter', async () => {
    const w = await editor({ kind: 'delimiter', delimiter: Uint8Array.of(13, 10), keep: false });
    checkbox()?.click(); // "keep the delimiter"
    await flushPromises();
    expect(commits(w)).toEqual([{ kind: 'delimiter', delimiter: Uint8Array.of(13, 10), keep: true }]);

    await type(input('Delimiter value'), ';');
    expect(commits(w)).toHaveLength(1);
    expect(w.emitted('change')?.at(-1)?.[0]).toEqual({ kind: 'delimiter', delimiter: Uint8Array.of(0x3b), keep: true });
    await press(input('Delimiter value'), 'Enter');
    expect(commits(w).at(-1)).toEqual({ kind: 'delimiter', delimiter: Uint8Array.of(0x3b), keep: true });
  });

  it('an invalid delimiter shows its error in place and commits nothing, by Enter or by a choice', async () => {
    const w = await editor({ kind: 'delimiter', delimiter: Uint8Array.of(13, 10), keep: false });
    await type(input('Delimiter value'), '\\q');
    expect(w.emitted('change')?.at(-1)?.[0]).toBeNull();
    expect(document.querySelector('[role="alert"]')?.textContent).toMatch(/escape/i);
    await press(input('Delimiter value'), 'Enter');
    checkbox()?.click();
    await flushPromises();
    expect(commits(w)).toEqual([]);
  });
});
