/**
 * What the send panel is composing for each session, and its history.
 * Drafts and histories live at module level so they outlive the panel: switching sessions keeps them.
 */
import { reactive } from 'vue';
import type { ChecksumKind, ChecksumSpec, Endian, LineEnding } from '../../../shared/codec/types';
import type { Encoding, SendPayloadInput } from '../../../shared/protocol';

export interface SendForm {
  mode: 'text' | 'hex';
  text: string;
  hex: string;
  encoding: Encoding;
  escapes: boolean;
  lineEnding: LineEnding;
  checksum: ChecksumKind | 'none';
  endian: Endian;
}
export interface Draft {
  form: SendForm;
  /** newest first */
  history: SendForm[];
  /** position while recalling with Alt+Up/Down; -1 = the draft being typed */
  cursor: number;
}

export const HISTORY_MAX = 50;
const drafts = new Map<string, Draft>();

export function draftOf(id: string, encoding: Encoding): Draft {
  let d = drafts.get(id);
  if (!d) {
    d = reactive({
      form: { mode: 'text', text: '', hex: '', encoding, escapes: false, lineEnding: 'none', checksum: 'none', endian: 'be' },
      history: [],
      cursor: -1,
    }) as Draft;
    drafts.set(id, d);
  }
  return d;
}

export function checksumSpecOf(f: SendForm): ChecksumSpec | undefined {
  return f.checksum === 'none' ? undefined : { kind: f.checksum, endian: f.endian };
}

export function payloadOf(f: SendForm): SendPayloadInput {
  const checksum = checksumSpecOf(f);
  if (f.mode === 'hex') return { kind: 'hex', hex: f.hex, ...(checksum ? { checksum } : {}) };
  return { kind: 'text', text: f.text, encoding: f.encoding, escapes: f.escapes, lineEnding: f.lineEnding, ...(checksum ? { checksum } : {}) };
}

/** Nothing to send: blank hex, or empty text without a line ending. */
export function isEmptyForm(f: SendForm): boolean {
  return f.mode === 'hex' ? f.hex.trim() === '' : f.text === '' && f.lineEnding === 'none';
}

/** Puts a sent message on top of the history (unless it repeats the last one) and ends recalling. */
export function remember(d: Draft, f: SendForm): void {
  const same = d.history[0];
  if (!same || JSON.stringify(same) !== JSON.stringify(f)) d.history.unshift({ ...f });
  if (d.history.length > HISTORY_MAX) d.history.length = HISTORY_MAX;
  d.cursor = -1;
}

/** Moves the recall cursor (1 = older); returns the entry to recall, or null when nothing changes. */
export function stepHistory(d: Draft, dir: 1 | -1): SendForm | null {
  if (d.history.length === 0) return null;
  const next = Math.min(d.history.length - 1, Math.max(-1, d.cursor + dir));
  if (next === d.cursor) return null;
  d.cursor = next;
  return next >= 0 ? d.history[next]! : null;
}

/** One line for the history dropdown. */
export function historyLabel(h: SendForm): string {
  const body = h.mode === 'hex' ? h.hex : h.text;
  const label = `${h.mode === 'hex' ? 'HEX' : 'TXT'}  ${body.length > 60 ? `${body.slice(0, 60)}…` : body}`;
  return label.replace(/[\r\n\t]/g, ' ');
}
