import { describe, expect, it } from 'vitest';
import { HISTORY_MAX, draftOf, historyLabel, isEmptyForm, payloadOf, remember, stepHistory, type SendForm } from './send-draft';

const text = (t: string): SendForm => ({ ...draftOf('fixture', 'utf-8').form, mode: 'text', text: t });

describe('send drafts', () => {
  it('keeps one draft per session across calls', () => {
    expect(draftOf('a', 'gbk')).toBe(draftOf('a', 'utf-8'));
    expect(draftOf('a', 'gbk').form.encoding).toBe('gbk');
    expect(draftOf('b', 'utf-8')).not.toBe(draftOf('a', 'utf-8'));
  });

  it('builds the payload the engine expects, with the checksum only when chosen', () => {
    expect(payloadOf({ ...text('hi'), lineEnding: 'crlf' })).toEqual({ kind: 'text', text: 'hi', encoding: 'utf-8', escapes: false, lineEnding: 'crlf' });
    expect(payloadOf({ ...text(''), mode: 'hex', hex: '01 02', checksum: 'crc16-modbus', endian: 'le' })).toEqual({
      kind: 'hex',
      hex: '01 02',
      checksum: { kind: 'crc16-modbus', endian: 'le' },
    });
    expect(isEmptyForm(text(''))).toBe(true);
    expect(isEmptyForm({ ...text(''), lineEnding: 'lf' })).toBe(false);
    expect(isEmptyForm({ ...text('x'), mode: 'hex', hex: '  ' })).toBe(true);
  });

  it('history: newest first, no immediate repeats, capped, recalled with a cursor', () => {
    const d = draftOf('h', 'utf-8');
    remember(d, text('one'));
    remember(d, text('two'));
    remember(d, text('two'));
    expect(d.history.map((h) => h.text)).toEqual(['two', 'one']);
    expect(stepHistory(d, 1)?.text).toBe('two');
    expect(stepHistory(d, 1)?.text).toBe('one');
    expect(stepHistory(d, 1)).toBeNull(); // already at the oldest
    expect(stepHistory(d, -1)?.text).toBe('two');
    expect(stepHistory(d, -1)).toBeNull(); // back to the draft being typed
    expect(d.cursor).toBe(-1);
    for (let i = 0; i < HISTORY_MAX + 5; i++) remember(d, text(`m${i}`));
    expect(d.history).toHaveLength(HISTORY_MAX);
  });

  it('labels history entries on one line', () => {
    expect(historyLabel(text('a\r\nb'))).toBe('TXT  a  b');
    expect(historyLabel({ ...text(''), mode: 'hex', hex: 'AA' })).toBe('HEX  AA');
    expect(historyLabel(text('x'.repeat(70)))).toBe(`TXT  ${'x'.repeat(60)}…`);
  });
});
