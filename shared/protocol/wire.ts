/**
 * Binary framing for the WebSocket transport, so payload bytes travel as bytes
 * (never hex or number arrays). One frame:
 *
 *   u32 BE  header length N
 *   N bytes UTF-8 JSON header; every Uint8Array in the value is replaced by
 *           {"$b":[offset,length]} pointing into the blob area
 *   ...     blob area: the payloads, back to back
 *
 * Electron IPC does not need this: structured clone carries Uint8Array as is.
 */
import type { CommandName } from './commands';
import type { Result } from './errors';
import type { NetEvent } from './events';

export type WireMessage =
  | { t: 'req'; id: number; cmd: CommandName; args: unknown }
  | { t: 'res'; id: number; result: Result<unknown> }
  | { t: 'events'; events: NetEvent[] }
  | { t: 'hello'; version: number; serverTime: number };

export const WIRE_VERSION = 1;

const BLOB_KEY = '$b';

/**
 * Node's Buffer has a toJSON that JSON.stringify calls before any replacer:
 * it builds an array of every byte, only for the replacer to throw it away (a
 * flood's log rows made that the serve process's main cost). Buffers are
 * swapped for plain Uint8Array views of the same memory first.
 */
function withoutToJson(value: unknown): unknown {
  if (value instanceof Uint8Array) {
    return Object.getPrototypeOf(value) === Uint8Array.prototype ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const w = withoutToJson(v);
      if (w !== v) (out ??= value.slice())[i] = w;
    }
    return out ?? value;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    let out: Record<string, unknown> | undefined;
    for (const k in value as Record<string, unknown>) {
      const v = (value as Record<string, unknown>)[k];
      const w = withoutToJson(v);
      if (w !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = w;
    }
    return out ?? value;
  }
  return value;
}

export function encodeFrame(value: unknown): Uint8Array {
  const blobs: Uint8Array[] = [];
  let blobBytes = 0;
  const json = JSON.stringify(withoutToJson(value), function (this: unknown, key: string, v: unknown) {
    if (v instanceof Uint8Array) {
      const ref = { [BLOB_KEY]: [blobBytes, v.byteLength] };
      blobs.push(v);
      blobBytes += v.byteLength;
      return ref;
    }
    return v;
  });
  const header = new TextEncoder().encode(json);
  const out = new Uint8Array(4 + header.byteLength + blobBytes);
  new DataView(out.buffer).setUint32(0, header.byteLength, false);
  out.set(header, 4);
  let at = 4 + header.byteLength;
  for (const b of blobs) {
    out.set(b, at);
    at += b.byteLength;
  }
  return out;
}

export class FrameError extends Error {}

export function decodeFrame(frame: Uint8Array): unknown {
  if (frame.byteLength < 4) throw new FrameError('frame shorter than its header length');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const n = view.getUint32(0, false);
  if (4 + n > frame.byteLength) throw new FrameError('frame header length exceeds frame');
  const blobStart = 4 + n;
  const blobLen = frame.byteLength - blobStart;
  const text = new TextDecoder('utf-8', { fatal: true }).decode(frame.subarray(4, blobStart));
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const ref = (v as Record<string, unknown>)[BLOB_KEY];
      if (ref !== undefined && Object.keys(v).length === 1) {
        if (
          !Array.isArray(ref) ||
          ref.length !== 2 ||
          !Number.isInteger(ref[0]) ||
          !Number.isInteger(ref[1]) ||
          ref[0] < 0 ||
          ref[1] < 0 ||
          ref[0] + ref[1] > blobLen
        ) {
          throw new FrameError('bad blob reference in frame');
        }
        // copy, so a kept payload does not pin the whole frame in memory
        return frame.slice(blobStart + ref[0], blobStart + ref[0] + ref[1]);
      }
    }
    return v;
  });
}
