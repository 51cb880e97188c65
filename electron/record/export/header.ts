/**
 * The comment lines (`# …`) at the top of a txt-text or txt-hexdump export:
 * what the file holds, in the language the user asked for (`export.start`
 * `language`). CSV, JSONL and pcapng files have no such lines, so tools read
 * them as they are (docs/protocol.md documents their columns and fields).
 */
import type { ExportLanguage } from '../../../shared/protocol/recording';
import { formatCount } from '../../../shared/protocol/format';

/** What the header says about an export. */
export interface HeaderFacts {
  /** the session's name */
  session: string;
  transport: 'tcp' | 'udp';
  /** messages (rx and tx rows) the export holds */
  messages: number;
  /** older messages the record had already dropped over its size limit */
  dropped: number;
  /** the encoding the text was decoded with, e.g. "GBK" */
  encoding?: string;
  /** when the export was made, already formatted in the export's time zone */
  madeAt: string;
  timeZone: 'local' | 'utc';
  /** the session runs over TLS: the bytes are the decrypted application data */
  tls?: boolean;
}


type Lines = (f: HeaderFacts) => { intro: string[]; text: string; hexdump: string };

const EN: Lines = (f) => {
  const tz = f.timeZone === 'utc' ? 'UTC' : 'local time';
  const decoded = f.encoding ? `the text decoded as ${f.encoding}` : 'the text';
  return {
    intro: [
      `Wirebench log export of session '${f.session}' (${f.transport.toUpperCase()}), made ${f.madeAt} (${tz})`,
      `${formatCount(f.messages)} message${f.messages === 1 ? '' : 's'}, received (RX) and sent (TX), oldest first` +
        (f.dropped > 0 ? `; ${formatCount(f.dropped)} older messages had already been dropped by the log's size limit` : ''),
      ...(f.tls ? ['TLS session: these are the DECRYPTED application data, as sent and received inside TLS, not the encrypted bytes on the wire'] : []),
    ],
    text:
      `Each line: time (${tz}), RX or TX, the other end, (length in bytes), then ${decoded}; ` +
      'control characters are written as \\r \\n \\t \\0 \\\\ \\uHHHH, bytes without text as \\xHH',
    hexdump:
      `Each message: a line with time (${tz}), RX or TX, the other end and (length in bytes), ` +
      'then its bytes as a hexdump (offset, 16 bytes in hex, the same bytes as ASCII) and a blank line',
  };
};

const ZH_CN: Lines = (f) => {
  const tz = f.timeZone === 'utc' ? 'UTC' : '本地时间';
  const decoded = f.encoding ? `按 ${f.encoding} 解码的文本` : '文本';
  return {
    intro: [
      `Wirebench 日志导出：会话“${f.session}”（${f.transport.toUpperCase()}），导出于 ${f.madeAt}（${tz}）`,
      `共 ${formatCount(f.messages)} 条消息，包括接收（RX）和发送（TX），按时间先后排列` +
        (f.dropped > 0 ? `；另有 ${formatCount(f.dropped)} 条较早的消息已因日志大小上限被丢弃` : ''),
      ...(f.tls ? ['TLS 会话：这里是在 TLS 内部收发的【已解密】应用数据，不是线路上的加密字节'] : []),
    ],
    text:
      `每行依次为：时间（${tz}）、RX 或 TX、对端地址、（长度，字节），然后是${decoded}；` +
      '控制字符写作 \\r \\n \\t \\0 \\\\ \\uHHHH，无法显示为文本的字节写作 \\xHH',
    hexdump:
      `每条消息：先是一行时间（${tz}）、RX 或 TX、对端地址和（长度，字节），` +
      '然后是它的 Hexdump（偏移、16 个字节的十六进制、同样字节的 ASCII），最后空一行',
  };
};

const LANGUAGES: Record<ExportLanguage, Lines> = { en: EN, 'zh-CN': ZH_CN };

/** The header of a txt export, each line starting with `# ` and ending with `\n`. */
export function headerText(kind: 'text' | 'hexdump', facts: HeaderFacts, language: ExportLanguage = 'en'): string {
  const l = (LANGUAGES[language] ?? EN)(facts);
  return [...l.intro, kind === 'text' ? l.text : l.hexdump].map((s) => `# ${s}\n`).join('');
}
