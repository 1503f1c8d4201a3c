import type { Locale } from "../messages/i18n.js";

/**
 * The catalog form (`…_one` or `…_other`) a count takes in a language: French says "0 affaire",
 * English "0 deals".
 */
export function pluralForm(locale: Locale, count: number): "one" | "other" {
  return new Intl.PluralRules(locale).select(count) === "one" ? "one" : "other";
}
