// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import type { CommandInput, CommandName, CommandResults, Result } from '../../../shared/protocol';
import type { Bridge } from '../bridge/types';
import SendPanel from '../components/SendPanel.vue';
import { createAppI18n } from '../i18n';
import { useBridgeStore } from '../stores/bridge';

/** A stand-in engine for the panel: UTF-8 only, '€' is "unencodable". */
class FakeBridge implements Bridge {
  readonly kind = 'ws' as const;
  calls: { cmd: CommandName; args: unknown }[] = [];
  async request<C extends CommandName>(cmd: C, args: CommandInput<C>): Promise<Result<CommandResults[C]>> {
    this.calls.push({ cmd, args });
    const a = args as { payload?: { kind: string; text?: string; lineEnding?: string } };
    const p = a.payload;
    if (p?.kind === 'text') {
      const i = [...(p.text ?? '')].indexOf('€');
      if (i >= 0) return { ok: false, code: 'UNENCODABLE', message: 'x', detail: { char: '€', position: i + 1 } };
      const le = p.lineEnding === 'crlf' ? '\r\n' : '';
      const bytes = new TextEncoder().encode((p.text ?? '') + le);
      if (cmd === 'codec.preview') return { ok: true, data: { bytes } } as Result<CommandResults[C]>;
      return { ok: true, data: { bytes: bytes.length, targets: 1 } } as Result<CommandResults[C]>;
    }
    return { ok: true, data: { bytes: 2, targets: 1 } } as Result<CommandResults[C]>;
  }
  onEvents(): () => void {
    return () => {};
  }
  onConnection(): () => void {
    return () => {};
  }
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function mountPanel(sessionId = 's1') {
  const pinia = createPinia();
  setActivePinia(pinia);
  const bridge = new FakeBridge();
  useBridgeStore().attach(bridge);
  const w = mount(SendPanel, { props: { sessionId }, global: { plugins: [pinia, createAppI18n('en')] }, attachTo: document.body });
  return { w, bridge };
}

const sendButton = (w: ReturnType<typeof mountPanel>['w']) => w.findAll('button').find((b) => b.text() === 'Send')!;

describe('SendPanel', () => {
  it('hex mode: strict parse, inline error with position, Send disabled', async () => {
    const { w } = mountPanel();
    await w.find('input[type="radio"][value="hex"]').setValue(true);
    const box = w.find('textarea[aria-label="Message to send"]');
    await box.setValue('01 0g');
    await flushPromises();
    expect(w.find('[data-testid="send-error"]').text()).toBe("'g' at position 5 is not a hex digit");
    expect(sendButton(w).attributes('disabled')).toBeDefined();
    await box.setValue('01 03');
    await flushPromises();
    expect(w.find('[data-testid="send-error"]').exists()).toBe(false);
    expect(w.find('[data-testid="send-preview-hex"]').text()).toBe('01 03');
    w.unmount();
  });

  it('hex mode appends the chosen checksum in the preview', async () => {
    const { w } = mountPanel('s-crc');
    await w.find('input[type="radio"][value="hex"]').setValue(true);
    await w.find('textarea').setValue('01 03 00 00 00 0A');
    await w.find('select[aria-label="Checksum"]').setValue('crc16-modbus');
    await flushPromises();
    // Modbus sends its CRC low byte first
    expect(w.find('[data-testid="send-preview-hex"]').text()).toBe('01 03 00 00 00 0A C5 CD');
    w.unmount();
  });

  it('text mode previews through codec.preview and sends with Ctrl+Enter', async () => {
    const { w, bridge } = mountPanel('s-text');
    const box = w.find('textarea');
    await box.setValue('hi');
    await w.find('select[aria-label="Line ending"]').setValue('crlf');
    await wait(200);
    await flushPromises();
    expect(w.find('[data-testid="send-preview-hex"]').text()).toBe('68 69 0D 0A');
    expect(w.find('[data-testid="send-preview-count"]').text()).toBe('4 bytes');
    expect(bridge.calls.filter((c) => c.cmd === 'codec.preview').length).toBe(1);
    await box.trigger('keydown', { key: 'Enter', ctrlKey: true });
    await flushPromises();
    const sent = bridge.calls.find((c) => c.cmd === 'session.send');
    expect(sent?.args).toMatchObject({ sessionId: 's-text', payload: { kind: 'text', text: 'hi', lineEnding: 'crlf' }, target: { kind: 'default' } });
    expect(w.find('[data-testid="send-result"]').text()).toContain('Sent 4 bytes');
    // the sent message is in the history: clear the box, recall with Alt+Up
    await box.setValue('');
    await box.trigger('keydown', { key: 'ArrowUp', altKey: true });
    expect((box.element as HTMLTextAreaElement).value).toBe('hi');
    w.unmount();
  });

  it('an unencodable character is shown with its position and blocks Send', async () => {
    const { w, bridge } = mountPanel('s-bad');
    await w.find('textarea').setValue('ab€');
    await wait(200);
    await flushPromises();
    expect(w.find('[data-testid="send-error"]').text()).toBe("'€' at position 3 cannot be encoded in UTF-8");
    expect(sendButton(w).attributes('disabled')).toBeDefined();
    await sendButton(w).trigger('click');
    expect(bridge.calls.some((c) => c.cmd === 'session.send')).toBe(false);
    w.unmount();
  });
});
