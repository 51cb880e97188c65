/**
 * The side panel's theme button: its icon and its name, which says what is
 * shown now and what the next click shows (the order is the settings store's
 * `nextTheme`: the first click always changes the look).
 */
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { storeToRefs } from 'pinia';
import { useSettingsStore, type ThemeMode } from '../stores/settings';

export function useThemeButton() {
  const { t } = useI18n();
  const { theme, nextTheme, systemDark } = storeToRefs(useSettingsStore());
  const word = (m: ThemeMode): string =>
    m === 'light'
      ? t('settings.themeLight')
      : m === 'dark'
        ? t('settings.themeDark')
        : t('papercuts.theme.following', { system: t('settings.themeSystem'), look: systemDark.value ? t('settings.themeDark') : t('settings.themeLight') });
  const label = computed(() => t('papercuts.theme.button', { mode: word(theme.value), next: word(nextTheme.value) }));
  const icon = computed(() => (theme.value === 'light' ? 'sun' : theme.value === 'dark' ? 'moon' : 'auto'));
  return { label, icon };
}
