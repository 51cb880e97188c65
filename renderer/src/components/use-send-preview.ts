/**
 * Live preview of the exact bytes the send panel would put on the wire.
 * Hex is parsed locally; text goes to the engine (`codec.preview`, debounced) because
 * encodings such as GBK need iconv on the Node side.
 */
import { computed, onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { CodecError, appendChecksum, formatHex, parseHex } from '../../../shared/codec';
import { ENCODING_LABELS } from '../../../shared/protocol';
import { useBridgeStore } from '../stores/bridge';
import { checksumSpecOf, payloadOf, type SendForm } from './send-draft';

/** Largest preview rendered as hex; the count is always exact. */
const PREVIEW_MAX = 4096;
const DEBOUNCE_MS = 150;

export interface PreviewErr {
  text: string;
}

export function useSendPreview(form: Readonly<Ref<SendForm>>) {
  const { t } = useI18n();
  const bridge = useBridgeStore();

  const previewBytes = ref<Uint8Array | null>(null);
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
      return t('send.err.unencodable', { char, pos, encoding: ENCODING_LABELS[form.value.encoding] });
    }
    if (code === 'BAD_ESCAPE' && char !== undefined && pos !== undefined) return t('send.err.escape', { char, pos });
    return msg;
  }

  function previewLocalHex(): void {
    try {
      const bytes = parseHex(form.value.hex);
      const spec = checksumSpecOf(form.value);
      previewBytes.value = spec && bytes.length > 0 ? appendChecksum(bytes, spec) : bytes;
      previewError.value = null;
    } catch (e) {
      if (!(e instanceof CodecError)) throw e;
      previewBytes.value = null;
      previewError.value = { text: codecMessage(e.code, e.message, e.char, e.position) };
    }
  }

  async function previewRemote(): Promise<void> {
    const gen = ++previewGen;
    const r = await bridge.request('codec.preview', { payload: payloadOf(form.value) }, { silent: true });
    if (gen !== previewGen) return; // an older answer: the input has changed since
    previewPending.value = false;
    if (r.ok) {
      previewBytes.value = r.data.bytes;
      previewError.value = null;
    } else {
      previewBytes.value = null;
      previewError.value = { text: codecMessage(r.code, r.message, r.detail?.char, r.detail?.position) };
    }
  }

  function refreshPreview(): void {
    if (previewTimer) clearTimeout(previewTimer);
    previewTimer = null;
    if (form.value.mode === 'hex') {
      previewGen++;
      previewPending.value = false;
      previewLocalHex();
      return;
    }
    const f = form.value;
    if (f.text === '' && f.lineEnding === 'none') {
      previewGen++;
      previewPending.value = false;
      previewBytes.value = new Uint8Array(0);
      previewError.value = null;
      return;
    }
    previewPending.value = true;
    previewTimer = setTimeout(() => void previewRemote(), DEBOUNCE_MS);
  }
  watch(form, refreshPreview, { deep: true, immediate: true });
  onBeforeUnmount(() => {
    if (previewTimer) clearTimeout(previewTimer);
  });

  const previewHex = computed(() => {
    const b = previewBytes.value;
    if (!b) return '';
    return b.length > PREVIEW_MAX ? `${formatHex(b.subarray(0, PREVIEW_MAX))} …` : formatHex(b);
  });
  const previewCount = computed(() => previewBytes.value?.length ?? 0);

  return { previewError, previewPending, previewHex, previewCount, codecMessage };
}
