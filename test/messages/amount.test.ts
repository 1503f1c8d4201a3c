import { describe, expect, it } from "vitest";
import { splitAmount } from "../../src/commands/deal.js";
import { type AmountError, parseAmount } from "../../src/messages/amount.js";
import { currencyDigits } from "../../src/messages/format.js";

const NNBSP = "\u202f";
const NBSP = "\u00a0";

describe("parseAmount", () => {
  describe("en, EUR", () => {
    const en = { locale: "en", currency: "EUR" } as const;

    it.each([
      ["12000", 1_200_000n],
      ["12k", 1_200_000n],
      ["12K", 1_200_000n],
      ["12.5k", 1_250_000n],
      ["1.2M", 120_000_000n],
      ["1.2m", 120_000_000n],
      ["12 000", 1_200_000n],
      ["12,000", 1_200_000n],
      ["1,234,567.89", 123_456_789n],
      [`12${NNBSP}000`, 1_200_000n],
      [`12${NBSP}000.50`, 1_200_050n],
      ["12000.5", 1_200_050n],
      ["0.01", 1n],
      ["1.2345k", 123_450n],
      ["1.23456k", 123_456n],
      ["€12k", 1_200_000n],
      ["€ 12k", 1_200_000n],
      ["12k€", 1_200_000n],
      ["12 000 €", 1_200_000n],
      ["EUR 12000", 1_200_000n],
      ["12000 eur", 1_200_000n],
      ["12k EUR", 1_200_000n],
      ["  12k  ", 1_200_000n],
      ["1000000000000", 100_000_000_000_000n],
      ["1,000,000M", 100_000_000_000_000n],
    ])("GIVEN %j THEN %d cents", (text, minor) => {
      expect(parseAmount(text, en)).toEqual({ ok: true, minor });
    });

    it.each<[string, AmountError]>([
      ["", "unparseable"],
      ["   ", "unparseable"],
      ["abc", "unparseable"],
      ["12abc", "unparseable"],
      ["k12", "unparseable"],
      ["1.2.3", "unparseable"],
      ["1,00,000", "unparseable"],
      ["12,00", "unparseable"],
      ["12,5k", "unparseable"],
      ["12.", "unparseable"],
      [".5k", "unparseable"],
      ["12.345", "unparseable"],
      ["1.234567k", "unparseable"],
      ["12kk", "unparseable"],
      ["€12€", "unparseable"],
      ["12 dollars", "unparseable"],
      ["1e6", "unparseable"],
      // A currency names itself in one word: what follows it is not part of the amount.
      ["3500 € Acme", "unparseable"],
      ["€12k Acme", "unparseable"],
      // Digits in several words that are not one number here: one number written the French way,
      // or a number and then something else.
      ["12 000,50", "ambiguous"],
      ["12  000", "ambiguous"],
      ["1 2 3 4", "ambiguous"],
      ["12 000 000,50", "ambiguous"],
      ["12.50 500", "ambiguous"],
      ["12 ,50", "ambiguous"],
      ["€12 000,50", "ambiguous"],
      ["12 000,50€", "ambiguous"],
      ["5000 123", "ambiguous"],
      ["$12k", "currency"],
      ["3500 $", "currency"],
      ["12k USD", "currency"],
      ["£12,000", "currency"],
      ["12 mad", "currency"],
      ["CA$5", "currency"],
      ["-12k", "not_positive"],
      ["\u221212k", "not_positive"],
      ["-€12k", "not_positive"],
      ["€-12k", "not_positive"],
      ["0", "not_positive"],
      ["0.00", "not_positive"],
      ["0k", "not_positive"],
      ["1000000000000.01", "too_large"],
      ["1000000000001", "too_large"],
      ["1,000,001M", "too_large"],
      ["2000000000k", "too_large"],
    ])("GIVEN %j THEN %s", (text, error) => {
      expect(parseAmount(text, en)).toEqual({ ok: false, error });
    });
  });

  describe("fr, EUR", () => {
    const fr = { locale: "fr", currency: "EUR" } as const;

    it.each([
      ["12000", 1_200_000n],
      ["12k", 1_200_000n],
      ["12,5k", 1_250_000n],
      ["1,2M", 120_000_000n],
      ["12 000", 1_200_000n],
      ["12 000,50", 1_200_050n],
      [`12${NNBSP}000,50`, 1_200_050n],
      [`12${NBSP}000,50${NBSP}€`, 1_200_050n],
      [`1${NNBSP}234${NNBSP}567,89${NNBSP}€`, 123_456_789n],
      ["12.000", 1_200_000n],
      ["1.234.567,89", 123_456_789n],
      ["12k€", 1_200_000n],
      ["12 k€", 1_200_000n],
      ["1,2 M€", 120_000_000n],
      ["12 000 €", 1_200_000n],
      ["12 000 EUR", 1_200_000n],
      ["3 500 €", 350_000n],
      ["12,000k", 1_200_000n],
      ["12,5", 1_250n],
    ])("GIVEN %j THEN %d cents", (text, minor) => {
      expect(parseAmount(text, fr)).toEqual({ ok: true, minor });
    });

    it.each<[string, AmountError]>([
      // In fr the comma is always decimal: three fraction digits are more than EUR allows.
      ["12,000", "unparseable"],
      ["12.5k", "unparseable"],
      ["12,000.50", "unparseable"],
      ["1.00.000", "unparseable"],
      ["12,5,0", "unparseable"],
      ["douze mille", "unparseable"],
      ["3 500 € Boulangerie", "unparseable"],
      ["12 000.50", "ambiguous"],
      ["1 2 3", "ambiguous"],
      ["12 000 000.50", "ambiguous"],
      ["12 000 $", "currency"],
      ["12 k$", "currency"],
      ["CHF 12 000", "currency"],
      ["-12 000,50", "not_positive"],
      ["0,00 €", "not_positive"],
      ["1 000 000 000 000,01", "too_large"],
    ])("GIVEN %j THEN %s", (text, error) => {
      expect(parseAmount(text, fr)).toEqual({ ok: false, error });
    });

    it("GIVEN 12,5k in fr THEN 1 250 000 cents", () => {
      expect(parseAmount("12,5k", fr)).toEqual({ ok: true, minor: 1_250_000n });
    });

    it("GIVEN exactly 10^12 euros THEN it is accepted", () => {
      expect(parseAmount("1 000 000 000 000", fr)).toEqual({ ok: true, minor: 10n ** 14n });
    });
  });

  describe("other currencies", () => {
    it.each([
      ["$12k", "en", "USD", 1_200_000n],
      ["12k USD", "en", "USD", 1_200_000n],
      ["US$5", "en", "USD", 500n],
      ["12 000 $", "fr", "USD", 1_200_000n],
      ["$12k", "en", "CAD", 1_200_000n],
      ["£1.5k", "en", "GBP", 150_000n],
      ["¥12000", "en", "JPY", 12_000n],
      ["12k JPY", "en", "JPY", 12_000n],
      ["1.5k", "en", "JPY", 1_500n],
      ["1,234k", "fr", "JPY", 1_234n],
      ["1000000000000", "en", "JPY", 10n ** 12n],
      ["12,000", "fr", "KWD", 12_000n],
      ["12k", "en", "usd", 1_200_000n],
    ] as const)("GIVEN %j in %s with %s THEN %d minor units", (text, locale, currency, minor) => {
      expect(parseAmount(text, { locale, currency })).toEqual({ ok: true, minor });
    });

    it.each<[string, "en" | "fr", string, AmountError]>([
      ["12.5", "en", "JPY", "unparseable"],
      ["1.2345k", "en", "JPY", "unparseable"],
      ["12,5", "fr", "JPY", "unparseable"],
      ["1000000000001", "en", "JPY", "too_large"],
      ["€12k", "en", "USD", "currency"],
      ["12 eur", "en", "JPY", "currency"],
      ["CA$5", "en", "USD", "currency"],
    ])("GIVEN %j in %s with %s THEN %s", (text, locale, currency, error) => {
      expect(parseAmount(text, { locale, currency })).toEqual({ ok: false, error });
    });
  });
});

describe("currencyDigits", () => {
  it.each([
    ["EUR", 2],
    ["USD", 2],
    ["JPY", 0],
    ["KWD", 3],
  ])("GIVEN %s THEN %d digits", (currency, digits) => {
    expect(currencyDigits(currency)).toBe(digits);
  });

  it("GIVEN a code Intl does not know THEN a RangeError", () => {
    expect(() => currencyDigits("EURO")).toThrow(RangeError);
  });
});

describe("splitAmount: where the amount ends and the customer begins", () => {
  const context = (locale: "en" | "fr") =>
    ({
      locale,
      currency: "EUR",
      timezone: "Europe/Paris",
      weekStart: "monday",
      fiscalYearStart: 1,
      now: new Date(0),
    }) as const;
  const words = (text: string) => text.split(" ");

  it.each([
    ["en", "5k 3M", "5k", ["3M"]],
    ["en", "5000 3M", "5000", ["3M"]],
    ["en", "5000 3M Europe", "5000", ["3M", "Europe"]],
    ["en", "5000 7-Eleven", "5000", ["7-Eleven"]],
    ["en", "5k 123 Fleurs", "5k", ["123", "Fleurs"]],
    ["fr", "5000 € 123 Fleurs", "5000 €", ["123", "Fleurs"]],
    ["en", "3500 € Acme Corp", "3500 €", ["Acme", "Corp"]],
    ["fr", "3 500 € Boulangerie Dupont", "3 500 €", ["Boulangerie", "Dupont"]],
    ["fr", `3${NNBSP}500${NBSP}€ Boulangerie Dupont`, `3${NNBSP}500${NBSP}€`, ["Boulangerie", "Dupont"]],
    ["en", "12 000 500 Acme", "12 000 500", ["Acme"]],
    ["en", "1 000 000 000 000 Initech", "1 000 000 000 000", ["Initech"]],
    ["fr", "12 000,50 Globex", "12 000,50", ["Globex"]],
  ] as const)("GIVEN %s %j THEN the amount is %j and the customer %j", (locale, text, amount, rest) => {
    expect(splitAmount(words(text), context(locale))).toEqual({ amount, rest });
  });

  it("GIVEN a quoted customer that starts with a number THEN it is the customer", () => {
    expect(splitAmount(["5000", "123 Fleurs"], context("en"))).toEqual({
      amount: "5000",
      rest: ["123 Fleurs"],
    });
  });

  it.each([
    ["en", "3500 $ Acme", "3500 $", ["Acme"]],
    ["fr", "3 500 $ Boulangerie Dupont", "3 500 $", ["Boulangerie", "Dupont"]],
  ] as const)(
    "GIVEN %s %j THEN %j is taken as an amount in another currency",
    (locale, text, amount, rest) => {
      const split = splitAmount(words(text), context(locale));
      expect(split).toEqual({ amount, rest });
      expect(parseAmount(amount, context(locale))).toEqual({ ok: false, error: "currency" });
    },
  );

  it.each([
    ["en", "12 000,50 Globex", "12 000,50", ["Globex"]],
    ["en", "12 000,50€ Globex", "12 000,50€", ["Globex"]],
    ["en", "1 2 3 4 A17", "1 2 3 4", ["A17"]],
    ["en", "1 2 3 4 5 6 A17", "1 2 3 4 5 6", ["A17"]],
    ["en", "12 000 000,50 Globex", "12 000 000,50", ["Globex"]],
    ["en", "12 ,50 Acme", "12 ,50", ["Acme"]],
    ["en", "5000 123 Fleurs", "5000 123", ["Fleurs"]],
    ["fr", "12 000.50 B1", "12 000.50", ["B1"]],
    ["fr", "1 2 3 Boulangerie", "1 2 3", ["Boulangerie"]],
  ] as const)(
    "GIVEN %s %j THEN the digits %j stay with the amount, refused as ambiguous",
    (locale, text, amount, rest) => {
      const split = splitAmount(words(text), context(locale));
      expect(split).toEqual({ amount, rest });
      expect(parseAmount(amount, context(locale))).toEqual({ ok: false, error: "ambiguous" });
    },
  );
});
