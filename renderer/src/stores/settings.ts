/**
 * User preferences, persisted in localStorage under a versioned key and
 * validated field by field on load (a bad field falls back to its default,
 * the rest is kept). Besides language, theme and encodings: the layout (side
 * panel and clients/UDP panel collapsed), what the log shows (timestamps,
 * with the date, Δt since the previous row; the view new sessions start in),
 * whether the counters bar draws its rate chart, and (desktop app) whether
 * quitting with open sessions asks first.
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { z } from 'zod';
import { ENCODINGS, type Encoding } from '../../../shared/protocol';
import { LOCALES, systemLocale, type Locale } from '../i18n';
import { DISPLAY_MODES, type DisplayMode } from '../log/types';

export const SETTINGS_KEY = 'wirebench.settings.v1';

export const THEMES = ['light', 'dark', 'system'] as const;
export type ThemeMode = (typeof THEMES)[number];
export type LanguagePref = Locale | 'auto';

export interface Settings {
  language: LanguagePref;
  theme: ThemeMode;
  rxEncoding: Encoding;
  txEncoding: Encoding;
  /** the side panel (sessions, clients/UDP) shows as a narrow rail */
  sidebarCollapsed: boolean;
  /** the clients/UDP section of the side panel is folded */
  auxCollapsed: boolean;
  /** the view a session's log starts in */
  defaultView: DisplayMode;
  /** log columns: time of day, its date, time since the previous row */
  logTime: boolean;
  logDate: boolean;
  logDelta: boolean;
  /** the counters bar draws the last minute's rates */
  rateChart: boolean;
  /** desktop app: ask before quitting while sessions are open */
  confirmQuit: boolean;
}

export const defaultSettings = (): Settings => ({
  language: 'auto',
  theme: 'system',
  rxEncoding: 'utf-8',
  txEncoding: 'utf-8',
  sidebarCollapsed: false,
  auxCollapsed: false,
  defaultView: 'both',
  logTime: true,
  logDate: false,
  logDelta: false,
  rateChart: true,
  confirmQuit: true,
});

const d = defaultSettings();
const settingsSchema = z.object({
  language: z.enum(['auto', ...LOCALES]).catch(d.language),
  theme: z.enum(THEMES).catch(d.theme),
  rxEncoding: z.enum(ENCODINGS).catch(d.rxEncoding),
  txEncoding: z.enum(ENCODINGS).catch(d.txEncoding),
  sidebarCollapsed: z.boolean().catch(d.sidebarCollapsed),
  auxCollapsed: z.boolean().catch(d.auxCollapsed),
  defaultView: z.enum(DISPLAY_MODES as [DisplayMode, ...DisplayMode[]]).catch(d.defaultView),
  logTime: z.boolean().catch(d.logTime),
  logDate: z.boolean().catch(d.logDate),
  logDelta: z.boolean().catch(d.logDelta),
  rateChart: z.boolean().catch(d.rateChart),
  confirmQuit: z.boolean().catch(d.confirmQuit),
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
  const sidebarCollapsed = ref(initial.sidebarCollapsed);
  const auxCollapsed = ref(initial.auxCollapsed);
  const defaultView = ref<DisplayMode>(initial.defaultView);
  const logTime = ref(initial.logTime);
  const logDate = ref(initial.logDate);
  const logDelta = ref(initial.logDelta);
  const rateChart = ref(initial.rateChart);
  const confirmQuit = ref(initial.confirmQuit);

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
    sidebarCollapsed: sidebarCollapsed.value,
    auxCollapsed: auxCollapsed.value,
    defaultView: defaultView.value,
    logTime: logTime.value,
    logDate: logDate.value,
    logDelta: logDelta.value,
    rateChart: rateChart.value,
    confirmQuit: confirmQuit.value,
  });

  function save(): void {
    try {
      storage()?.setItem(SETTINGS_KEY, JSON.stringify(snapshot()));
    } catch {
      // storage full or disabled: the settings still apply for this run
    }
  }
  watch([language, theme, rxEncoding, txEncoding, sidebarCollapsed, auxCollapsed, defaultView, logTime, logDate, logDelta, rateChart, confirmQuit], save, {
    flush: 'sync',
  });

  /** Apply a partial change; an invalid value falls back to its default. */
  function update(patch: Partial<Settings>): void {
    const next = settingsSchema.parse({ ...snapshot(), ...patch });
    language.value = next.language;
    theme.value = next.theme;
    rxEncoding.value = next.rxEncoding;
    txEncoding.value = next.txEncoding;
    sidebarCollapsed.value = next.sidebarCollapsed;
    auxCollapsed.value = next.auxCollapsed;
    defaultView.value = next.defaultView;
    logTime.value = next.logTime;
    logDate.value = next.logDate;
    logDelta.value = next.logDelta;
    rateChart.value = next.rateChart;
    confirmQuit.value = next.confirmQuit;
  }

  /**
   * Where the theme button goes next. Its first click always changes what is
   * shown: from "follow system" to the opposite of the system's look, then to
   * the system's look chosen explicitly, then back to following the system
   * (on a light system: system → dark → light → system).
   */
  const nextTheme = computed<ThemeMode>(() => {
    const systemLook = systemDark.value ? 'dark' : 'light';
    const opposite = systemDark.value ? 'light' : 'dark';
    if (theme.value === 'system') return opposite;
    return theme.value === opposite ? systemLook : 'system';
  });

  /** The header button: one step of {@link nextTheme}. */
  function cycleTheme(): void {
    theme.value = nextTheme.value;
  }

  function reset(): void {
    update(defaultSettings());
  }

  return {
    language,
    theme,
    rxEncoding,
    txEncoding,
    sidebarCollapsed,
    auxCollapsed,
    defaultView,
    logTime,
    logDate,
    logDelta,
    rateChart,
    confirmQuit,
    locale,
    isDark,
    /** the OS asks for a dark look (what "follow system" shows) */
    systemDark,
    nextTheme,
    update,
    cycleTheme,
    reset,
  };
});
