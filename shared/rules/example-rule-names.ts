/**
 * The names of the built-in examples' rules, in English, by example and rule
 * id: the one place they are written. The examples (examples.ts,
 * examples-dialogue.ts) take their rules' names from here, so a built-in
 * profile the engine opens names its rules in English; the UI loads an
 * example with the names of its language (renderer/src/i18n/rules-examples.ts
 * and its zh-CN table, which the compiler holds to the same keys).
 *
 * A name is a label, not protocol: the replies and the greeting are the
 * protocol's bytes and are never translated.
 */

/** The built-in examples, by id (examples.ts has one of each). */
export type ExampleProfileId = 'smtp' | 'http' | 'ftp' | 'redis' | 'device' | 'modbus';

export const EXAMPLE_RULE_NAMES = {
  smtp: {
    ehlo: 'EHLO',
    helo: 'HELO',
    'mail-from': 'MAIL FROM',
    'rcpt-to': 'RCPT TO',
    data: 'DATA (body until .)',
    'rset-noop': 'RSET / NOOP',
    quit: 'QUIT',
    unknown: 'Other commands (500)',
  },
  http: {
    head: 'HEAD',
    ok: 'GET, POST, PUT, DELETE, OPTIONS',
    'not-allowed': 'Other methods (405)',
  },
  ftp: {
    user: 'USER',
    pass: 'PASS (after USER)',
    'pass-first': 'PASS before USER',
    quit: 'QUIT',
    syst: 'SYST',
    feat: 'FEAT',
    noop: 'NOOP',
    pwd: 'PWD',
    cwd: 'CWD',
    type: 'TYPE',
    'no-data': 'Data channel commands (502)',
    unknown: 'Other commands (502)',
    'login-first': 'Before login (530)',
  },
  redis: {
    ping: 'PING',
    set: 'SET key value',
    get: 'GET key',
    'get-nil': 'GET key never SET (null)',
    quit: 'QUIT',
    unknown: 'Other commands',
  },
  device: {
    idn: '*IDN?',
    temp: 'MEAS:TEMP?',
    err: 'SYST:ERR?',
    rst: '*RST',
    unknown: 'Unknown command',
  },
  modbus: {
    'read-holding': '03 Read holding registers',
    'illegal-address': '03 past the table: exception 02',
    'illegal-function': 'Other functions: exception 01',
  },
} as const satisfies Record<ExampleProfileId, Record<string, string>>;

type English = typeof EXAMPLE_RULE_NAMES;

/** The rule ids of example `E`. */
export type ExampleRuleId<E extends ExampleProfileId> = keyof English[E] & string;

/** A table of every example rule's name in one language: the same keys as the English one. */
export type ExampleRuleNames = { readonly [E in ExampleProfileId]: { readonly [R in ExampleRuleId<E>]: string } };

/** The English name of example `example`'s rule `id`. */
export function ruleName<E extends ExampleProfileId>(example: E, id: ExampleRuleId<E>): string {
  const names: Readonly<Record<string, string>> = EXAMPLE_RULE_NAMES[example];
  return names[id] ?? id;
}
