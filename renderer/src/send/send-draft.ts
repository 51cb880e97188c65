/**
 * The send panel's form and recall list, as pure functions: the payload a form
 * sends, the encoding it sends in, recalling sent messages, and the saved shape
 * (`SendSettings` of shared/protocol/automation.ts) with its size caps.
 * The per-session state itself lives in the compose store.
 */
import type { ChecksumKind, ChecksumSpec, Endian, LineEnding } from '../../../shared/codec/types';
import { MAX_SEND_RECALL, sendSettingsSchema } from '../../../shared/protocol';
import type { Encoding, SavedSendForm, SendPayloadInput, SendSettings } from '../../../shared/protocol';

export interface SendForm {
  mode: 'text' | 'hex';
  text: string;
  hex: string;
  /** the encoding the user picked for this session; null = the session's receive encoding */
  encoding: Encoding | null;
  escapes: boolean;
  lineEnding: LineEnding;
  checksum: ChecksumKind | 'none';
  endian: Endian;
}

/** What the last send of a session did (shown in its footer, in the current language). */
export interface SendResult {
  bytes: number;
  targets: number;
}

export interface Draft {
  form: SendForm;
  /** the messages sent, newest first (Alt+↑ / Alt+↓ and the "Message history" menu) */
  recall: SendForm[];
  /** position while recalling with Alt+Up/Down; -1 = the draft being typed */
  cursor: number;
  result: SendResult | null;
}

export const RECALL_MAX = MAX_SEND_RECALL;
/**
 * Longest text the send box takes (characters). A browser textarea lays out
 * its whole value on every edit: measured in Chromium, a 256 Ki paste takes
 * ~0.25 s and each key ~50 ms after it, 1 Mi takes ~1.5 s and ~200 ms a key.
 * Larger pastes are refused with an offer to send them as a file.
 */
export const BOX_MAX_CHARS = 256 * 1024;
/** A draft longer than this is not saved (localStorage and profiles have little room). */
export const SAVED_DRAFT_MAX = 64 * 1024;
/** History entries longer than this stay in memory only. */
export const SAVED_RECALL_ENTRY_MAX = 4 * 1024;

export const defaultForm = (): SendForm => ({
  mode: 'text',
  text: '',
  hex: '',
  encoding: null,
  escapes: false,
  lineEnding: 'none',
  checksum: 'none',
  endian: 'be',
});

export const newDraft = (): Draft => ({ form: defaultForm(), recall: [], cursor: -1, result: null });

/** The encoding text goes out in: the user's pick, else the session's receive encoding. */
export const sendEncodingOf = (f: SendForm, rxEncoding: Encoding): Encoding => f.encoding ?? rxEncoding;

/** What picking `value` in the encoding list means: the receive encoding is "follow the session". */
export const pickEncoding = (value: Encoding, rxEncoding: Encoding): Encoding | null => (value === rxEncoding ? null : value);

export function checksumSpecOf(f: SendForm): ChecksumSpec | undefined {
  return f.checksum === 'none' ? undefined : { kind: f.checksum, endian: f.endian };
}

export function payloadOf(f: SendForm, rxEncoding: Encoding): SendPayloadInput {
  const checksum = checksumSpecOf(f);
  if (f.mode === 'hex') return { kind: 'hex', hex: f.hex, ...(checksum ? { checksum } : {}) };
  return {
    kind: 'text',
    text: f.text,
    encoding: sendEncodingOf(f, rxEncoding),
    escapes: f.escapes,
    lineEnding: f.lineEnding,
    ...(checksum ? { checksum } : {}),
  };
}

/** Nothing to send: blank hex, or empty text without a line ending. */
export function isEmptyForm(f: SendForm): boolean {
  return f.mode === 'hex' ? f.hex.trim() === '' : f.text === '' && f.lineEnding === 'none';
}

const sameForm = (a: SendForm, b: SendForm): boolean =>
  a.mode === b.mode &&
  a.text === b.text &&
  a.hex === b.hex &&
  a.encoding === b.encoding &&
  a.escapes === b.escapes &&
  a.lineEnding === b.lineEnding &&
  a.checksum === b.checksum &&
  a.endian === b.endian;

/** Puts a sent message on top of the recall list (unless it repeats the last one) and ends recalling. */
export function remember(d: Draft, f: SendForm): void {
  const last = d.recall[0];
  if (!last || !sameForm(last, f)) d.recall.unshift({ ...f });
  if (d.recall.length > RECALL_MAX) d.recall.length = RECALL_MAX;
  d.cursor = -1;
}

/** Moves the recall cursor (1 = older); returns the entry to recall, or null when nothing changes. */
export function stepRecall(d: Draft, dir: 1 | -1): SendForm | null {
  if (d.recall.length === 0) return null;
  const next = Math.min(d.recall.length - 1, Math.max(-1, d.cursor + dir));
  if (next === d.cursor) return null;
  d.cursor = next;
  return next >= 0 ? d.recall[next]! : null;
}

/** One line for the recall dropdown. */
export function recallLabel(h: SendForm): string {
  const body = h.mode === 'hex' ? h.hex : h.text;
  const label = `${h.mode === 'hex' ? 'HEX' : 'TXT'}  ${body.length > 60 ? `${body.slice(0, 60)}…` : body}`;
  return label.replace(/[\r\n\t]/g, ' ');
}

// ---- the saved shape ----

function toSaved(f: SendForm, max: number): SavedSendForm | null {
  if (f.text.length > max || f.hex.length > max) return null;
  const { encoding, ...rest } = f;
  return { ...rest, ...(encoding ? { encoding } : {}) };
}

const fromSaved = (s: SavedSendForm): SendForm => ({ ...defaultForm(), ...s, encoding: s.encoding ?? null });

/** True when a draft holds nothing worth saving: the default form and nothing to recall. */
export const isPristine = (d: Pick<Draft, 'form' | 'recall'>): boolean => d.recall.length === 0 && sameForm(d.form, defaultForm());

/**
 * The saved shape of a draft. A draft longer than SAVED_DRAFT_MAX is saved
 * empty (its settings kept); recall entries longer than SAVED_RECALL_ENTRY_MAX are left out.
 */
export function toSettings(d: Pick<Draft, 'form' | 'recall'>): SendSettings {
  const form = toSaved(d.form, SAVED_DRAFT_MAX) ?? toSaved({ ...d.form, text: '', hex: '' }, SAVED_DRAFT_MAX)!;
  const recall = d.recall.map((h) => toSaved(h, SAVED_RECALL_ENTRY_MAX)).filter((h): h is SavedSendForm => h !== null);
  return { ...form, recall };
}

/** Form and recall list from a saved shape; null when it is not valid. */
export function fromSettings(value: unknown): Pick<Draft, 'form' | 'recall'> | null {
  const parsed = sendSettingsSchema.safeParse(value);
  if (!parsed.success) return null;
  const { recall, ...form } = parsed.data;
  return { form: fromSaved(form), recall: recall.map(fromSaved) };
}

/** Where a paste would leave the box: its length after replacing the selection. */
export const lengthAfterPaste = (current: number, selStart: number, selEnd: number, pasted: number): number =>
  current - Math.max(0, selEnd - selStart) + pasted;
