import { DateTime } from "luxon";
import { parseAmount } from "../messages/amount.js";
import { currencyDigits } from "../messages/format.js";
import type { Locale } from "../sales/workspaces/locales.js";

/** How a workspace writes values: amounts and dates in its locale, times in its zone. */
export interface ValueContext {
  locale: Locale;
  currency: string;
  timezone: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false };

const fail = { ok: false } as const;

/**
 * An amount cell in minor units: empty is zero (a CRM's early deal often has none); plain
 * `12500.50` as CRMs export numbers; otherwise as a user of the locale writes it (`12 500,00`,
 * `12,500.00`, `€12,500`), through the chat's own parser. Negative amounts are refused.
 */
export function parseAmountCell(text: string, ctx: ValueContext): Parsed<bigint> {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, value: 0n };
  const digits = currencyDigits(ctx.currency);
  const plain = /^(\d{1,13})(?:\.(\d+))?$/.exec(trimmed);
  if (plain?.[1] !== undefined && (plain[2] ?? "").length <= digits) {
    const fraction = (plain[2] ?? "").padEnd(digits, "0");
    return { ok: true, value: BigInt(plain[1]) * 10n ** BigInt(digits) + BigInt(fraction || "0") };
  }
  if (/^0+(?:[.,]0+)?$/.test(trimmed)) return { ok: true, value: 0n };
  const parsed = parseAmount(trimmed, { locale: ctx.locale, currency: ctx.currency });
  return parsed.ok ? { ok: true, value: parsed.minor } : fail;
}

/** A day and the instant it starts (or the time the cell gives) in the workspace's zone. */
export interface DateCell {
  date: string;
  at: Date;
}

const TIME_FORMATS = ["", " HH:mm", " HH:mm:ss", " H:mm", " h:mm a", " h:mm:ss a"];
/** Day-first in French, month-first in English, as each locale's spreadsheets write them. */
const SLASH_FORMATS: Record<Locale, string[]> = {
  fr: ["d/M/yyyy", "d.M.yyyy", "d-M-yyyy"],
  en: ["M/d/yyyy"],
};

/**
 * A date cell: ISO (`2025-04-01`, `2025-04-01 10:15`, `2025-04-01T10:15:00Z`) or the locale's
 * (`01/04/2025` in French, `4/1/2025` in English), with an optional time. A time without an offset
 * is the workspace's local time; a date alone is the start of that day there.
 */
export function parseDateCell(text: string, ctx: ValueContext): Parsed<DateCell> {
  const trimmed = text.trim().replace(/\s+/g, " ");
  if (trimmed === "") return fail;
  const zone = ctx.timezone;
  let parsed = DateTime.fromISO(trimmed.replace(" ", "T"), { zone, setZone: false });
  if (!parsed.isValid || !/^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
    parsed = DateTime.invalid("unparsed");
    for (const day of SLASH_FORMATS[ctx.locale]) {
      for (const time of TIME_FORMATS) {
        const candidate = DateTime.fromFormat(trimmed, day + time, { zone, locale: "en-US" });
        if (candidate.isValid) {
          parsed = candidate;
          break;
        }
      }
      if (parsed.isValid) break;
    }
  }
  if (!parsed.isValid || parsed.year < 1970 || parsed.year > 2200) return fail;
  const local = parsed.setZone(zone);
  return { ok: true, value: { date: local.toISODate() ?? "", at: local.toJSDate() } };
}

/** A probability cell: `20`, `20%`, `20 %`, `0.2` is not a percentage anyone writes. */
export function parseProbabilityCell(text: string): Parsed<number | null> {
  const trimmed = text.trim().replace(/\s*%$/, "");
  if (trimmed === "") return { ok: true, value: null };
  if (!/^\d{1,3}(?:[.,]\d+)?$/.test(trimmed)) return fail;
  const value = Math.round(Number(trimmed.replace(",", ".")));
  return value <= 100 ? { ok: true, value } : fail;
}
