import type { Locale } from "../sales/workspaces/locales.js";
import { en } from "./catalog/en.js";
import { fr } from "./catalog/fr.js";
import type { Catalog, MessageKey } from "./catalog/keys.js";
import { INTL_LOCALE } from "./format.js";

export { LOCALES, type Locale } from "../sales/workspaces/locales.js";
export type { Catalog, MessageKey } from "./catalog/keys.js";

const catalogs: Record<Locale, Catalog> = { en, fr };

/** A placeholder's value; a count chosen on by `{name, plural, …}` is a number (or bigint), not formatted. */
export type TranslateParams = Record<string, string | number | bigint>;

// Counts shown with at most one decimal (a sales cycle of 1.5 days), and chosen on as shown:
// 0.96 days is "1 day", not "1 days".
const DIGITS = { maximumFractionDigits: 1 } as const;
const plurals = Object.fromEntries(
  Object.entries(INTL_LOCALE).map(([locale, tag]) => [
    locale,
    { rules: new Intl.PluralRules(tag, DIGITS), number: new Intl.NumberFormat(tag, DIGITS) },
  ]),
) as Record<Locale, { rules: Intl.PluralRules; number: Intl.NumberFormat }>;

/** The index of the `}` that closes the `{` at `open`, or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

/** `one {# day} other {# days}` as its branches by category. */
function branches(text: string): Map<string, string> {
  const found = new Map<string, string>();
  const selector = /\s*([\w=]+)\s*\{/y;
  let i = 0;
  for (let m = selector.exec(text); m?.[1]; m = selector.exec(text)) {
    const open = i + m[0].length - 1;
    const close = closing(text, open);
    if (close < 0) break;
    found.set(m[1], text.slice(open + 1, close));
    i = close + 1;
    selector.lastIndex = i;
  }
  return found;
}

/** The text of one `{…}`: a parameter, a plural or select choice, or the braces as they were when unknown. */
function placeholder(locale: Locale, body: string, params: TranslateParams): string {
  const select = /^(\w+),\s*select,([\s\S]*)$/.exec(body);
  if (select) {
    const [, name = "", choices = ""] = select;
    if (!(name in params)) return `{${body}}`;
    const forms = branches(choices);
    return fill(locale, forms.get(String(params[name])) ?? forms.get("other") ?? "", params);
  }
  const plural = /^(\w+),\s*plural,([\s\S]*)$/.exec(body);
  if (!plural) return body in params ? String(params[body]) : `{${body}}`;
  const [, name = "", choices = ""] = plural;
  const value = Number(params[name]);
  if (!(name in params) || Number.isNaN(value)) return `{${body}}`;
  const { rules, number } = plurals[locale];
  const forms = branches(choices);
  // An exact branch (`=0 {today}`) comes before the locale's plural category, as in ICU.
  const branch = forms.get(`=${value}`) ?? forms.get(rules.select(value)) ?? forms.get("other") ?? "";
  return fill(locale, branch, params, number.format(value));
}

/** `template` with its placeholders filled; `hash` is what `#` stands for inside a plural branch. */
function fill(locale: Locale, template: string, params: TranslateParams, hash?: string): string {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf("{", i);
    const close = open < 0 ? -1 : closing(template, open);
    const literal = template.slice(i, close < 0 ? undefined : open);
    out += hash === undefined ? literal : literal.replaceAll("#", hash);
    if (close < 0) break;
    out += placeholder(locale, template.slice(open + 1, close), params);
    i = close + 1;
  }
  return out;
}

/**
 * The message `key` in `locale`, with `{name}` placeholders filled from `params`. A count agrees
 * with its words through `Intl.PluralRules`: `{count, plural, one {# day} other {# days}}` picks the
 * branch of the count's category in the locale (French puts 0 and 1 in `one`, English only 1),
 * falling back to `other`; `#` in the branch is the count in the locale's digits. A value the
 * service names in English (a stage) is worded by `{stage, select, won {gagnée} other {…}}`.
 */
export function translate(locale: Locale, key: MessageKey, params: TranslateParams = {}): string {
  return fill(locale, catalogs[locale][key], params);
}

/** The parameters a template reads: its `{name}` placeholders and the counts its plurals choose on. */
export function templateParams(template: string): string[] {
  const names = new Set<string>();
  for (let i = template.indexOf("{"); i >= 0; i = template.indexOf("{", i + 1)) {
    const close = closing(template, i);
    if (close < 0) break;
    const body = template.slice(i + 1, close);
    const plural = /^(\w+),\s*(?:plural|select),([\s\S]*)$/.exec(body);
    if (/^\w+$/.test(body)) names.add(body);
    else if (plural?.[1]) {
      names.add(plural[1]);
      for (const branch of branches(plural[2] ?? "").values())
        for (const n of templateParams(branch)) names.add(n);
      i = close;
    }
  }
  return [...names].sort();
}

export type Translate = (key: MessageKey, params?: TranslateParams) => string;

export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params);
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}
