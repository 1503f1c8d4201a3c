import { describe, expect, it } from "vitest";
import { KEY_SPELLINGS } from "../../src/commands/grammar/words.js";
import { COMMANDS, OPTION_KEYS } from "../../src/commands/registry.js";
import { en } from "../../src/messages/catalog/en.js";
import { fr } from "../../src/messages/catalog/fr.js";
import { createFormatter } from "../../src/messages/format.js";
import { templateParams, translate } from "../../src/messages/i18n.js";
import { frenchTypographyFaults } from "./french-typography.js";

/** The parameters a message shows; a count that only chooses a plural form may be read by one language alone. */
const shownParams = (s: string) => templateParams(s.replace(/\{\w+, plural,\s*other \{(#?)\}\}/g, "$1"));
const choosers = (s: string) => [...s.matchAll(/\{(\w+), plural,/g)].map((m) => m[1] ?? "");

describe("message catalogs", () => {
  it.each(Object.keys(en) as (keyof typeof en)[])("GIVEN %s THEN French has the same placeholders", (key) => {
    const counts = new Set([...choosers(en[key]), ...choosers(fr[key])]);
    const without = (s: string) => shownParams(s).filter((p) => !counts.has(p));
    expect(without(fr[key])).toEqual(without(en[key]));
  });

  it("GIVEN parameters THEN they fill their placeholders and unknown ones stay visible", () => {
    expect(translate("en", "error.deal_not_found", { number: 7 })).toBe("There is no deal #7.");
    expect(translate("fr", "error.deal_not_found", { number: 7 })).toBe("Il n’y a pas d’affaire n° 7.");
    expect(translate("en", "error.deal_not_found")).toBe("There is no deal #{number}.");
  });

  it("GIVEN counts THEN each language agrees with them as Intl.PluralRules says: French 0 and 1 are singular, English 1 only", () => {
    const days = (locale: "en" | "fr", n: number) => translate(locale, "kpi.days", { days: n });
    expect([0, 1, 1.5, 2, 1234].map((n) => days("en", n))).toEqual([
      "0 days",
      "1 day",
      "1.5 days",
      "2 days",
      "1,234 days",
    ]);
    expect([0, 1, 1.5, 2, 1234].map((n) => days("fr", n))).toEqual([
      "0 jour",
      "1 jour",
      "1,5 jour",
      "2 jours",
      "1\u202f234 jours",
    ]);
    expect(days("en", 0.96)).toBe("1 day");
    expect(translate("fr", "kpi.win_rate_value", { rate: "50 %", won: 1, lost: 1 })).toBe(
      "50 % (1 gagnée, 1 perdue)",
    );
    expect(translate("fr", "kpi.win_rate_value", { rate: "40 %", won: 2, lost: 3 })).toBe(
      "40 % (2 gagnées, 3 perdues)",
    );
    expect(translate("en", "status.retried", { count: 1 })).toBe("1 failed notification queued again");
    expect(translate("fr", "team.added", { names: "alice", team: "Nord", count: 1 })).toBe(
      "alice ajouté à l’équipe Nord",
    );
    expect(translate("fr", "team.added", { names: "alice, bob", team: "Nord", count: 2 })).toBe(
      "alice, bob ajoutés à l’équipe Nord",
    );
  });

  it("GIVEN a count missing or already formatted THEN the plural stays visible rather than guessing", () => {
    expect(translate("en", "kpi.days")).toBe("{days, plural, one {# day} other {# days}}");
    expect(translate("fr", "kpi.days", { days: "1\u202f234" })).toContain("{days, plural,");
  });
});

describe("formatter", () => {
  const enEur = createFormatter({ locale: "en", currency: "EUR", timezone: "Europe/Paris" });
  const frEur = createFormatter({ locale: "fr", currency: "EUR", timezone: "Europe/Paris" });
  const enJpy = createFormatter({ locale: "en", currency: "JPY", timezone: "Asia/Tokyo" });

  it("GIVEN minor units THEN money is exact in details and rounded in summaries, without floats", () => {
    expect(enEur.moneyExact(1_200_050n)).toBe("€12,000.50");
    expect(enEur.money(1_200_050n)).toBe("€12,001");
    expect(frEur.moneyExact(1_200_050n)).toBe("12\u202f000,50\u00a0€");
    expect(enEur.moneyExact(99_999_999_999_999_99n)).toBe("€99,999,999,999,999.99");
    expect(enJpy.moneyExact(12_000n)).toBe("¥12,000");
    expect(enEur.moneyExact(5n)).toBe("€0.05");
  });

  it("GIVEN ratios THEN percentages are whole numbers in the locale", () => {
    expect(enEur.percent(0.666)).toBe("67%");
    expect(frEur.percent(0.5)).toBe("50\u00a0%");
  });

  it("GIVEN an instant near midnight THEN the date is the workspace's local date", () => {
    expect(enEur.date(new Date("2026-10-31T23:30:00Z"))).toBe("Nov 1, 2026");
    expect(frEur.day("2026-12-01")).toBe("1er déc. 2026");
    expect(frEur.day("2026-12-02")).toBe("2 déc. 2026");
    expect(frEur.date(new Date("2026-10-31T23:30:00Z"))).toBe("1er nov. 2026");
    expect(enEur.day("2026-12-01")).toBe("Dec 1, 2026");
  });
});

describe("French typography", () => {
  const keys = new Set([...KEY_SPELLINGS, ...OPTION_KEYS]);

  it.each(Object.keys(fr) as (keyof typeof fr)[])(
    "GIVEN fr[%s] THEN a narrow no-break space precedes : ; ! ? and lines « »",
    (key) => {
      const faults = frenchTypographyFaults(fr[key], keys).map((f) => `fr["${key}"]: ${f}`);
      expect(faults).toEqual([]);
    },
  );

  it.each([
    ["Syntaxe : {usage}", "a plain space before “:”"],
    ["Syntaxe: {usage}", "no space before “:”"],
    ["Quand\u00a0?", "a no-break space before “?”"],
    ["« {name}\u202f»", "a plain space after “«”"],
    ["«\u202f{name}»", "no space before “»”"],
  ])("GIVEN %j THEN the checker names the fault", (text, fault) => {
    expect(frenchTypographyFaults(text, keys).join("\n")).toContain(fault);
  });

  it.each([
    "Point du jour à 09:00",
    "Voir https://closer.example/tv?x=1",
    "/deal log 12k Acme étape:proposition",
    "vouliez-vous dire {option}:\u202f?",
    "L’option étape: est donnée deux fois",
    "Bravo :tada:",
    "Mentionnez <!here>",
  ])("GIVEN %j THEN nothing is flagged: it is not prose", (text) => {
    expect(frenchTypographyFaults(text, keys)).toEqual([]);
  });
});

describe("French words only", () => {
  /** English words a French message could let slip: the grammar's values, settings and sales terms. */
  const ENGLISH = new Set(
    (
      "deal deals rep reps pipeline lead leads won lost stage reason metric team company mine all everyone " +
      "revenue monday sunday working none off mon tue wed thu fri sat sun price product timing competitor " +
      "proposal negotiation qualified customer customers amount goal goals digest forecast title closed win " +
      "wins rate month quarter year week today summary the and of to for"
    ).split(" "),
  );
  /** Command names stay as typed (`/deal lost`, `/closer config show`): no French alias exists for them. */
  const commands = COMMANDS.map((c) => `/${c.name}`).sort((a, b) => b.length - a.length);

  it.each(Object.keys(fr) as (keyof typeof fr)[])("GIVEN fr[%s] THEN no English word is in it", (key) => {
    // Placeholders and the selectors of plural and select branches are names, not words shown.
    let text = fr[key];
    for (const c of commands) text = text.replaceAll(c, "");
    text = text
      .replace(/\{\w+, (?:plural|select),/g, "{")
      .replace(/[\w=]+ (?=\{)/g, "")
      .replace(/\{\w+\}/g, "");
    const words = text.match(/[\p{L}_]+/gu) ?? [];
    expect(words.filter((w) => ENGLISH.has(w.toLowerCase())).map((w) => `fr["${key}"]: “${w}”`)).toEqual([]);
  });
});
