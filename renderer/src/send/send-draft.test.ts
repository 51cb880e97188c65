import { describe, expect, it } from 'vitest';
import { profileSessionSchema } from '../../../shared/protocol';
import {
  BOX_MAX_CHARS,
  RECALL_MAX,
  SAVED_DRAFT_MAX,
  SAVED_RECALL_ENTRY_MAX,
  defaultForm,
  fromSettings,
  recallLabel,
  isEmptyForm,
  isPristine,
  lengthAfterPaste,
  newDraft,
  payloadOf,
  pickEncoding,
  remember,
  sendEncodingOf,
  stepRecall,
  toSettings,
  type SendForm,
} from './send-draft';

const serverInfoConfig = { kind: 'tcp-server', host: '0.0.0.0', port: 0 };
const text = (t: string): SendForm => ({ ...defaultForm(), mode: 'text', text: t });

describe('send drafts', () => {
  it('sends text in the receive encoding unless the user picked another', () => {
    expect(sendEncodingOf(text('x'), 'gbk')).toBe('gbk');
    expect(sendEncodingOf({ ...text('x'), encoding: 'utf-8' }, 'gbk')).toBe('utf-8');
    expect(payloadOf(text('你好'), 'gbk')).toMatchObject({ kind: 'text', encoding: 'gbk' });
    // picking the receive encoding means "follow the session" again
    expect(pickEncoding('gbk', 'gbk')).toBeNull();
    expect(pickEncoding('utf-8', 'gbk')).toBe('utf-8');
  });

  it('builds the payload the engine expects, with the checksum only when chosen', () => {
    expect(payloadOf({ ...text('hi'), lineEnding: 'crlf' }, 'utf-8')).toEqual({ kind: 'text', text: 'hi', encoding: 'utf-8', escapes: false, lineEnding: 'crlf' });
    expect(payloadOf({ ...text(''), mode: 'hex', hex: '01 02', checksum: 'crc16-modbus', endian: 'le' }, 'gbk')).toEqual({
      kind: 'hex',
      hex: '01 02',
      checksum: { kind: 'crc16-modbus', endian: 'le' },
    });
    expect(isEmptyForm(text(''))).toBe(true);
    expect(isEmptyForm({ ...text(''), lineEnding: 'lf' })).toBe(false);
    expect(isEmptyForm({ ...text('x'), mode: 'hex', hex: '  ' })).toBe(true);
  });

  it('recall: newest first, no immediate repeats, capped, recalled with a cursor', () => {
    const d = newDraft();
    remember(d, text('one'));
    remember(d, text('two'));
    remember(d, text('two'));
    expect(d.recall.map((h) => h.text)).toEqual(['two', 'one']);
    expect(stepRecall(d, 1)?.text).toBe('two');
    expect(stepRecall(d, 1)?.text).toBe('one');
    expect(stepRecall(d, 1)).toBeNull(); // already at the oldest
    expect(stepRecall(d, -1)?.text).toBe('two');
    expect(stepRecall(d, -1)).toBeNull(); // back to the draft being typed
    expect(d.cursor).toBe(-1);
    for (let i = 0; i < RECALL_MAX + 5; i++) remember(d, text(`m${i}`));
    expect(d.recall).toHaveLength(RECALL_MAX);
  });

  it('labels recall entries on one line', () => {
    expect(recallLabel(text('a\r\nb'))).toBe('TXT  a  b');
    expect(recallLabel({ ...text(''), mode: 'hex', hex: 'AA' })).toBe('HEX  AA');
    expect(recallLabel(text('x'.repeat(70)))).toBe(`TXT  ${'x'.repeat(60)}…`);
  });

  it('saves settings, draft and recall list in the profile shape and reads them back', () => {
    const d = newDraft();
    Object.assign(d.form, { mode: 'hex', hex: '01 03', text: 'AT', encoding: 'gbk', escapes: true, lineEnding: 'crlf', checksum: 'crc16-modbus', endian: 'le' });
    remember(d, text('follow')); // following the session: no encoding saved
    remember(d, { ...text('picked'), encoding: 'big5' });
    const saved = toSettings(d);
    expect(saved).toMatchObject({ mode: 'hex', hex: '01 03', encoding: 'gbk', checksum: 'crc16-modbus', endian: 'le', lineEnding: 'crlf' });
    expect(saved.recall[1]).not.toHaveProperty('encoding');
    expect(saved.recall[0]?.encoding).toBe('big5');
    // it is what a profile session accepts
    expect(profileSessionSchema.safeParse({ config: serverInfoConfig, send: saved }).success).toBe(true);
    const back = fromSettings(JSON.parse(JSON.stringify(saved)));
    expect(back?.form).toEqual(d.form);
    expect(back?.recall).toEqual(d.recall);
  });

  it('reads a file saved before the rename, whose recall list is called `history`', () => {
    const old = { mode: 'text', text: 'draft', history: [{ mode: 'text', text: 'sent before' }] };
    expect(fromSettings(old)?.recall.map((h) => h.text)).toEqual(['sent before']);
    // a file with both keeps the new name's list
    expect(fromSettings({ ...old, recall: [{ mode: 'hex', hex: 'AA' }] })?.recall.map((h) => h.hex)).toEqual(['AA']);
  });

  it('keeps saved copies small: a long draft is saved empty, long recall entries are left out', () => {
    const d = newDraft();
    d.form.text = 'x'.repeat(SAVED_DRAFT_MAX + 1);
    d.form.lineEnding = 'lf';
    remember(d, text('y'.repeat(SAVED_RECALL_ENTRY_MAX + 1)));
    remember(d, text('short'));
    const saved = toSettings(d);
    expect(saved.text).toBe('');
    expect(saved.lineEnding).toBe('lf');
    expect(saved.recall.map((h) => h.text)).toEqual(['short']);
  });

  it('reads defaults for missing fields and refuses what is not a send form', () => {
    expect(fromSettings({})?.form).toEqual(defaultForm());
    expect(fromSettings({ mode: 'binary' })).toBeNull();
    expect(fromSettings({ checksum: 'md5' })).toBeNull();
    expect(fromSettings(null)).toBeNull();
    expect(isPristine(newDraft())).toBe(true);
    expect(isPristine({ form: { ...defaultForm(), escapes: true }, recall: [] })).toBe(false);
  });

  it('measures a paste against the box limit, replacing the selection', () => {
    expect(lengthAfterPaste(10, 2, 5, 4)).toBe(11);
    expect(lengthAfterPaste(0, 0, 0, BOX_MAX_CHARS)).toBe(BOX_MAX_CHARS);
    expect(lengthAfterPaste(BOX_MAX_CHARS, 0, BOX_MAX_CHARS, 10)).toBe(10);
  });
});
