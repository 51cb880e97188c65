/**
 * 简体中文：内置示例中每条规则的名称（键与 shared/rules/example-rule-names.ts 相同，
 * 由编译器和 rules-examples.test.ts 检查）。协议里的命令词（USER、PASS、GET、*IDN? …）
 * 和状态码保持原样；回复是协议的字节，不在这里。
 */
import type { ExampleRuleNames } from '../../../shared/rules/example-rule-names';

export const EXAMPLE_RULE_NAMES_ZH_CN: ExampleRuleNames = {
  smtp: {
    ehlo: 'EHLO',
    helo: 'HELO',
    'mail-from': 'MAIL FROM',
    'rcpt-to': 'RCPT TO',
    data: 'DATA（正文直到 .）',
    'rset-noop': 'RSET / NOOP',
    quit: 'QUIT',
    unknown: '其他命令（500）',
  },
  http: {
    head: 'HEAD',
    ok: 'GET、POST、PUT、DELETE、OPTIONS',
    'not-allowed': '其他方法（405）',
  },
  ftp: {
    user: 'USER',
    pass: 'PASS（USER 之后）',
    'pass-first': 'PASS（先于 USER）',
    quit: 'QUIT',
    syst: 'SYST',
    feat: 'FEAT',
    noop: 'NOOP',
    pwd: 'PWD',
    cwd: 'CWD',
    type: 'TYPE',
    'no-data': '数据连接命令（502）',
    unknown: '其他命令（502）',
    'login-first': '未登录（530）',
  },
  redis: {
    ping: 'PING',
    set: 'SET 键 值',
    get: 'GET 键',
    'get-nil': 'GET 未 SET 的键（空值）',
    quit: 'QUIT',
    unknown: '其他命令',
  },
  device: {
    idn: '*IDN?',
    temp: 'MEAS:TEMP?',
    err: 'SYST:ERR?',
    rst: '*RST',
    unknown: '未知命令',
  },
  modbus: {
    'read-holding': '03 读保持寄存器',
    'illegal-address': '03 地址越界：异常 02',
    'illegal-function': '其他功能码：异常 01',
  },
};
