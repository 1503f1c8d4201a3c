import { vocabulary } from "../../messages/vocabulary.js";
import type { Locale } from "../../sales/workspaces/locales.js";

// The vocabularies commands share with imports live with the messages; commands read them from here.
export { fold, REASON_WORDS, STAGE_WORDS, type Vocabulary, vocabulary } from "../../messages/vocabulary.js";

export const METRIC_WORDS = vocabulary(["revenue", "deals"] as const, {
  revenue: { fr: ["chiffre", "ca", "chiffre_d’affaires"] },
  deals: { fr: ["affaires"] },
});
export const KPI_VIEW_WORDS = vocabulary(
  ["summary", "sources", "lost", "chart", "activity", "products"] as const,
  {
    summary: { fr: ["résumé"] },
    sources: { fr: ["sources"] },
    lost: { fr: ["perdues", "perdus", "pertes"] },
    chart: { fr: ["graphique", "graphiques"], en: ["charts"] },
    activity: { fr: ["activité", "activités"], en: ["activities"] },
    products: { fr: ["produits"], en: ["product"] },
  },
);
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
export const CONTEST_METRIC_WORDS = vocabulary(
  ["revenue", "deals", "new_pipeline", "attainment", "activities"] as const,
  {
    revenue: { fr: ["chiffre", "ca", "chiffre_d’affaires"] },
    deals: { fr: ["affaires"] },
    new_pipeline: { fr: ["nouvelles_affaires", "création"], en: ["new-pipeline", "pipeline"] },
    attainment: { fr: ["atteinte", "réalisation"] },
    activities: { fr: ["activités", "activité"], en: ["activity"] },
  },
);
/** What an activity was (`/log call`). */
export const ACTIVITY_WORDS = vocabulary(["call", "meeting", "email", "demo"] as const, {
  call: { fr: ["appel", "coup_de_fil"], en: ["phone"] },
  meeting: { fr: ["réunion", "rendez-vous", "rdv"], en: ["visit"] },
  email: { fr: ["e-mail", "mail", "courriel"], en: ["e-mail", "mail"] },
  demo: { fr: ["démo", "démonstration"], en: ["demonstration"] },
});
/** The word that makes a contest team against team. */
export const TEAMS_WORDS = vocabulary(["teams"] as const, { teams: { fr: ["équipes"] } });
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
    "from",
    "prize",
    "at",
    "contact",
    "role",
    "email",
    "phone",
    "rename",
    "products",
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
    to: { fr: ["vers", "à", "au", "fin"] },
    into: { fr: ["dans"] },
    name: { fr: ["nom"] },
    from: { fr: ["du", "début"] },
    prize: { fr: ["prix", "lot"] },
    at: { fr: ["quand", "date"] },
    contact: { fr: ["contact", "avec"] },
    role: { fr: ["rôle", "fonction"] },
    email: { fr: ["e-mail", "courriel", "mail"] },
    phone: { fr: ["téléphone", "tél"] },
    rename: { fr: ["renommer"] },
    products: { fr: ["produits", "produit"], en: ["product"] },
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
export const KEY_SPELLINGS: ReadonlySet<string> = new Set([
  ...KEY_WORDS.values.flatMap((key) => [key, ...KEY_WORDS.french(key)]),
  // `product:"Pro plan"`, the singular a deal of one product is written with.
  "product",
]);

/** The option `key` names among `names` (a command's options): itself, or the option whose French twin it is. */
export function optionNamed(key: string, names: readonly string[]): string | undefined {
  if (names.includes(key)) return key;
  const english = KEY_WORDS.read(key);
  return english && names.includes(english) ? english : undefined;
}
