/**
 * The built-in examples' rules with their names in the UI's language. The
 * names are looked up by example and rule id in the table of that language
 * (English: shared/rules/example-rule-names.ts itself; 简体中文:
 * rules-examples.zh-CN.ts). Only names change: matches, replies, greeting
 * and variables are the protocol's and stay byte for byte.
 *
 * The names are set when an example is loaded (the rules drawer's "Load
 * example", a built-in profile opened from Profiles): the engine keeps a
 * rule's name as plain text, so the table, the "Try it" box and the hit log
 * show the language the example was loaded in.
 */
import type { Reason, RuleSet } from '../../../shared/protocol';
import { EXAMPLE_PROFILES, type ExampleProfileId } from '../../../shared/rules/examples';
import { EXAMPLE_RULE_NAMES, type ExampleRuleNames } from '../../../shared/rules/example-rule-names';
import { EXAMPLE_RULE_NAMES_ZH_CN } from './rules-examples.zh-CN';

const TABLES: Record<'en' | 'zh-CN', ExampleRuleNames> = { en: EXAMPLE_RULE_NAMES, 'zh-CN': EXAMPLE_RULE_NAMES_ZH_CN };

/** `rules` (example `example`'s, or a copy of them) with each rule the table knows named in `locale`. */
export function localizeExampleRules(example: ExampleProfileId, rules: RuleSet, locale: string): RuleSet {
  const names: Readonly<Record<string, string>> = TABLES[locale === 'zh-CN' ? 'zh-CN' : 'en'][example];
  return {
    ...rules,
    rules: rules.rules.map((r) => {
      const name = names[r.id];
      return name === undefined ? r : { ...r, name };
    }),
  };
}

/** The example a built-in profile is, by the key of its name (`nameWhy`). */
export function exampleOfProfile(nameWhy: Reason | undefined): ExampleProfileId | undefined {
  return nameWhy ? EXAMPLE_PROFILES.find((ex) => ex.nameWhy.key === nameWhy.key)?.id : undefined;
}
