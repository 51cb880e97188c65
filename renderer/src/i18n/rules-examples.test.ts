import { describe, expect, it } from 'vitest';
import { say } from '../../../shared/protocol';
import { EXAMPLE_PROFILES } from '../../../shared/rules/examples';
import { EXAMPLE_RULE_NAMES } from '../../../shared/rules/example-rule-names';
import { exampleOfProfile, localizeExampleRules } from './rules-examples';
import { EXAMPLE_RULE_NAMES_ZH_CN } from './rules-examples.zh-CN';

/** The examples' rule names as they were before they had a table: English must not change. */
const ENGLISH_BEFORE: Record<string, string[]> = {
  smtp: ['EHLO', 'HELO', 'MAIL FROM', 'RCPT TO', 'DATA (body until .)', 'RSET / NOOP', 'QUIT', 'Other commands (500)'],
  http: ['HEAD', 'GET, POST, PUT, DELETE, OPTIONS', 'Other methods (405)'],
  ftp: [
    'USER', 'PASS (after USER)', 'PASS before USER', 'QUIT', 'SYST', 'FEAT', 'NOOP', 'PWD', 'CWD', 'TYPE',
    'Data channel commands (502)', 'Other commands (502)', 'Before login (530)',
  ],
  redis: ['PING', 'SET key value', 'GET key', 'GET key never SET (null)', 'QUIT', 'Other commands'],
  device: ['*IDN?', 'MEAS:TEMP?', 'SYST:ERR?', '*RST', 'Unknown command'],
  modbus: ['03 Read holding registers', '03 past the table: exception 02', 'Other functions: exception 01'],
};

/** The protocol's words in an English name (commands, status codes, function codes): no lower-case letter in them. */
const protocolWords = (name: string): string[] => name.split(/[\s,()/]+/).filter((w) => /[A-Z0-9]/.test(w) && !/[a-z]/.test(w));

describe('example rule names', () => {
  it('name every example rule in English and 简体中文, and name nothing else', () => {
    for (const ex of EXAMPLE_PROFILES) {
      const ids = ex.rules.rules.map((r) => r.id);
      expect(Object.keys(EXAMPLE_RULE_NAMES[ex.id]).sort(), ex.id).toEqual([...ids].sort());
      expect(Object.keys(EXAMPLE_RULE_NAMES_ZH_CN[ex.id]).sort(), ex.id).toEqual([...ids].sort());
      for (const id of ids) {
        const zh = (EXAMPLE_RULE_NAMES_ZH_CN[ex.id] as Record<string, string>)[id];
        expect(zh?.trim(), `${ex.id}.${id}`).toBeTruthy();
      }
    }
  });

  it('in English are the names the examples always had, in the data and when loaded', () => {
    expect(Object.fromEntries(EXAMPLE_PROFILES.map((ex) => [ex.id, ex.rules.rules.map((r) => r.name)]))).toEqual(ENGLISH_BEFORE);
    for (const ex of EXAMPLE_PROFILES) expect(localizeExampleRules(ex.id, ex.rules, 'en'), ex.id).toEqual(ex.rules);
  });

  it('in 简体中文 change only the names, and keep the protocol words as they are', () => {
    for (const ex of EXAMPLE_PROFILES) {
      const zh = localizeExampleRules(ex.id, ex.rules, 'zh-CN');
      const names = zh.rules.map((r) => r.name);
      expect({ ...zh, rules: zh.rules.map((r) => ({ ...r, name: '' })) }, ex.id).toEqual({ ...ex.rules, rules: ex.rules.rules.map((r) => ({ ...r, name: '' })) });
      ex.rules.rules.forEach((r, i) => {
        for (const w of protocolWords(r.name ?? '')) expect(names[i], `${ex.id}.${r.id} keeps ${w}`).toContain(w);
      });
    }
    const ftp = localizeExampleRules('ftp', EXAMPLE_PROFILES.find((ex) => ex.id === 'ftp')!.rules, 'zh-CN');
    expect(ftp.rules.map((r) => r.name)).toEqual(expect.arrayContaining(['USER', 'PASS（USER 之后）', '数据连接命令（502）', '未登录（530）']));
    expect(JSON.stringify(EXAMPLE_RULE_NAMES_ZH_CN)).not.toMatch(/分帧|引擎/);
  });

  it('leave a rule the table does not know as it is, and speak English for another language', () => {
    const modbus = EXAMPLE_PROFILES.find((ex) => ex.id === 'modbus')!.rules;
    const mine = { ...modbus, rules: [...modbus.rules, { ...modbus.rules[0]!, id: 'mine', name: 'My rule' }] };
    const zh = localizeExampleRules('modbus', mine, 'zh-CN');
    expect(zh.rules.map((r) => r.name)).toEqual(['03 读保持寄存器', '03 地址越界：异常 02', '其他功能码：异常 01', 'My rule']);
    expect(localizeExampleRules('modbus', mine, 'fr').rules.map((r) => r.name)).toEqual([...ENGLISH_BEFORE['modbus']!, 'My rule']);
  });

  it('find the example of a built-in profile by its name key', () => {
    for (const ex of EXAMPLE_PROFILES) expect(exampleOfProfile(ex.nameWhy)).toBe(ex.id);
    expect(exampleOfProfile(say('status.closed'))).toBeUndefined();
    expect(exampleOfProfile(undefined)).toBeUndefined();
  });
});
