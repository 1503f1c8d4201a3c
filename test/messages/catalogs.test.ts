import { describe, expect, it } from "vitest";
import { en } from "../../src/messages/catalog/en.js";
import { fr } from "../../src/messages/catalog/fr.js";
import { createFormatter } from "../../src/messages/format.js";
import { translate } from "../../src/messages/i18n.js";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message catalogs", () => {
  it.each(Object.keys(en) as (keyof typeof en)[])("GIVEN %s THEN French has the same placeholders", (key) => {
    expect(placeholders(fr[key])).toEqual(placeholders(en[key]));
  });

  it("GIVEN parameters THEN they fill their placeholders and unknown ones stay visible", () => {
    expect(translate("en", "error.deal_not_found", { number: 7 })).toBe("There is no deal #7.");
    expect(translate("fr", "error.deal_not_found", { number: 7 })).toBe("Il n’y a pas d’affaire n° 7.");
    expect(translate("en", "error.deal_not_found")).toBe("There is no deal #{number}.");
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
    expect(frEur.day("2026-12-01")).toBe("1 déc. 2026");
  });
});
