import { LOST_REASONS, STAGES } from "../sales/deals/stages.js";
import type { Locale } from "../sales/workspaces/locales.js";

/**
 * The words users type for the values of a choice (a stage, a period, a metric…), in English and in
 * French. Either language is read in any workspace (no word means different things in the two);
 * case, accents and apostrophes are optional. Usage lines show each value in the workspace's language.
 */
export interface Vocabulary<T extends string = string> {
  readonly values: readonly T[];
  /** The value a typed word names, or undefined. */
  read(word: string): T | undefined;
  /** How a value is written in a locale: its first French word in French, else the value itself. */
  word(value: T, locale: Locale): string;
  /** The French words declared for a value (empty when it has none). */
  french(value: T): readonly string[];
}

/** A word as compared: lower case, without accents, apostrophes or surrounding blanks. */
export function fold(word: string): string {
  return word.normalize("NFKD").replace(/\p{M}/gu, "").replace(/['’`]/g, "").toLowerCase().trim();
}

type Words = { fr?: readonly string[]; en?: readonly string[] };

/** A vocabulary of `values`, each read as itself, its French words and any other English words. */
export function vocabulary<const T extends string>(
  values: readonly T[],
  words: Partial<Record<T, Words>> = {},
): Vocabulary<T> {
  const byWord = new Map<string, T>();
  for (const value of values) {
    const w = words[value];
    for (const written of [value, ...(w?.en ?? []), ...(w?.fr ?? [])]) byWord.set(fold(written), value);
  }
  return {
    values,
    read: (word) => byWord.get(fold(word)),
    word: (value, locale) => (locale === "fr" ? (words[value]?.fr?.[0] ?? value) : value),
    french: (value) => words[value]?.fr ?? [],
  };
}

export const STAGE_WORDS = vocabulary(STAGES, {
  lead: { fr: ["piste", "prospect"] },
  qualified: { fr: ["qualifiée", "qualifié"] },
  proposal: { fr: ["proposition"] },
  negotiation: { fr: ["négociation"] },
  won: { fr: ["gagnée", "gagné", "gagnées", "gagnés"] },
  lost: { fr: ["perdue", "perdu", "perdues", "perdus"] },
});

export const REASON_WORDS = vocabulary(LOST_REASONS, {
  price: { fr: ["prix"] },
  product: { fr: ["produit"] },
  timing: { fr: ["calendrier"] },
  competitor: { fr: ["concurrent", "concurrence"] },
  no_decision: { fr: ["indécision", "sans_décision", "pas_de_décision"], en: ["no-decision", "nodecision"] },
  other: { fr: ["autre"] },
});
