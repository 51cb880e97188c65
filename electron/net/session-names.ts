/**
 * Session names are distinct: a name already shown by another session gets
 * the first free " (n)" suffix, n ≥ 2 ("Echo", "Echo (2)", "Echo (3)"), so the
 * session list, the window title and profile messages never show two alike.
 * Names compare as shown: trimmed, case-sensitive.
 */

/** The schema's limit on a session name. */
const NAME_MAX = 100;
const SUFFIX = /\s\((\d+)\)$/;

/** `wanted` if no other session shows it, else its base with the first free " (n)". */
export function distinctName(wanted: string, taken: ReadonlySet<string>): string {
  const name = wanted.trim();
  if (!taken.has(name)) return name;
  const base = name.replace(SUFFIX, '');
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${base.slice(0, NAME_MAX - suffix.length).trimEnd()}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
