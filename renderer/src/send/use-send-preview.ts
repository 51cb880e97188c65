/**
 * Live preview of the exact bytes the send panel would put on the wire:
 * the first PREVIEW_MAX bytes as hex and the exact count.
 * Hex is parsed locally; text goes to the engine (`codec.preview`, debounced)
 * because encodings such as GBK need iconv on the Node side. A large input is
 * checked only after a longer pause, so typing in it costs no encoding work;
 * only a prefix of the bytes is kept and formatted.
 */
import { computed, onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { CodecError, appendChecksum, formatHex, parseHex } from '../../../shared/codec';
import { ENCODING_LABELS, type Encoding } from '../../../shared/protocol';
import { useBridgeStore } from '../stores/bridge';
import { checksumSpecOf, payloadOf, sendEncodingOf, type SendForm } from './send-draft';

/** Bytes shown as hex; the count is always exact. */
export const PREVIEW_MAX = 256;
const DEBOUNCE_MS = 150;
/** Inputs longer than this (characters) are checked only after a longer pause. */
export const LARGE_INPUT = 16 * 1024;
const LARGE_DEBOUNCE_MS = 500;

export interface PreviewErr {
  text: string;
}

export function useSendPreview(form: Readonly<Ref<SendForm>>, rxEncoding: Readonly<Ref<Encoding>>) {
  const { t } = useI18n();
  const bridge = useBridgeStore();

  /** the first PREVIEW_MAX bytes (a copy: a large answer is not kept) */
  const previewHead = shallowRef<Uint8Array | null>(null);
  const previewCount = ref(0);
  const previewError = ref<PreviewErr | null>(null);
  const previewPending = ref(false);
  let previewTimer: ReturnType<typeof setTimeout> | null = null;
  let previewGen = 0;

  /** A codec error in the user's words, with the character and its position. */
  function codecMessage(code: string, msg: string, char: string | undefined, pos: number | undefined): string {
    if (code === 'BAD_HEX' && char !== undefined && pos !== undefined) {
      if (/^0x$/i.test(char)) return t('send.err.hexPrefix', { pos });
      if (/^[0-9a-f]$/i.test(char)) return t('send.err.hexUnpaired', { char, pos });
      return t('send.err.hexChar', { char, pos });
    }
    if (code === 'UNENCODABLE' && char !== undefined && pos !== undefined) {
      return t('send.err.unencodable', { char, pos, encoding: ENCODING_LABELS[sendEncodingOf(form.value, rxEncoding.value)] });
    }
    if (code === 'BAD_ESCAPE' && char !== undefined && pos !== undefined) return t('send.err.escape', { char, pos });
    return msg;
  }

  function show(bytes: Uint8Array): void {
    previewHead.value = bytes.slice(0, PREVIEW_MAX);
    previewCount.value = bytes.length;
    previewError.value = null;
  }
  function fail(text: string): void {
    previewHead.value = null;
    previewCount.value = 0;
    previewError.value = { text };
  }

  function previewLocalHex(): void {
    previewPending.value = false;
    try {
      const bytes = parseHex(form.value.hex);
      const spec = checksumSpecOf(form.value);
      show(spec && bytes.length > 0 ? appendChecksum(bytes, spec) : bytes);
    } catch (e) {
      if (!(e instanceof CodecError)) throw e;
      fail(codecMessage(e.code, e.message, e.char, e.position));
    }
  }

  async function previewRemote(gen: number): Promise<void> {
    const r = await bridge.request('codec.preview', { payload: payloadOf(form.value, rxEncoding.value) }, { silent: true });
    if (gen !== previewGen) return; // an older answer: the input has changed since
    previewPending.value = false;
    if (r.ok) show(r.data.bytes);
    else fail(codecMessage(r.code, r.message, r.detail?.char, r.detail?.position));
  }

  function refreshPreview(): void {
    if (previewTimer) clearTimeout(previewTimer);
    previewTimer = null;
    const gen = ++previewGen;
    const f = form.value;
    const length = f.mode === 'hex' ? f.hex.length : f.text.length;
    if (f.mode === 'hex' && length <= LARGE_INPUT) {
      previewLocalHex();
      return;
    }
    if (f.mode === 'text' && f.text === '' && f.lineEnding === 'none') {
      previewPending.value = false;
      show(new Uint8Array(0));
      return;
    }
    previewPending.value = true;
    const run = f.mode === 'hex' ? () => previewLocalHex() : () => void previewRemote(gen);
    previewTimer = setTimeout(run, length > LARGE_INPUT ? LARGE_DEBOUNCE_MS : DEBOUNCE_MS);
  }
  watch([form, rxEncoding], refreshPreview, { deep: true, immediate: true });
  onBeforeUnmount(() => {
    if (previewTimer) clearTimeout(previewTimer);
  });

  const previewHex = computed(() => {
    const b = previewHead.value;
    if (!b) return '';
    return previewCount.value > b.length ? `${formatHex(b)} …` : formatHex(b);
  });

  return { previewError, previewPending, previewHex, previewCount, codecMessage };
}
