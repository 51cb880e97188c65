/**
 * vue-i18n in composition mode. Messages are plain strings compiled at run
 * time by vue-i18n's JIT compiler (AST → closures, no eval / new Function),
 * so the strict CSP `script-src 'self'` holds.
 */
import { createI18n } from 'vue-i18n';
import en, { type MessageSchema } from './en';
import zhCN from './zh-CN';

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };


/** The language the system asks for: zh-* → zh-CN, everything else → en. */
export function systemLocale(): Locale {
  const lang = typeof navigator === 'undefined' ? 'en' : navigator.language || 'en';
  return lang.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function createAppI18n(locale: Locale = systemLocale()) {
  return createI18n<[MessageSchema], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en, 'zh-CN': zhCN },
    missingWarn: false,
    fallbackWarn: false,
  });
}

export type AppI18n = ReturnType<typeof createAppI18n>;

/** Switch the UI language and the document's `lang` attribute together. */
export function applyLocale(i18n: AppI18n, locale: Locale): void {
  i18n.global.locale.value = locale;
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}
