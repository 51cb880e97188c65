// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import { useI18n } from 'vue-i18n';
import { mount } from '@vue/test-utils';
import { err, formatReason, REASONS, say, slotsOf, type LogNote, type StatusEntry } from '../../../shared/protocol';
import { applyLocale, createAppI18n } from './index';
import { issueText, localizeReason, reasonText, useReasonText } from './reasons';
import { REASONS_ZH_CN } from './reasons.zh-CN';
import en from './en';
import zhCN from './zh-CN';

describe('the reasons tables', () => {
  it('every key has an English and a Chinese sentence with the same placeholders', () => {
    expect(Object.keys(REASONS_ZH_CN).sort()).toEqual(Object.keys(REASONS).sort());
    for (const [key, english] of Object.entries(REASONS)) {
      const zh = REASONS_ZH_CN[key as keyof typeof REASONS];
      expect(zh, key).toBeTruthy();
      expect(slotsOf(zh), key).toEqual(slotsOf(english));
      expect(zh, `${key}: |lc is for English only`).not.toContain('|lc');
    }
  });

  it('says "engine" nowhere in Chinese, and uses the words these users know', () => {
    const all = JSON.stringify([REASONS_ZH_CN, zhCN]);
    expect(all).not.toContain('引擎');
    expect(all).not.toContain('转储');
    expect(all).not.toContain('分帧');
    expect(zhCN.send.escapes).toBe('解析转义符');
    expect(zhCN.panel.framing).toBe('断帧/分包');
    expect(zhCN.capture.formats['txt-hexdump']).toBe('Hexdump');
  });

  it('each table names its own locale, which is how a `t` tells its language', () => {
    expect(en.meta.locale).toBe('en');
    expect(zhCN.meta.locale).toBe('zh-CN');
  });
});

describe('localizeReason', () => {
  const zh = createAppI18n('zh-CN').global;
  const enT = createAppI18n('en').global;
  const tz = (k: string, p: Record<string, string>) => zh.t(k, p);
  const te = (k: string, p: Record<string, string>) => enT.t(k, p);
  const status = (why: ReturnType<typeof say>): StatusEntry => ({ state: 'listening', reason: formatReason(why), why, ts: 1 });

  it('phrases a status entry by its key, with its parameters', () => {
    const s = status(say('status.listening', { addr: '127.0.0.1:8080' }));
    expect(localizeReason(s, 'zh-CN')).toBe('正在监听 127.0.0.1:8080');
    expect(localizeReason(s, tz)).toBe('正在监听 127.0.0.1:8080');
    expect(localizeReason(s, te)).toBe('Listening on 127.0.0.1:8080');
    expect(localizeReason(status(say('status.reconnecting', { delay: '2 s', n: 3 })), 'zh-CN')).toBe('2 s 后重连（第 3 次）');
  });

  it('phrases nested reasons: a reconnect that gave up, a schema field, a rule closing a connection by its name', () => {
    const gaveUp = say('status.gaveUpWhy', { n: 5, why: say('os.refused', { addr: '10.0.0.2:502' }) });
    expect(reasonText(gaveUp, 'zh-CN')).toBe('已重连 5 次仍未成功，不再重试：10.0.0.2:502 拒绝了连接——那里有程序在监听吗？');
    const field = err('INVALID_ARGUMENT', say('schema.field', { field: 'config.port', message: say('schema.portRange') }));
    expect(localizeReason(field, 'zh-CN')).toBe('config.port：端口范围为 1–65535');
    expect(localizeReason(field, 'en')).toBe('config.port: port must be between 1 and 65535');
    const left: LogNote = { kind: 'peer.left', reason: "Closed by the reply rule 'Quit'", why: say('status.closedByRule', { name: 'Quit' }) };
    expect(localizeReason(left, 'zh-CN')).toBe('应答规则“Quit”关闭了连接');
  });

  it('the common paths of issue 9 are Chinese in Chinese', () => {
    expect(localizeReason(err('NO_TARGET', say('server.noClients')), 'zh-CN')).toBe('还没有客户端连接到此服务器');
    expect(localizeReason(err('BROADCAST_DISABLED', say('udp.broadcastOff', { address: '255.255.255.255' })), 'zh-CN')).toBe(
      '发送到广播地址 255.255.255.255 需要先打开“广播”选项',
    );
    expect(reasonText(say('example.smtp.name'), 'zh-CN')).toBe('SMTP 服务器');
    expect(reasonText(say('profile.badJson', { detail: 'Unexpected end of JSON input' }), 'zh-CN')).toBe('该文件不是有效的 JSON：Unexpected end of JSON input');
  });

  it('shows the English sentence for a key it does not know, or for a plain sentence', () => {
    const future = { state: 'error', reason: 'Quantum tunnel collapsed', why: { key: 'os.quantum' }, ts: 1 } as unknown as StatusEntry;
    expect(localizeReason(future, 'zh-CN')).toBe('Quantum tunnel collapsed');
    expect(localizeReason('Permission denied (bind 0.0.0.0:80)', 'zh-CN')).toBe('Permission denied (bind 0.0.0.0:80)');
    expect(localizeReason({ message: 'no key here' }, 'zh-CN')).toBe('no key here');
    expect(localizeReason(undefined, 'zh-CN')).toBe('');
  });

  it('translates a schema issue of the rule editor', () => {
    expect(issueText({ message: 'the text to match is empty' }, 'zh-CN')).toBe('请输入要匹配的文本');
    expect(issueText({ message: 'something zod said' }, 'zh-CN')).toBe('something zod said');
  });
});

describe('switching the language re-renders what the engine said', () => {
  it('a status row, its hover title and an error follow the locale', async () => {
    const i18n = createAppI18n('en');
    const row: LogNote = { kind: 'status', state: 'listening', reason: 'Listening on 0.0.0.0:8080', why: say('status.listening', { addr: '0.0.0.0:8080' }) };
    const error = err('ADDRESS_IN_USE', say('os.portInUse', { port: 8080, host: '0.0.0.0' }));
    const View = defineComponent({
      setup() {
        const reason = useReasonText();
        const { t } = useI18n();
        return () =>
          h('div', [
            h('span', { class: 'row', title: reason(row) }, localizeReason(row, t)),
            h('span', { class: 'err' }, reason(error)),
          ]);
      },
    });
    const w = mount(View, { global: { plugins: [i18n] } });
    expect(w.find('.row').text()).toBe('Listening on 0.0.0.0:8080');
    expect(w.find('.err').text()).toBe('Port 8080 is already in use on 0.0.0.0');
    applyLocale(i18n, 'zh-CN');
    await nextTick();
    expect(w.find('.row').text()).toBe('正在监听 0.0.0.0:8080');
    expect(w.find('.row').attributes('title')).toBe('正在监听 0.0.0.0:8080');
    expect(w.find('.err').text()).toBe('端口 8080 在 0.0.0.0 上已被占用');
    applyLocale(i18n, 'en');
    await nextTick();
    expect(w.find('.row').text()).toBe('Listening on 0.0.0.0:8080');
    w.unmount();
  });
});
