/**
 * Built-in examples that hold a dialogue (per-peer states and variables):
 *
 * FTP control channel — a greeting, USER (remembered as {{var.user}}) then
 * PASS in state `auth` logs in (state `ready`); SYST, FEAT, NOOP and QUIT
 * work in any state; PWD, CWD (kept in {{var.cwd}}) and TYPE need a login.
 * There is no data channel: PASV, EPSV, PORT, EPRT, LIST, NLST, RETR and
 * STOR answer 502 saying so. Before login anything else gets 530.
 *
 * Redis-like — inline commands (what `redis-cli` and a raw socket send one
 * per line): PING → +PONG, SET key value → +OK and stores the value in the
 * peer's variable named `key`, GET key → +value, or the RESP null bulk
 * string $-1 for a key never SET (the GET rule's {{var.$1!}} needs the
 * variable, so an unset key falls to the next rule), QUIT closes; anything
 * else → -ERR. Each connection has its own keys (variables are per peer).
 *
 * Line-based device — a SCPI-style instrument: *IDN? answers the identity,
 * MEAS:TEMP? a random temperature 20.0–30.9, SYST:ERR? no error, *RST
 * nothing; any other line gets the SCPI error -113,"Undefined header".
 *
 * Modbus TCP slave — framing by the MBAP length (bytes 4–5 count the bytes
 * after them), function 03 (read holding registers) answered from the
 * register table in the variable `regs` (registers 0–9); a read reaching
 * past the table (or of 0 or more than 125 registers) gets exception 02
 * (illegal data address), every other function exception 01 (illegal
 * function). Replies echo the transaction id and unit id.
 */
import type { FramerSpec } from '../codec/types';
import type { RuleSetInput } from '../protocol/rules';
import { ruleName, type ExampleProfileId, type ExampleRuleId } from './example-rule-names';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** one line per message, CRLF (FTP, Redis) */
export const CRLF_FRAMING: FramerSpec = { kind: 'delimiter', delimiter: ascii('\r\n'), keep: false };
/** one line per message, LF (instruments) */
export const LF_FRAMING: FramerSpec = { kind: 'delimiter', delimiter: ascii('\n'), keep: false };
/** Modbus TCP: MBAP length at bytes 4–5, counting the bytes after it */
export const MODBUS_TCP_FRAMING: FramerSpec = { kind: 'length-prefix', width: 2, endian: 'be', includesPrefix: false, offset: 4 };

/** A text command rule of `example` (its name from example-rule-names.ts). */
const commandsOf =
  <E extends ExampleProfileId>(example: E) =>
  (id: ExampleRuleId<E>, pattern: string, reply: string, extra: Record<string, unknown> = {}) => ({
    id,
    name: ruleName(example, id),
    match: { kind: 'regex' as const, pattern, flags: 'i' },
    reply: { template: reply, mode: 'text' as const },
    ...extra,
  });
const ftp = commandsOf('ftp');
const redis = commandsOf('redis');
const device = commandsOf('device');

/** What FTP says for a command that would need a data connection. */
export const FTP_NO_DATA = '502 Data channel is not simulated: this mock answers the control channel only';

export const FTP_RULES: RuleSetInput = {
  echo: false,
  vars: { cwd: '/' },
  greeting: { template: '220 Wirebench FTP mock ready', mode: 'text' },
  rules: [
    ftp('user', '^USER (\\S+)\\s*$', '331 Password required for {{var.user}}', { set: [{ name: 'user', value: '$1' }], then: 'auth' }),
    ftp('pass', '^PASS\\b', '230 User {{var.user}} logged in', { when: 'auth', then: 'ready' }),
    ftp('pass-first', '^PASS\\b', '503 Login with USER first'),
    ftp('quit', '^QUIT\\s*$', '221 Goodbye', { close: true }),
    ftp('syst', '^SYST\\s*$', '215 UNIX Type: L8'),
    ftp('feat', '^FEAT\\s*$', '211-Features:\\r\\n UTF8\\r\\n211 End'),
    ftp('noop', '^NOOP\\s*$', '200 OK'),
    ftp('pwd', '^(PWD|XPWD)\\s*$', '257 "{{var.cwd}}" is the current directory', { when: 'ready' }),
    ftp('cwd', '^CWD (.+?)\\s*$', '250 Directory changed to {{var.cwd}}', { when: 'ready', set: [{ name: 'cwd', value: '$1' }] }),
    ftp('type', '^TYPE (\\S+)', '200 Type set to $1', { when: 'ready' }),
    ftp('no-data', '^(PASV|EPSV|PORT|EPRT|LIST|NLST|MLSD|RETR|STOR|APPE)\\b', FTP_NO_DATA, { when: 'ready' }),
    ftp('unknown', '\\S', '502 Command not implemented', { when: 'ready' }),
    ftp('login-first', '\\S', '530 Please log in with USER and PASS'),
  ],
};

export const REDIS_RULES: RuleSetInput = {
  echo: false,
  rules: [
    redis('ping', '^PING\\s*$', '+PONG'),
    redis('set', '^SET (\\S+) (.*?)\\s*$', '+OK', { set: [{ name: '$1', value: '$2' }] }),
    redis('get', '^GET (\\S+)\\s*$', '+{{var.$1!}}'),
    redis('get-nil', '^GET (\\S+)\\s*$', '$$-1'),
    redis('quit', '^QUIT\\s*$', '+OK', { close: true }),
    redis('unknown', '^(\\S+)', "-ERR unknown command '$1'"),
  ],
};

export const DEVICE_IDENTITY = 'Wirebench,SIM-1000,0001,1.0';

export const DEVICE_RULES: RuleSetInput = {
  echo: false,
  vars: { idn: DEVICE_IDENTITY },
  rules: [
    device('idn', '^\\*IDN\\?\\s*$', '{{var.idn}}'),
    device('temp', '^MEAS(URE)?:TEMP(ERATURE)?\\?\\s*$', '{{random 20 30}}.{{random 0 9}}'),
    device('err', '^SYST(EM)?:ERR(OR)?\\?\\s*$', '0,"No error"'),
    device('rst', '^\\*RST\\s*$', ''),
    device('unknown', '\\S', '-113,"Undefined header"'),
  ],
};

/** registers 0–9: 100, 200, … 1000 */
export const MODBUS_REGISTERS = Array.from({ length: 10 }, (_, i) => (i + 1) * 100);
const hexWords = (words: number[]): string =>
  words.map((w) => `${(w >> 8).toString(16).padStart(2, '0')} ${(w & 0xff).toString(16).padStart(2, '0')}`).join(' ').toUpperCase();

export const MODBUS_RULES: RuleSetInput = {
  echo: false,
  vars: { regs: hexWords(MODBUS_REGISTERS) },
  rules: [
    {
      id: 'read-holding',
      name: ruleName('modbus', 'read-holding'),
      match: { kind: 'hex-pattern', pattern: '?? ?? 00 00 ?? ?? ?? 03', anchored: 'start' },
      reply: { mode: 'hex', template: '{{rx:0-1}} 00 00 {{rest16be}} {{rx:6}} 03 {{rest8}} {{words:regs:8:10}}' },
    },
    {
      id: 'illegal-address',
      name: ruleName('modbus', 'illegal-address'),
      match: { kind: 'hex-pattern', pattern: '?? ?? 00 00 ?? ?? ?? 03', anchored: 'start' },
      reply: { mode: 'hex', template: '{{rx:0-1}} 00 00 00 03 {{rx:6}} 83 02' },
    },
    {
      id: 'illegal-function',
      name: ruleName('modbus', 'illegal-function'),
      match: { kind: 'hex-pattern', pattern: '?? ?? 00 00 ?? ?? ?? ??', anchored: 'start' },
      reply: { mode: 'hex', template: '{{rx:0-1}} 00 00 00 03 {{rx:6}} {{rx:7|80}} 01' },
    },
  ],
};
