/**
 * French typography as a checker: a narrow no-break space (U+202F) before `:` `;` `!` `?` and
 * inside « », never a plain space, a no-break space (U+00A0) or nothing.
 *
 * What is not prose is left alone: a mark with no space on either side (`09:00`, `https://…`,
 * `étape:proposition`, `<!here>`), an emoji shortcode (`:tada:`), and an option key written with
 * its colon (`{key}:`, `{option}:`, `étape:`), which a user types as it is shown.
 */

const NARROW = "\u202f";
const PROSE = new Set([":", ";", "!", "?"]);
const space = (c: string | undefined) => c === undefined || /\s/u.test(c);
const name = (c: string | undefined) =>
  c === undefined
    ? "nothing"
    : c === " "
      ? "a plain space"
      : c === "\u00a0"
        ? "a no-break space"
        : space(c)
          ? "another space"
          : "no space";

/** Each typographic fault of a French text, as "what is wrong at which column, in which context". */
export function frenchTypographyFaults(text: string, keys: ReadonlySet<string> = new Set()): string[] {
  const faults: string[] = [];
  // Shortcodes and option keys are blanked, same length, so columns stay true.
  const blank = (m: string) => "x".repeat(m.length);
  const prose = text
    .replace(/:[a-z0-9_+-]+:/g, blank)
    .replace(/\{(?:key|option)\}:/g, blank)
    .replace(/[\p{L}_]+:(?=\s|$)/gu, (m) => (keys.has(m.slice(0, -1)) ? blank(m) : m));
  const at = (i: number, what: string) =>
    faults.push(`${what} at column ${i}: …${text.slice(Math.max(0, i - 20), i + 20)}…`);
  for (let i = 0; i < prose.length; i++) {
    const c = prose[i] ?? "";
    const before = prose[i - 1];
    const after = prose[i + 1];
    if (PROSE.has(c)) {
      if (!space(before) && !space(after)) continue;
      if (before !== NARROW) at(i, `${name(before)} before “${c}” (write \\u202f)`);
      else if (space(prose[i - 2]) && i >= 2) at(i, `two spaces before “${c}”`);
    } else if (c === "«" && after !== NARROW) at(i, `${name(after)} after “«” (write \\u202f)`);
    else if (c === "»" && before !== NARROW) at(i, `${name(before)} before “»” (write \\u202f)`);
  }
  return faults;
}
