/**
 * What the send panel would send right now, for the tools that reuse it
 * (periodic sends, quick commands, sequences). The send panel registers a
 * provider for the session it shows; `currentPayload` asks it. A provider
 * answers null while the input is empty or has an error.
 */
import { defineStore } from 'pinia';
import { shallowRef, triggerRef } from 'vue';
import { sendPayloadSchema, type SendPayload, type SendPayloadInput } from '../../../shared/protocol';

export type PayloadProvider = () => SendPayloadInput | null;

export const useComposeStore = defineStore('compose', () => {
  const providers = shallowRef(new Map<string, PayloadProvider>());

  /** Register the provider for a session; returns the function that removes it. */
  function register(sessionId: string, provider: PayloadProvider): () => void {
    providers.value.set(sessionId, provider);
    triggerRef(providers);
    return () => {
      if (providers.value.get(sessionId) === provider) {
        providers.value.delete(sessionId);
        triggerRef(providers);
      }
    };
  }

  /** The send panel's payload for the session, normalised; null when there is none or it is not valid. */
  function currentPayload(sessionId: string): SendPayload | null {
    const input = providers.value.get(sessionId)?.() ?? null;
    if (!input) return null;
    const parsed = sendPayloadSchema.safeParse(input);
    return parsed.success ? parsed.data : null;
  }

  const hasProvider = (sessionId: string): boolean => providers.value.has(sessionId);

  return { register, currentPayload, hasProvider };
});
