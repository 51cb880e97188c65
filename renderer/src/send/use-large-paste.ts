/**
 * Pastes (and dropped text) too large for the send box: refused at once,
 * before the browser inserts anything, with the text kept aside so the user
 * can send it as a file instead (through the file-transfer path, chunked,
 * with backpressure). Text goes out in the send encoding, hex as its bytes;
 * escapes, line ending and checksum do not apply to a file.
 */
import { ref, shallowRef, watch, type Ref } from 'vue';
import { CodecError, parseHex } from '../../../shared/codec';
import type { Encoding, Err } from '../../../shared/protocol';
import { useAutomationStore } from '../stores/automation';
import { useBridgeStore } from '../stores/bridge';
import { BOX_MAX_CHARS, lengthAfterPaste } from './send-draft';

/** characters encoded per codec.preview request for encodings the browser cannot write */
const ENCODE_SLICE = 1024 * 1024;

export interface Refusal {
  /** characters pasted */
  chars: number;
  mode: 'text' | 'hex';
  encoding: Encoding;
}

type CodecMessage = (code: string, msg: string, char: string | undefined, pos: number | undefined) => string;

const stamp = (d = new Date()): string => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
};

export function useLargePaste(o: {
  sessionId: Readonly<Ref<string>>;
  mode: () => 'text' | 'hex';
  encoding: () => Encoding;
  /** characters in the box now */
  length: () => number;
  codecMessage: CodecMessage;
}) {
  const bridge = useBridgeStore();
  const automation = useAutomationStore();
  const refused = ref<Refusal | null>(null);
  const fileError = ref<string | null>(null);
  const busy = ref(false);
  /** the refused text: kept out of reactivity (it may be megabytes) */
  const held = shallowRef<string | null>(null);

  function dismiss(): void {
    refused.value = null;
    fileError.value = null;
    held.value = null;
  }
  watch(o.sessionId, dismiss);

  /** true when the text was refused (the caller's default action must not happen) */
  function check(el: HTMLTextAreaElement, text: string): boolean {
    if (lengthAfterPaste(o.length(), el.selectionStart, el.selectionEnd, text.length) <= BOX_MAX_CHARS) {
      if (refused.value) dismiss();
      return false;
    }
    held.value = text;
    fileError.value = null;
    refused.value = { chars: text.length, mode: o.mode(), encoding: o.encoding() };
    return true;
  }

  function onPaste(e: ClipboardEvent): void {
    const text = e.clipboardData?.getData('text/plain') ?? '';
    if (check(e.currentTarget as HTMLTextAreaElement, text)) e.preventDefault();
  }

  function onDrop(e: DragEvent): void {
    const dt = e.dataTransfer;
    if (!dt || dt.files.length > 0) return;
    const text = dt.getData('text/plain');
    if (check(e.currentTarget as HTMLTextAreaElement, text)) e.preventDefault();
  }

  async function encode(text: string, encoding: Encoding): Promise<Blob | Err> {
    if (encoding === 'utf-8') return new Blob([text]);
    const parts: Uint8Array[] = [];
    for (let at = 0; at < text.length; ) {
      let end = Math.min(text.length, at + ENCODE_SLICE);
      // never split a surrogate pair between two slices
      if (end < text.length && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end--;
      const r = await bridge.request('codec.preview', { payload: { kind: 'text', text: text.slice(at, end), encoding } }, { silent: true });
      if (!r.ok) {
        const pos = r.detail?.position;
        return pos === undefined ? r : { ...r, detail: { ...r.detail, position: pos + at } };
      }
      parts.push(r.data.bytes);
      at = end;
    }
    return new Blob(parts as BlobPart[]);
  }

  async function toBlob(text: string, r: Refusal): Promise<Blob | Err | CodecError> {
    if (r.mode === 'text') return encode(text, r.encoding);
    try {
      return new Blob([parseHex(text) as BlobPart]);
    } catch (e) {
      if (e instanceof CodecError) return e;
      throw e;
    }
  }

  /** Sends the refused text as a file to the session's send target; progress shows with the file button. */
  async function sendAsFile(): Promise<void> {
    const text = held.value;
    const r = refused.value;
    if (!text || !r || busy.value) return;
    busy.value = true;
    fileError.value = null;
    try {
      const blob = await toBlob(text, r);
      if (blob instanceof CodecError) {
        fileError.value = o.codecMessage(blob.code, blob.message, blob.char, blob.position);
        return;
      }
      if (!(blob instanceof Blob)) {
        fileError.value = o.codecMessage(blob.code, blob.message, blob.detail?.char, blob.detail?.position);
        return;
      }
      const id = o.sessionId.value;
      dismiss();
      void automation.sendFile(id, blob, `clipboard-${stamp()}.${r.mode === 'hex' ? 'bin' : 'txt'}`);
    } finally {
      busy.value = false;
    }
  }

  return { refused, fileError, busy, onPaste, onDrop, dismiss, sendAsFile };
}
