import { describe, expect, it } from 'vitest';
import { createAppI18n } from './index';
import { localizeReason } from './reasons';

describe('engine reasons in the user language', () => {
  const zh = createAppI18n('zh-CN').global;
  const en = createAppI18n('en').global;
  const tz = (k: string, p: Record<string, string>) => zh.t(k, p);
  const te = (k: string, p: Record<string, string>) => en.t(k, p);

  it('translates the fixed-shape reasons with their parameters', () => {
    expect(localizeReason('Listening on 127.0.0.1:8080', tz)).toBe('正在监听 127.0.0.1:8080');
    expect(localizeReason('Connected to [::1]:502', tz)).toBe('已连接到 [::1]:502');
    expect(localizeReason('Reconnecting in 2 s (attempt 3)', tz)).toBe('2 s 后重连（第 3 次）');
    expect(localizeReason('Closed by peer', tz)).toBe('对方关闭了连接');
  });

  it('translates the common socket errors', () => {
    expect(localizeReason('Port 8080 is already in use on 0.0.0.0', tz)).toBe('端口 8080 在 0.0.0.0 上已被占用');
    expect(localizeReason("Host name 'plc.invalid' could not be resolved", tz)).toBe('无法解析主机名“plc.invalid”');
  });

  it('keeps English as the engine wrote it', () => {
    expect(localizeReason('Listening on 0.0.0.0:9000', te)).toBe('Listening on 0.0.0.0:9000');
  });

  it('leaves an unknown sentence unchanged rather than guessing', () => {
    const s = 'Permission denied (bind 0.0.0.0:80)';
    expect(localizeReason(s, tz)).toBe(s);
  });
});
