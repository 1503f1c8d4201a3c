/**
 * Money amounts as users type them, parsed to integer minor units without floats.
 *
 * Grammar: `[sign] [currency] [sign] number [k|M] [currency]`, with at most one sign and one
 * currency, which must be the workspace's (its ISO code in any case, or its symbol as `Intl` writes
 * it in en or fr, e.g. `€`, `$`, `¥`).
 *
 * Numbers follow the workspace locale:
 * - en: `.` is the decimal separator; `,` or a space groups thousands (`12,000`, `12 000.50`);
 * - fr: `,` is the decimal separator; a space (also U+00A0 and U+202F) or `.` groups thousands
 *   (`12 000,50`, `12.000`). In fr a comma is always decimal, so `12,000` is twelve with three
 *   fraction digits, refused as unparseable for a two-digit currency rather than guessed.
 * Thousands groups must be well-formed (one separator, then groups of exactly three digits), so
 * `1,00,000` or `12.5k` in fr (where `.` groups thousands) are unparseable. Digits in several words
 * that do not make one such number (`12 000,50` in en, `12 000.50` in fr, `1 2 3`) are ambiguous:
 * one number written the other locale's way, or a number followed by something else.
 */

import { currencyDigits } from "./format.js";

export type AmountError = "unparseable" | "ambiguous" | "currency" | "not_positive" | "too_large";
export type AmountResult = { ok: true; minor: bigint } | { ok: false; error: AmountError };

export interface AmountOptions {
  locale: "en" | "fr";
  /** ISO 4217 code of the workspace currency. */
  currency: string;
}

/** Largest accepted amount, in major units. */
const MAX_MAJOR = 10n ** 12n;
/** Longer input is not an amount anyone types; refusing it bounds the work. */
const MAX_LENGTH = 64;

const SHAPE =
  /^(?<sign1>[-\u2212])?\s*(?<prefix>[\p{L}\p{Sc}]+)?\s*(?<sign2>[-\u2212])?\s*(?<body>\d[\d\s.,]*?)\s*(?<suffix>[^\d\s.,].*)?$/su;
const MULTIPLIER = /^(?<unit>[km])\s*(?<rest>.*)$/isu;
const MULTIPLIER_EXPONENT: Record<string, number> = { k: 3, m: 6 };
const SYMBOL_LOCALES = ["en", "fr", "en-CA"] as const;

const symbolCache = new Map<string, Set<string>>();

/** The upper-cased code and symbols by which users may name the currency. */
function namesOf(currency: string): Set<string> {
  const cached = symbolCache.get(currency);
  if (cached) return cached;
  const names = new Set([currency]);
  for (const locale of SYMBOL_LOCALES) {
    for (const currencyDisplay of ["symbol", "narrowSymbol"] as const) {
      const format = new Intl.NumberFormat(locale, { style: "currency", currency, currencyDisplay });
      const part = format.formatToParts(1).find((p) => p.type === "currency");
      if (part && !/\s/u.test(part.value)) names.add(part.value.toUpperCase());
    }
  }
  symbolCache.set(currency, names);
  return names;
}

let knownCodes: Set<string> | undefined;

type TokenKind = "ours" | "foreign" | "unknown";

function classifyToken(token: string, currency: string): TokenKind {
  // A currency is named in one word: `€ Boulangerie` is a symbol and then something else.
  if (/\s/u.test(token)) return "unknown";
  const upper = token.toUpperCase();
  if (namesOf(currency).has(upper)) return "ours";
  if (/\p{Sc}/u.test(token)) return "foreign";
  knownCodes ??= new Set(Intl.supportedValuesOf("currency"));
  return knownCodes.has(upper) ? "foreign" : "unknown";
}

interface Decimal {
  digits: string;
  /** Number of fraction digits in `digits`. */
  scale: number;
}

/** Splits the number at the locale's decimal separator and checks thousands grouping. */
function parseDecimal(body: string, locale: "en" | "fr"): Decimal | null {
  const decimalMark = locale === "fr" ? "," : ".";
  const groupMarks = locale === "fr" ? [" ", "."] : [" ", ","];
  const text = body.replace(/\s/gu, " ");
  const [integer = "", fraction, extra] = text.split(decimalMark);
  if (extra !== undefined) return null;
  if (fraction !== undefined && !/^\d+$/.test(fraction)) return null;
  if (!/^\d+$/.test(integer)) {
    const mark = integer.replace(/\d/g, "")[0] ?? "";
    if (!groupMarks.includes(mark)) return null;
    const groups = integer.split(mark);
    const [head = "", ...rest] = groups;
    if (!/^\d{1,3}$/.test(head) || rest.some((group) => !/^\d{3}$/.test(group))) return null;
  }
  const digitsOnly = integer.replace(/\D/g, "") + (fraction ?? "");
  return { digits: digitsOnly, scale: fraction?.length ?? 0 };
}

/** Splits what follows the number into an optional k/M multiplier and an optional currency token. */
function parseSuffix(suffix: string, currency: string): { exponent: number; token?: string } {
  const trimmed = suffix.trim();
  if (trimmed === "") return { exponent: 0 };
  if (classifyToken(trimmed, currency) === "ours") return { exponent: 0, token: trimmed };
  const match = MULTIPLIER.exec(trimmed)?.groups;
  if (match) {
    const exponent = MULTIPLIER_EXPONENT[(match.unit ?? "").toLowerCase()] ?? 0;
    const rest = match.rest ?? "";
    if (rest === "") return { exponent };
    if (classifyToken(rest, currency) !== "unknown") return { exponent, token: rest };
  }
  // Not a multiplier: the whole suffix is a token (`mad` is the Moroccan dirham, not "M" then "ad").
  return { exponent: 0, token: trimmed };
}

/**
 * Parses an amount typed by a user into integer minor units of the workspace currency.
 *
 * Accepts `12000`, `12k`, `12.5k`, `1.2M`, `12 000`, `12,000` (en), `12 000,50`, `12,5k`, `1,2 M€`
 * (fr), with the workspace currency's symbol or code before or after (`€12k`, `12k€`, `EUR 12000`,
 * `12000 eur`). Refuses, with the reason:
 * - `currency`: the symbol or code of another currency;
 * - `not_positive`: a negative amount or zero;
 * - `too_large`: more than 10^12 major units (10^12 itself is accepted);
 * - `ambiguous`: digits in several words that are not one number in this locale (`12 000,50` in
 *   en, `12 000.50` in fr, `1 2 3`, `5000 123`);
 * - `unparseable`: anything else, including more fraction digits than the currency has once the
 *   multiplier is applied (`12.345` EUR, `1.2345k` is fine), and malformed thousands groups.
 *
 * @throws RangeError if `opts.currency` is not a currency `Intl` knows.
 */
export function parseAmount(text: string, opts: AmountOptions): AmountResult {
  const currency = opts.currency.toUpperCase();
  const fail = (error: AmountError): AmountResult => ({ ok: false, error });
  const digitsAllowed = currencyDigits(currency);
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.length > MAX_LENGTH) return fail("unparseable");

  const shape = SHAPE.exec(trimmed)?.groups;
  if (!shape) return fail("unparseable");
  if (shape.sign1 && shape.sign2) return fail("unparseable");
  const suffix = parseSuffix(shape.suffix ?? "", currency);

  const tokens = [shape.prefix, suffix.token].filter((token): token is string => token !== undefined);
  const kinds = tokens.map((token) => classifyToken(token, currency));
  if (kinds.includes("foreign")) return fail("currency");
  if (kinds.includes("unknown") || tokens.length > 1) return fail("unparseable");

  const body = shape.body ?? "";
  const decimal = parseDecimal(body, opts.locale);
  if (!decimal) return fail(/\s/u.test(body) ? "ambiguous" : "unparseable");
  const shift = suffix.exponent + digitsAllowed - decimal.scale;
  if (shift < 0) return fail("unparseable");

  const magnitude = BigInt(decimal.digits) * 10n ** BigInt(shift);
  if (shape.sign1 || shape.sign2 || magnitude === 0n) return fail("not_positive");
  if (magnitude > MAX_MAJOR * 10n ** BigInt(digitsAllowed)) return fail("too_large");
  return { ok: true, minor: magnitude };
}
