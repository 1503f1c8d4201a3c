import { z } from "zod";
import type { MessageKey } from "../../messages/i18n.js";
import { LOST_REASONS, STAGES } from "../../sales/deals/stages.js";
import { localDate } from "../../sales/periods/period.js";
import { parseAmount } from "../amount.js";
import type { ParseContext } from "../command.js";
import { parseDate, parseWhen } from "../when.js";

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
export function amount(p: ParseContext) {
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

/** Stage names in English, or their French equivalents. */
const STAGE_ALIASES: Record<string, (typeof STAGES)[number]> = {
  prospect: "lead",
  piste: "lead",
  qualifie: "qualified",
  qualifiee: "qualified",
  proposition: "proposal",
  negociation: "negotiation",
  gagne: "won",
  gagnee: "won",
  perdu: "lost",
  perdue: "lost",
};

const fold = (s: string) => s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().trim();

export const stage = z.string().transform((v, ctx) => {
  const s = fold(v);
  const found = (STAGES as readonly string[]).includes(s) ? (s as (typeof STAGES)[number]) : STAGE_ALIASES[s];
  return found ?? fail(ctx, "input.stage", { value: shown(v), stages: STAGES.join(", ") });
});

const REASON_ALIASES: Record<string, (typeof LOST_REASONS)[number]> = {
  prix: "price",
  produit: "product",
  timing: "timing",
  calendrier: "timing",
  concurrent: "competitor",
  concurrence: "competitor",
  "no-decision": "no_decision",
  nodecision: "no_decision",
  indecision: "no_decision",
  autre: "other",
};

export const lostReason = z.string({ error: "input.reason_required" }).transform((v, ctx) => {
  const s = fold(v);
  const found = (LOST_REASONS as readonly string[]).includes(s)
    ? (s as (typeof LOST_REASONS)[number])
    : REASON_ALIASES[s];
  return found ?? fail(ctx, "input.reason", { value: shown(v), reasons: LOST_REASONS.join(", ") });
});

export const dealNumber = z
  .number({ error: "input.deal_number" })
  .int()
  .positive({ error: "input.deal_number" });

export const memberRef = z.object({
  platformUserId: z
    .string()
    .min(1, { error: "input.member_required" })
    .max(80, { error: "input.member_required" }),
  displayName: z.string().max(80).optional(),
});

/** A calendar date (close:, closed:) as YYYY-MM-DD. */
export function date(p: ParseContext) {
  return z.string().transform((v, ctx) => parseDate(v, p) ?? fail(ctx, "input.date", { value: shown(v) }));
}

/** A reminder's due date (2026-12-01, tomorrow, +3d, friday, eom), today or later. */
export function when(p: ParseContext) {
  return z.string({ error: "input.when_required" }).transform((v, ctx) => {
    const day = parseWhen(v, p);
    if (day === null) return fail(ctx, "input.when", { value: shown(v) });
    if (day < localDate(p.now, p.timezone)) return fail(ctx, "input.when_past", { value: shown(v) });
    return day;
  });
}

export function choice<const T extends readonly string[]>(values: T, key: MessageKey) {
  return z.string().transform((v, ctx) => {
    const s = fold(v);
    return (values as readonly string[]).includes(s)
      ? (s as T[number])
      : fail(ctx, key, { value: shown(v), choices: values.join(", ") });
  });
}

export const PERIODS = ["today", "week", "month", "quarter", "year"] as const;
export const GOAL_PERIODS = ["month", "quarter", "year"] as const;
export const METRICS = ["revenue", "deals"] as const;
