import { translate } from "../messages/i18n.js";
import type { Locale } from "../sales/workspaces/locales.js";
import type { Command, Option } from "./command.js";
import { keyWord } from "./grammar/words.js";

/** How an option's value is shown: its placeholder (`<amount>`), or its choices in the locale (`mois|trimestre`). */
function shownValue(option: Option, locale: Locale): string {
  if (option.placeholder) return translate(locale, option.placeholder);
  const words = option.choices;
  return words ? words.values.map((v) => words.word(v, locale)).join("|") : "";
}

/**
 * One option as written: `<amount>`, `stage:<stage>`, `reason:<price|product…>`, `metric:revenue|deals`;
 * among a group's alternatives a placeholder loses its brackets, which the group's own enclose.
 */
function written(name: string, option: Option, locale: Locale, inGroup: boolean): string {
  let value = shownValue(option, locale);
  if (!option.placeholder && option.required && !inGroup) value = `<${value}>`;
  if (option.named) return `${keyWord(name, locale)}:${value}`;
  return inGroup ? unbracketed(value) : value;
}

/** `<amount>` as `amount`; anything else as it is. */
function unbracketed(text: string): string {
  return /^<[^<>]*>$/.test(text) ? text.slice(1, -1) : text;
}

/** Optional parts in brackets, without the angle brackets of a lone placeholder: `[amount]`. */
function optional(text: string): string {
  return `[${unbracketed(text)}]`;
}

/**
 * A command's usage line in a language, derived from its declaration: `/deal log <amount>
 * <customer…> [stage:<stage>] …`; the alternatives of a group together, `<@rep|team:<name>|company>`.
 */
export function usageOf(command: Command, locale: Locale): string {
  const parts: string[] = [`/${command.name}`];
  const groups = new Set<string>();
  for (const [name, option] of Object.entries(command.options)) {
    const group = option.group;
    if (!group) {
      const text = written(name, option, locale, false);
      parts.push(option.required ? text : optional(text));
      continue;
    }
    if (groups.has(group.name)) continue;
    groups.add(group.name);
    const alternatives = Object.entries(command.options)
      .filter(([, o]) => o.group?.name === group.name)
      .map(([n, o]) => written(n, o, locale, true))
      .join("|");
    parts.push(group.required ? `<${alternatives}>` : `[${alternatives}]`);
  }
  return parts.join(" ");
}
