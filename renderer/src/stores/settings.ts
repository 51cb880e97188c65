/**
 * User preferences, persisted in localStorage under a versioned key and
 * validated field by field on load (a bad field falls back to its default,
 * the rest is kept).
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { z } from 'zod';
import { ENCODINGS, type Encoding } from '../../../shared/protocol';
import { LOCALES, systemLocale, type Locale } from '../i18n';

export const SETTINGS_KEY = 'wirebench.settings.v1';

export const THEMES = ['light', 'dark', 'system'] as const;
export type ThemeMode = (typeof THEMES)[number];
export type LanguagePref = Locale | 'auto';

export interface Settings {
  language: LanguagePref;
  theme: ThemeMode;
  rxEncoding: Encoding;
  txEncoding: Encoding;
}

export const defaultSettings = (): Settings => ({
  language: 'auto',
  theme: 'system',
  rxEncoding: 'utf-8',
  txEncoding: 'utf-8',
});

const d = defaultSettings();
const settingsSchema = z.object({
  language: z.enum(['auto', ...LOCALES]).catch(d.language),
  theme: z.enum(THEMES).catch(d.theme),
  rxEncoding: z.enum(ENCODINGS).catch(d.rxEncoding),
  txEncoding: z.enum(ENCODINGS).catch(d.txEncoding),
});

/** Parse stored JSON; anything unreadable gives the defaults. */
export function parseSettings(raw: string | null): Settings {
  if (!raw) return defaultSettings();
  try {
    const value: unknown = JSON.parse(raw);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return defaultSettings();
    return settingsSchema.parse({ ...defaultSettings(), ...value });
  } catch {
    return defaultSettings();
  }
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function prefersDark(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function'
    ? window.matchMedia('(prefers-color-scheme: dark)').matches
    : false;
}

export const useSettingsStore = defineStore('settings', () => {
  const initial = parseSettings(storage()?.getItem(SETTINGS_KEY) ?? null);
  const language = ref<LanguagePref>(initial.language);
  const theme = ref<ThemeMode>(initial.theme);
  const rxEncoding = ref<Encoding>(initial.rxEncoding);
  const txEncoding = ref<Encoding>(initial.txEncoding);

  const systemDark = ref(prefersDark());
  if (typeof window !== 'undefined' && typeof window.matchMedia === 'function') {
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    mq.addEventListener?.('change', (e) => {
      systemDark.value = e.matches;
    });
  }

  const locale = computed<Locale>(() => (language.value === 'auto' ? systemLocale() : language.value));
  const isDark = computed(() => (theme.value === 'system' ? systemDark.value : theme.value === 'dark'));

  const snapshot = (): Settings => ({
    language: language.value,
    theme: theme.value,
    rxEncoding: rxEncoding.value,
    txEncoding: txEncoding.value,
  });

  function save(): void {
    try {
      storage()?.setItem(SETTINGS_KEY, JSON.stringify(snapshot()));
    } catch {
      // storage full or disabled: the settings still apply for this run
    }
  }
  watch([language, theme, rxEncoding, txEncoding], save, { flush: 'sync' });

  /** Apply a partial change; an invalid value falls back to its default. */
  function update(patch: Partial<Settings>): void {
    const next = settingsSchema.parse({ ...snapshot(), ...patch });
    language.value = next.language;
    theme.value = next.theme;
    rxEncoding.value = next.rxEncoding;
    txEncoding.value = next.txEncoding;
  }

  /** Cycle light → dark → system, for the header button. */
  function cycleTheme(): void {
    const i = THEMES.indexOf(theme.value);
    theme.value = THEMES[(i + 1) % THEMES.length] ?? 'system';
  }

  function reset(): void {
    update(defaultSettings());
  }

  return { language, theme, rxEncoding, txEncoding, locale, isDark, update, cycleTheme, reset };
});
