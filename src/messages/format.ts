import type { Locale } from "../sales/workspaces/locales.js";

export interface FormatOptions {
  locale: Locale;
  currency: string;
  timezone: string;
}

/**
 * The number of minor-unit digits of a currency according to `Intl` (EUR 2, JPY 0, KWD 3).
 *
 * @throws RangeError if the code is not a currency `Intl` knows.
 */
export function currencyDigits(currency: string): number {
  let digits = DIGITS.get(currency);
  if (digits === undefined) {
    // Building the Intl formatter is the costly part, and every amount typed asks: once per currency.
    const options = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions();
    digits = options.maximumFractionDigits ?? 2;
    DIGITS.set(currency, digits);
  }
  return digits;
}

const DIGITS = new Map<string, number>();

/** The Intl locale each catalog speaks. */
export const INTL_LOCALE: Record<Locale, string> = { en: "en-US", fr: "fr-FR" };

/** Decimal string of a minor-unit amount: 1234567n with 2 digits -> "12345.67". */
export function toDecimal(minor: bigint, digits: number): string {
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const s = abs.toString().padStart(digits + 1, "0");
  const whole = digits === 0 ? s : s.slice(0, -digits);
  const frac = digits === 0 ? "" : `.${s.slice(-digits)}`;
  return `${negative ? "-" : ""}${whole}${frac}`;
}

/**
 * A date as `format` writes it, but "1er" for the first of a month in French ("1er déc. 2026"), as
 * French writes it and Intl does not.
 */
function dated(format: Intl.DateTimeFormat, locale: Locale, at: Date): string {
  if (locale !== "fr") return format.format(at);
  return format
    .formatToParts(at)
    .map((p) => (p.type === "day" && p.value === "1" ? "1er" : p.value))
    .join("");
}

/** Number, money, percentage and date formatting with Intl in a workspace's locale, currency and zone. */
export function createFormatter({ locale, currency, timezone }: FormatOptions) {
  const tag = INTL_LOCALE[locale];
  const digits = currencyDigits(currency);
  const exactMoney = new Intl.NumberFormat(tag, {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
  });
  const roundMoney = new Intl.NumberFormat(tag, {
    style: "currency",
    currency,
    maximumFractionDigits: 0,
    minimumFractionDigits: 0,
  });
  const percent = new Intl.NumberFormat(tag, { style: "percent", maximumFractionDigits: 0 });
  const integer = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const decimal = new Intl.NumberFormat(tag, { maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(tag, {
    timeZone: timezone,
    day: "numeric",
    month: "short",
    year: "numeric",
  });
  const time = new Intl.DateTimeFormat(tag, {
    timeZone: timezone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const monthYear = new Intl.DateTimeFormat(tag, { timeZone: timezone, month: "long", year: "numeric" });
  const dateOnly = new Intl.DateTimeFormat(tag, {
    timeZone: "UTC",
    day: "numeric",
    month: "short",
    year: "numeric",
  });

  return {
    locale,
    currency,
    /** The workspace's IANA time zone, which local dates are in. */
    timezone,
    /** Money rounded to whole units, for summaries. */
    money: (minor: bigint) => roundMoney.format(toDecimal(minor, digits) as `${number}`),
    /** Money to the cent, for `/deal show`. */
    moneyExact: (minor: bigint) => exactMoney.format(toDecimal(minor, digits) as `${number}`),
    percent: (ratio: number) => percent.format(ratio),
    integer: (n: number | bigint) => integer.format(n),
    decimal: (n: number) => decimal.format(n),
    /** An instant as a local date in the workspace zone. */
    date: (at: Date) => dated(date, locale, at),
    /** An instant's local time of day in the workspace zone: "14:30" (24 h in both languages). */
    time: (at: Date) => time.format(at),
    /** The month of an instant in the workspace zone: "November 2026". */
    month: (at: Date) => monthYear.format(at),
    /** A calendar date (YYYY-MM-DD or a @db.Date value). */
    day: (d: string | Date) =>
      dated(dateOnly, locale, typeof d === "string" ? new Date(`${d}T00:00:00Z`) : d),
  };
}

export type Formatter = ReturnType<typeof createFormatter>;
