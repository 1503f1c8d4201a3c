import { z } from "zod";
import { parseAmount } from "../../messages/amount.js";
import type { MessageKey } from "../../messages/catalog/keys.js";
import { localDate } from "../../sales/periods/period.js";
import type { Locale } from "../../sales/workspaces/locales.js";
import { parseDate, parseMoment, parseWhen } from "../when.js";
import type { Vocabulary } from "./words.js";

/** What a field's parsing needs of the workspace (the same as the commands' ParseContext). */
interface FieldContext {
  locale: Locale;
  currency: string;
  timezone: string;
  weekStart: "monday" | "sunday";
  now: Date;
}

/** Adds an issue whose message is a catalog key; the edge turns it into a localised sentence. */
function fail(ctx: z.RefinementCtx, key: MessageKey, params: Record<string, string | number> = {}) {
  ctx.addIssue({ code: "custom", message: key, params });
  return z.NEVER;
}

const CONTROL = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
const CONTROLS = new RegExp(CONTROL.source, "gu");

/** A user's value as quoted back in an error: short, with control characters made visible. */
export function shown(value: string): string {
  return value.slice(0, 40).replace(CONTROLS, "\uFFFD");
}

/** Words a command does not take: any at all is an error that quotes them. */
export const nothingMore = z
  .string()
  .optional()
  .transform((v, ctx) => (v === undefined ? v : fail(ctx, "input.unexpected", { value: shown(v) })));

/** Free text typed by a user: trimmed, not empty, at most `max` characters, no control characters. */
export function text(max: number, required: MessageKey = "input.text_required") {
  return z.string({ error: required }).transform((v, ctx) => {
    const s = v.trim();
    if (s === "") return fail(ctx, required);
    if (s.length > max) return fail(ctx, "input.too_long", { max });
    if (CONTROL.test(s)) return fail(ctx, "input.control_chars");
    return s;
  });
}

/** An amount in the workspace's locale and currency, to minor units. */
export function amount(p: FieldContext) {
  return z.string({ error: "input.amount_required" }).transform((v, ctx) => {
    const r = parseAmount(v, { locale: p.locale, currency: p.currency });
    if (r.ok) return r.minor;
    return fail(ctx, `input.amount_${r.error}`, { value: shown(v), currency: p.currency });
  });
}

/** A positive whole number of deals (for `metric:deals` goals). */
export const count = z.string().transform((v, ctx) => {
  if (!/^\d{1,6}$/.test(v.trim()) || Number(v) <= 0) return fail(ctx, "input.count", { value: shown(v) });
  return BigInt(v.trim());
});

/** A positive whole number as typed (`12`, `#12`) or as Discord sends an integer; `key` names the error. */
function positiveNumber(key: MessageKey) {
  return z.union([z.number(), z.string()], { error: key }).transform((v, ctx) => {
    const n = typeof v === "number" ? v : /^#?(\d{1,9})$/.exec(v.trim())?.[1];
    const value = Number(n);
    return Number.isInteger(value) && value > 0 && value < 2 ** 31 ? value : fail(ctx, key);
  });
}

/** A deal's number: `#12`, `12`. */
export const dealNumber = positiveNumber("input.deal_number");

/** A reminder's number, as `/remind list` shows it. */
export const reminderId = positiveNumber("input.reminder_id");

/** A word of a vocabulary, read in either language; the error lists the words of the user's. */
export function choice<T extends string>(
  words: Vocabulary<T>,
  key: MessageKey,
  p: FieldContext,
  required?: MessageKey,
) {
  return z.string(required ? { error: required } : undefined).transform((v, ctx) => {
    const found = words.read(v);
    if (found !== undefined) return found;
    const list = words.values.map((value) => words.word(value, p.locale)).join(", ");
    return fail(ctx, key, { value: shown(v), choices: list });
  });
}

export const memberRef = z.object(
  {
    platformUserId: z
      .string()
      .min(1, { error: "input.member_required" })
      .max(80, { error: "input.member_required" }),
    displayName: z.string().max(80).optional(),
  },
  { error: "input.member_required" },
);

/** A calendar date (close:, closed:) as YYYY-MM-DD. */
export function date(p: FieldContext) {
  return z.string().transform((v, ctx) => parseDate(v, p) ?? fail(ctx, "input.date", { value: shown(v) }));
}

/** A reminder's due date (2026-12-01, tomorrow, +3d, friday, eom), today or later. */
export function when(p: FieldContext) {
  return z.string({ error: "input.when_required" }).transform((v, ctx) => {
    const day = parseWhen(v, p);
    if (day === null) return fail(ctx, "input.when", { value: shown(v) });
    if (day < localDate(p.now, p.timezone)) return fail(ctx, "input.when_past", { value: shown(v) });
    return day;
  });
}

/** When something happened (`at:yesterday`, `at:"2026-11-17 14:30"`): a local date and maybe a time. */
export function moment(p: FieldContext) {
  return z
    .string()
    .transform((v, ctx) => parseMoment(v, p) ?? fail(ctx, "input.log_at", { value: shown(v) }));
}
