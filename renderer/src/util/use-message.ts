/**
 * naive-ui's message API when the component sits inside an
 * <n-message-provider>, else null (unit tests mount components alone;
 * callers then fall back to the bridge store's notifier or stay quiet).
 */
import { useMessage, type MessageApi } from 'naive-ui';

export function useOptionalMessage(): MessageApi | null {
  try {
    return useMessage();
  } catch {
    return null;
  }
}
