import { periodName } from "../messages/period-name.js";
import type { Period } from "../sales/periods/period.js";
import type { Locale } from "../sales/workspaces/locales.js";
import type { CommandContext, Option } from "./command.js";
import { fold } from "./grammar/words.js";

/** The periods people ask for most, in the words of each language, as suggestions start. */
const COMMON: Record<Locale, readonly string[]> = {
  en: [
    "month",
    "last month",
    "next month",
    "week",
    "last week",
    "next week",
    "quarter",
    "last quarter",
    "next quarter",
    "year",
    "last year",
    "next year",
    "today",
    "yesterday",
    "Q1",
    "Q2",
    "Q3",
    "Q4",
  ],
  fr: [
    "mois",
    "mois dernier",
    "mois prochain",
    "semaine",
    "semaine dernière",
    "semaine prochaine",
    "trimestre",
    "trimestre dernier",
    "trimestre prochain",
    "année",
    "année dernière",
    "année prochaine",
    "aujourd’hui",
    "hier",
    "T1",
    "T2",
    "T3",
    "T4",
  ],
};

/** Discord's limits on autocomplete: 25 choices, names and values of 100 characters. */
const MAX_CHOICES = 25;
const MAX_LENGTH = 100;

export interface Suggestion {
  name: string;
  value: string;
}

/**
 * What Discord suggests as a period option is typed: what the user typed when it is a period the
 * option takes, then the common words that start like it and that the option takes (a goal, no
 * week; a forecast, nothing over), each with the days it covers: `last month · October 2026 (1 Oct
 * – 31 Oct)`.
 */
export function suggestPeriods(ctx: CommandContext, option: Option, typed: string): Suggestion[] {
  const schema = option.schema(ctx.parse);
  const start = fold(typed).replace(/\s+/g, " ");
  const matching = COMMON[ctx.locale].filter((word) => {
    const folded = fold(word);
    return folded.startsWith(start) || folded.split(" ").some((w) => w.startsWith(start));
  });
  const candidates = [...new Set([typed.trim(), ...matching])].filter((w) => w !== "");
  const suggestions: Suggestion[] = [];
  for (const word of candidates) {
    const read = schema.safeParse(word);
    if (!read.success) continue;
    const name = `${word} · ${periodName(ctx, read.data as Period)}`;
    suggestions.push({ name: name.slice(0, MAX_LENGTH), value: word.slice(0, MAX_LENGTH) });
    if (suggestions.length === MAX_CHOICES) break;
  }
  return suggestions;
}
