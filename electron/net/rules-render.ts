/**
 * Building a reply's bytes from its parsed template (the language is in
 * shared/protocol/rule-template.ts): captures, per-peer variables, counters,
 * bytes of the received message, length fields, register words. Pure; a
 * reply that cannot be built throws a ReplyError (the engine records it in
 * the rule's stats).
 */
import { concatBytes } from '../../shared/codec/bytes';
import { codePointPosition, parseHex } from '../../shared/codec/hex';
import { lineEndingText } from '../../shared/codec/line-ending';
import { CodecError, type LineEnding } from '../../shared/codec/types';
import { ENCODING_LABELS, type Encoding } from '../../shared/protocol/encodings';
import type { ErrorCode } from '../../shared/protocol/errors';
import { formatReason, say, type Reason } from '../../shared/protocol/reason-format';
import type { ReplySpec } from '../../shared/protocol/rules';
import { MAX_SEND_BYTES } from '../../shared/protocol/schemas';
import { MAX_WORDS, type TemplatePart } from '../../shared/protocol/rule-template';
import { encodeEscapedText, encodeText, unencodableMessage } from './text-codec';

export interface CompiledReply {
  spec: ReplySpec;
  parts: TemplatePart[];
}

/** What a reply is built from. */
export interface RenderInput {
  ctx: { peer: string; now: number };
  count: number;
  groups: RegExpExecArray | undefined;
  /** the peer's variables */
  peer: { vars: ReadonlyMap<string, string> };
  message: Uint8Array | undefined;
}

/** A reply that could not be built. */
export class ReplyError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly why: Reason,
    readonly position?: number,
    readonly char?: string,
  ) {
    super(formatReason(why));
  }
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** A template as text (a variable's value): bytes count as Latin-1 characters. */
export function renderText(parts: TemplatePart[], input: RenderInput): string {
  let s = '';
  for (const p of parts) {
    switch (p.kind) {
      case 'text':
        s += p.text;
        break;
      case 'bytes':
        s += String.fromCharCode(...p.bytes);
        break;
      case 'rx':
        s += String.fromCharCode(...rxBytes(p, input.message));
        break;
      default:
        s += valueOf(p, input) ?? '';
    }
  }
  return s;
}

/** The text a capture or variable part stands for; undefined for a byte-valued part. */
function valueOf(p: TemplatePart, { ctx, count, groups, peer }: RenderInput): string | undefined {
  const date = new Date(ctx.now);
  switch (p.kind) {
    case 'capture':
      return (typeof p.ref === 'number' ? groups?.[p.ref] : groups?.groups?.[p.ref]) ?? '';
    case 'var':
      return p.name === 'time' ? `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`
        : p.name === 'date' ? `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`
        : p.name === 'iso' ? date.toISOString()
        : p.name === 'peer' ? ctx.peer
        : String(count);
    case 'peervar': {
      const name = p.name ?? (typeof p.ref === 'number' ? groups?.[p.ref ?? 0] : groups?.groups?.[p.ref ?? '']) ?? '';
      return peer.vars.get(name) ?? '';
    }
    case 'random':
      return String(p.min + Math.floor(Math.random() * (p.max - p.min + 1)));
    default:
      return undefined;
  }
}

/** Bytes `from`..`to` of the message (as many as it has), OR-ed with the part's mask. */
function rxBytes(p: Extract<TemplatePart, { kind: 'rx' }>, message: Uint8Array | undefined): Uint8Array {
  const m = message ?? new Uint8Array(0);
  const out = m.slice(Math.min(p.from, m.length), Math.min(p.to + 1, m.length));
  if (p.or) for (let i = 0; i < out.length; i++) out[i] = out[i]! | p.or;
  return out;
}

/** {{words:NAME:A:C}}: registers from the variable's hex words, addressed by the message. */
function words(p: Extract<TemplatePart, { kind: 'words' }>, input: RenderInput): Uint8Array {
  const m = input.message ?? new Uint8Array(0);
  const u16 = (at: number): number => ((m[at] ?? 0) << 8) | (m[at + 1] ?? 0);
  const start = u16(p.addrAt);
  const n = Math.min(u16(p.countAt), MAX_WORDS);
  let table: Uint8Array;
  try {
    table = parseHex(input.peer.vars.get(p.name) ?? '');
  } catch (e) {
    throw new ReplyError('BAD_HEX', say('reply.notSent', { why: e instanceof CodecError && e.why ? e.why : say('plain', { text: String(e) }) }));
  }
  const out = new Uint8Array(n * 2);
  for (let i = 0; i < n * 2; i++) out[i] = table[start * 2 + i] ?? 0;
  return out;
}

export function renderReply(reply: CompiledReply, input: RenderInput, defaults: { encoding: Encoding; lineEnding: LineEnding }): Uint8Array {
  const { spec, parts } = reply;
  const encoding = spec.encoding ?? defaults.encoding;
  const out: Uint8Array[] = [];
  const rests: { index: number; width: 1 | 2; endian: 'be' | 'le' }[] = [];
  let total = 0;
  const push = (b: Uint8Array): void => {
    total += b.length;
    if (total > MAX_SEND_BYTES) {
      throw new ReplyError('PAYLOAD_TOO_LARGE', say('reply.tooLarge', { mib: MAX_SEND_BYTES / (1024 * 1024) }));
    }
    out.push(b);
  };
  const { count } = input;
  for (const p of parts) {
    switch (p.kind) {
      case 'bytes':
        push(p.bytes);
        break;
      case 'rx':
        push(rxBytes(p, input.message));
        break;
      case 'words':
        push(words(p, input));
        break;
      case 'rest':
        rests.push({ index: out.length, width: p.width, endian: p.endian });
        push(new Uint8Array(p.width));
        break;
      case 'counter': {
        const v = count % (p.width === 1 ? 0x100 : 0x10000);
        push(p.width === 1 ? Uint8Array.of(v) : p.endian === 'be' ? Uint8Array.of(v >> 8, v & 0xff) : Uint8Array.of(v & 0xff, v >> 8));
        break;
      }
      case 'text':
        push(encodeLiteral(spec.template, p, encoding));
        break;
      case 'capture':
        push(encodeValue(valueOf(p, input) ?? '', say('reply.captured', { written: p.written }), encoding));
        break;
      case 'peervar': {
        const value = valueOf(p, input) ?? '';
        if (spec.mode === 'hex') {
          try {
            push(parseHex(value));
          } catch (e) {
            const why = e instanceof CodecError && e.why ? e.why : say('plain', { text: String(e) });
            throw new ReplyError('BAD_HEX', say('reply.notSent', { why }));
          }
        } else {
          push(encodeValue(value, say('reply.gave', { written: p.written }), encoding));
        }
        break;
      }
      case 'var':
      case 'random':
        push(encodeValue(valueOf(p, input) ?? '', say('reply.gave', { written: p.kind === 'var' ? `{{${p.name}}}` : '{{random}}' }), encoding));
        break;
    }
  }
  const ending = spec.lineEnding ?? defaults.lineEnding;
  if (spec.mode === 'text' && ending !== 'none') {
    push(encodeText(lineEndingText(ending), encoding));
  }
  for (const r of rests) {
    let after = 0;
    for (let i = r.index + 1; i < out.length; i++) after += out[i]!.length;
    const b = out[r.index]!;
    if (r.width === 1) b[0] = after & 0xff;
    else if (r.endian === 'be') b.set([(after >> 8) & 0xff, after & 0xff]);
    else b.set([after & 0xff, (after >> 8) & 0xff]);
  }
  return out.length === 0 ? new Uint8Array(0) : concatBytes(out);
}

/** Encode typed text; an unencodable character is reported where it was typed. */
function encodeLiteral(template: string, p: Extract<TemplatePart, { kind: 'text' }>, encoding: Encoding): Uint8Array {
  try {
    return encodeEscapedText(p.text, encoding, p.source, p.segment);
  } catch (e) {
    if (!(e instanceof CodecError) || e.code !== 'UNENCODABLE' || e.position === undefined) throw e;
    const position = codePointPosition(template, p.at) - 1 + e.position;
    const char = e.char ?? '';
    throw new ReplyError('UNENCODABLE', say('reply.unencodableTyped', { why: unencodableMessage(char, position, encoding) }), position, char);
  }
}

/** Encode a capture or variable value; `what` says where it came from ("$1 captured"). */
function encodeValue(value: string, what: Reason, encoding: Encoding): Uint8Array {
  try {
    return encodeText(value, encoding);
  } catch (e) {
    if (!(e instanceof CodecError) || e.code !== 'UNENCODABLE') throw e;
    const char = e.char ?? '';
    const cp = (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    throw new ReplyError('UNENCODABLE', say('reply.unencodableValue', { what, char, cp, encoding: ENCODING_LABELS[encoding] }), undefined, char);
  }
}
