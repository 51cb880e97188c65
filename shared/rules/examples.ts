/**
 * Built-in example rule sets, loaded with one click (framing included).
 *
 * SMTP — enough of a mail server for `curl smtp://127.0.0.1:2525 --mail-from
 * a@b --mail-rcpt c@d -T mail.txt`: a greeting, then one reply per command
 * line. DATA answers 354 and then collects the body ("collect until" a line
 * holding only "."), so no body line is ever answered as a command, even
 * one that starts with "MAIL FROM:" or "QUIT". The end of the body gets
 * "250 OK: queued as N" (N counts messages from that connection). QUIT
 * replies and closes the connection. Unknown commands get 500.
 *
 * FTP, Redis-like, a line-based device and a Modbus TCP slave: see
 * examples-dialogue.ts. The rules' names (English) are in
 * example-rule-names.ts, by example and rule id; the UI loads them in its
 * own language.
 *
 * HTTP — a minimal responder: framing on the blank line that ends a request
 * head, so one message is one head. Any request for any path gets the same
 * plain-text body with an exact Content-Length, and the connection closes
 * after the reply, so curl and browsers finish at once. HEAD gets the
 * headers only; an unknown method gets 405. A request body is not read
 * (the connection is closed right after the reply). The rules do not care
 * about the transport: on a TLS server session (e.g. with the generated
 * certificate) `curl -k https://…` gets the same 200.
 */
import type { FramerSpec } from '../codec/types';
import { formatReason, say, type Reason } from '../protocol/reason-format';
import { ruleSetSchema, type RuleSet, type RuleSetInput } from '../protocol/rules';
import { CRLF_FRAMING, DEVICE_RULES, FTP_RULES, LF_FRAMING, MODBUS_RULES, MODBUS_TCP_FRAMING, REDIS_RULES } from './examples-dialogue';
import { ruleName, type ExampleProfileId, type ExampleRuleId } from './example-rule-names';

export type { ExampleProfileId };

export interface ExampleProfile {
  id: ExampleProfileId;
  /** in English (the built-in profile's name); `nameWhy` says it in any language */
  name: string;
  description: string;
  nameWhy: Reason;
  descriptionWhy: Reason;
  /** how received bytes are cut into messages; set on the session together with the rules */
  framing: FramerSpec;
  rules: RuleSet;
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** one command line per message */
export const SMTP_FRAMING: FramerSpec = { kind: 'delimiter', delimiter: ascii('\r\n'), keep: false };
/** one request head per message */
export const HTTP_FRAMING: FramerSpec = { kind: 'delimiter', delimiter: ascii('\r\n\r\n'), keep: false };

/** An SMTP command rule (its name from example-rule-names.ts). */
const command = (id: ExampleRuleId<'smtp'>, pattern: string, reply: string, extra: { close?: boolean } = {}) => ({
  id,
  name: ruleName('smtp', id),
  match: { kind: 'regex' as const, pattern, flags: 'i' },
  reply: { template: reply, mode: 'text' as const, lineEnding: 'crlf' as const },
  ...extra,
});

const SMTP_RULES: RuleSetInput = {
  echo: false,
  greeting: { template: '220 wirebench.local ESMTP Wirebench mock', mode: 'text', lineEnding: 'crlf' },
  rules: [
    command('ehlo', '^EHLO\\b', '250-wirebench.local Hello\\r\\n250 OK'),
    command('helo', '^HELO\\b', '250 wirebench.local Hello'),
    command('mail-from', '^MAIL FROM:', '250 OK'),
    command('rcpt-to', '^RCPT TO:', '250 OK'),
    {
      ...command('data', '^DATA\\s*$', '354 End data with <CR><LF>.<CR><LF>'),
      collect: { into: 'body', until: '.', reply: { template: '250 OK: queued as {{count}}', mode: 'text' as const, lineEnding: 'crlf' as const } },
    },
    command('rset-noop', '^(RSET|NOOP)\\b', '250 OK'),
    command('quit', '^QUIT\\s*$', '221 Bye', { close: true }),
    command('unknown', '\\S', '500 Command not recognized'),
  ],
};

/** The body every HTTP request gets. */
export const HTTP_BODY = 'Hello from Wirebench\n';
const HTTP_BODY_BYTES = new TextEncoder().encode(HTTP_BODY).length;

/** Escape CR/LF (and backslashes) so a fixed text can go into a reply template. */
const escapeTemplate = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\$/g, '$$$$').replace(/\{\{/g, '\\u007B{');

const httpHead = (status: string, extra: string[], length: number): string =>
  [`HTTP/1.1 ${status}`, ...extra, `Content-Length: ${length}`, 'Connection: close', '', ''].join('\r\n');

const httpReply = (id: ExampleRuleId<'http'>, pattern: string, head: string, body: string) => ({
  id,
  name: ruleName('http', id),
  match: { kind: 'regex' as const, pattern, flags: '' },
  reply: { template: escapeTemplate(head + body), mode: 'text' as const, encoding: 'utf-8' as const },
  close: true,
});

const TEXT_PLAIN = 'Content-Type: text/plain; charset=utf-8';
const NOT_ALLOWED = 'Method Not Allowed\n';

const HTTP_RULES: RuleSetInput = {
  echo: false,
  rules: [
    httpReply('head', '^HEAD \\S+ HTTP/1\\.[01]', httpHead('200 OK', [TEXT_PLAIN], HTTP_BODY_BYTES), ''),
    httpReply(
      'ok',
      '^(GET|POST|PUT|DELETE|OPTIONS) (\\S+) HTTP/1\\.[01]',
      httpHead('200 OK', [TEXT_PLAIN], HTTP_BODY_BYTES),
      HTTP_BODY,
    ),
    httpReply(
      'not-allowed',
      '^[A-Z]+ \\S+ HTTP/1\\.[01]',
      httpHead('405 Method Not Allowed', [TEXT_PLAIN, 'Allow: GET, HEAD, POST, PUT, DELETE, OPTIONS'], NOT_ALLOWED.length),
      NOT_ALLOWED,
    ),
  ],
};

const texts = (nameWhy: Reason, descriptionWhy: Reason) => ({
  name: formatReason(nameWhy),
  description: formatReason(descriptionWhy),
  nameWhy,
  descriptionWhy,
});

export const EXAMPLE_PROFILES: readonly ExampleProfile[] = [
  {
    id: 'smtp',
    ...texts(say('example.smtp.name'), say('example.smtp.description')),
    framing: SMTP_FRAMING,
    rules: ruleSetSchema.parse(SMTP_RULES),
  },
  {
    id: 'http',
    ...texts(say('example.http.name'), say('example.http.description', { body: HTTP_BODY.trim() })),
    framing: HTTP_FRAMING,
    rules: ruleSetSchema.parse(HTTP_RULES),
  },
  { id: 'ftp', ...texts(say('example.ftp.name'), say('example.ftp.description')), framing: CRLF_FRAMING, rules: ruleSetSchema.parse(FTP_RULES) },
  { id: 'redis', ...texts(say('example.redis.name'), say('example.redis.description')), framing: CRLF_FRAMING, rules: ruleSetSchema.parse(REDIS_RULES) },
  { id: 'device', ...texts(say('example.device.name'), say('example.device.description')), framing: LF_FRAMING, rules: ruleSetSchema.parse(DEVICE_RULES) },
  { id: 'modbus', ...texts(say('example.modbus.name'), say('example.modbus.description')), framing: MODBUS_TCP_FRAMING, rules: ruleSetSchema.parse(MODBUS_RULES) },
];

/** The example with this id. */
export function exampleProfile(id: ExampleProfileId): ExampleProfile {
  const found = EXAMPLE_PROFILES.find((p) => p.id === id);
  if (!found) throw new Error(`no example profile '${id}'`);
  return found;
}
