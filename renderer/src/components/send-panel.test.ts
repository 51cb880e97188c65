// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import { err, ok, type SendPayloadInput } from '../../../shared/protocol';
import SendPanel from './SendPanel.vue';
import { createAppI18n } from '../i18n';
import { useBridgeStore } from '../stores/bridge';
import { FakeBridge } from '../stores/fake-bridge.test-util';

/** The shared fake bridge, answering like a UTF-8-only engine in which '€' is "unencodable". */
function fakeEngine(): FakeBridge {
  const bridge = new FakeBridge();
  const answer = (cmd: 'codec.preview' | 'session.send') => (args: { payload: SendPayloadInput }) => {
    const p = args.payload;
    if (p.kind !== 'text') return ok(cmd === 'codec.preview' ? { bytes: Uint8Array.of(1, 2) } : { bytes: 2, targets: 1 });
    const i = [...p.text].indexOf('€');
    if (i >= 0) return err('UNENCODABLE', 'x', { char: '€', position: i + 1 });
    const bytes = new TextEncoder().encode(p.text + (p.lineEnding === 'crlf' ? '\r\n' : ''));
    return ok(cmd === 'codec.preview' ? { bytes } : { bytes: bytes.length, targets: 1 });
  };
  bridge.on('codec.preview', answer('codec.preview') as never);
  bridge.on('session.send', answer('session.send') as never);
  return bridge;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function mountPanel(sessionId = 's1') {
  const pinia = createPinia();
  setActivePinia(pinia);
  const bridge = fakeEngine();
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
    // the sent message is in the recall list: clear the box, recall with Alt+Up
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
