/**
 * What the engine and the schemas say, in the user's language. The engine
 * sends an English sentence (`reason`, `message`) and, next to it, the same
 * as a structured reason `why` = { key, params } from the one table in
 * shared/protocol/reasons.ts. Here the key is looked up in the table of the
 * UI's language (English: that table itself; 简体中文: reasons.zh-CN.ts) and
 * the parameters filled in, nested reasons too. A key this UI does not know
 * (a newer engine) shows the English sentence unchanged.
 *
 * Nothing translated is stored: call these at render time, with the current
 * locale (or vue-i18n's `t`), so switching the language re-renders old rows.
 */
import { useI18n } from 'vue-i18n';
import { ENGLISH, fillReason, formatReason, isReason, reasonOfIssue, type FillOptions, type Reason } from '../../../shared/protocol/reason-format';
import { REASONS } from '../../../shared/protocol/reasons';
import { REASONS_ZH_CN } from './reasons.zh-CN';

type ReasonLocale = 'en' | 'zh-CN';

const TABLES: Record<ReasonLocale, Readonly<Record<string, string>>> = { en: REASONS, 'zh-CN': REASONS_ZH_CN };
const OPTIONS: Record<ReasonLocale, FillOptions> = { en: ENGLISH, 'zh-CN': { listSeparator: '；', lowerFirst: false } };

const asLocale = (s: unknown): ReasonLocale => (s === 'zh-CN' ? 'zh-CN' : 'en');

/** A reason in `locale`; undefined when a key (or a nested one) has no sentence there. */
export function reasonText(why: Reason, locale: string): string | undefined {
  const l = asLocale(locale);
  const table = TABLES[l];
  return fillReason(why, (k) => (Object.hasOwn(table, k) ? table[k] : undefined), OPTIONS[l]);
}

/**
 * Anything that says why: a StatusEntry, a LogNote, a peer.left or error
 * event, an Err result, a RuleError (`reason` or `message` in English, `why`
 * structured), a bare Reason, or just an English sentence.
 */
export type Reasoned =
  | string
  | Reason
  | { why?: Reason | undefined; reason?: string; message?: string }
  | null
  | undefined;

/** vue-i18n's `t` (or any function with its shape). */
export type Translate = (key: string, params: Record<string, string>) => string;

/** The locale a vue-i18n `t` speaks: its `meta.locale` message. */
export function localeOf(t: Translate): ReasonLocale {
  return asLocale(t('meta.locale', {}));
}

/**
 * The text to show for `subject` in the UI's language: pass the locale, or
 * vue-i18n's `t` (inside a render both are reactive, so a language switch
 * re-renders it).
 */
export function localizeReason(subject: Reasoned, how: string | Translate): string {
  if (subject === null || subject === undefined) return '';
  if (typeof subject === 'string') return subject;
  const locale = typeof how === 'function' ? localeOf(how) : asLocale(how);
  if ('key' in subject && isReason(subject)) return reasonText(subject, locale) ?? formatReason(subject);
  const s = subject as { why?: Reason; reason?: string; message?: string };
  const english = s.reason ?? s.message ?? '';
  const why = isReason(s.why) ? s.why : undefined;
  if (!why) return english;
  return reasonText(why, locale) ?? (english || formatReason(why));
}

/** A schema (zod) issue in the UI's language: its Reason when the schemas gave one, else its message. */
export function issueText(issue: { message: string; params?: unknown }, how: string | Translate): string {
  return localizeReason({ message: issue.message, why: reasonOfIssue(issue) }, how);
}

/** In a component: `const reasonText = useReasonText()`, then `reasonText(status)` in the template. */
export function useReasonText(): (subject: Reasoned) => string {
  const { locale } = useI18n();
  return (subject) => localizeReason(subject, locale.value);
}
