import { LOST_REASONS, STAGES } from "../../sales/deals/stages.js";
import type { Locale } from "../../sales/workspaces/locales.js";

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

export const METRIC_WORDS = vocabulary(["revenue", "deals"] as const, {
  revenue: { fr: ["chiffre", "ca", "chiffre_d’affaires"] },
  deals: { fr: ["affaires"] },
});
export const KPI_VIEW_WORDS = vocabulary(["summary", "sources", "lost"] as const, {
  summary: { fr: ["résumé"] },
  sources: { fr: ["sources"] },
  lost: { fr: ["perdues", "perdus", "pertes"] },
});
export const CUSTOMER_LIST_WORDS = vocabulary(["all", "dormant", "prospects"] as const, {
  all: { fr: ["tous"] },
  dormant: { fr: ["dormants"] },
  prospects: { fr: ["prospects"], en: ["prospect"] },
});
export const DEAL_LIST_WORDS = vocabulary(["mine", "all"] as const, {
  mine: { fr: ["miennes", "moi"] },
  all: { fr: ["toutes", "tous"] },
});
export const ROLE_WORDS = vocabulary(["rep", "manager", "admin"] as const, {
  rep: { fr: ["commercial", "commerciale"] },
  manager: { fr: ["manager"] },
  admin: { fr: ["admin"] },
});
/** The word that names the whole company as a scope. */
export const COMPANY_WORDS = vocabulary(["company"] as const, {
  company: { fr: ["entreprise", "société"] },
});

/**
 * The keys of `key:value` options and their French twins (`étape:proposition`), read in either
 * language in any workspace, accents optional; French usage lines show the first French word.
 * A key declared by no command here is read only as itself.
 */
export const KEY_WORDS = vocabulary(
  [
    "stage",
    "source",
    "close",
    "closed",
    "title",
    "for",
    "note",
    "reason",
    "team",
    "metric",
    "customer",
    "amount",
    "to",
    "into",
    "name",
  ] as const,
  {
    stage: { fr: ["étape"] },
    source: { fr: ["source", "origine"] },
    close: { fr: ["clôture", "échéance"] },
    closed: { fr: ["conclue", "signée"] },
    title: { fr: ["titre"] },
    for: { fr: ["pour"] },
    note: { fr: ["note"] },
    reason: { fr: ["raison", "motif"] },
    team: { fr: ["équipe"] },
    metric: { fr: ["indicateur", "métrique"] },
    customer: { fr: ["client"] },
    amount: { fr: ["montant"] },
    to: { fr: ["vers", "à"] },
    into: { fr: ["dans"] },
    name: { fr: ["nom"] },
  },
);

export type KeyWord = (typeof KEY_WORDS.values)[number];

/** How an option key is written in a locale: `étape` for `stage` in French; a key with no twin as itself. */
export function keyWord(name: string, locale: Locale): string {
  return (KEY_WORDS.values as readonly string[]).includes(name)
    ? KEY_WORDS.word(name as KeyWord, locale)
    : name;
}

/** Every option key and French twin the grammar reads. */
export const KEY_SPELLINGS: ReadonlySet<string> = new Set(
  KEY_WORDS.values.flatMap((key) => [key, ...KEY_WORDS.french(key)]),
);

/** The option `key` names among `names` (a command's options): itself, or the option whose French twin it is. */
export function optionNamed(key: string, names: readonly string[]): string | undefined {
  if (names.includes(key)) return key;
  const english = KEY_WORDS.read(key);
  return english && names.includes(english) ? english : undefined;
}
