import { z } from "zod";
import type { MessageKey } from "../messages/catalog/keys.js";
import { type GoalPeriod, isGoalPeriod } from "../sales/goals/goal-service.js";
import type { Period } from "../sales/periods/period.js";
import type { Option, OptionKind, ParseContext } from "./command.js";
import {
  amount,
  choice,
  date,
  dealNumber,
  memberRef,
  moment,
  reminderId,
  shown,
  text,
  when,
} from "./grammar/fields.js";
import type { MemberRef } from "./grammar/tokens.js";
import { COMPANY_WORDS, REASON_WORDS, STAGE_WORDS, type Vocabulary } from "./grammar/words.js";
import { parsePeriod } from "./period.js";
import { DATE_RANGE, isInDateRange } from "./when.js";

/**
 * The options commands are made of. Each builder fixes what an option is everywhere (its Discord
 * type, its placeholder, its schema); a command says whether it is required, named in its text
 * form, and which description it has.
 */

export interface Shape<Required extends boolean = boolean> {
  required?: Required;
  named?: boolean;
  description: MessageKey;
  placeholder?: MessageKey;
  group?: { name: string; required: boolean };
}

export function option<T, Required extends boolean>(
  kind: OptionKind,
  shape: Shape<Required>,
  schema: (p: ParseContext) => z.ZodType<T>,
  extra: Partial<Pick<Option<T>, "choices" | "autocomplete">> = {},
): Option<T, Required> {
  return {
    kind,
    required: (shape.required ?? false) as Required,
    named: shape.named ?? false,
    description: shape.description,
    ...(shape.placeholder ? { placeholder: shape.placeholder } : {}),
    ...(shape.group ? { group: shape.group } : {}),
    ...extra,
    schema,
  };
}

/** An amount in the workspace's currency (`12k`, `12 000,50`). */
export const amountOption = <const R extends boolean = false>(s: Shape<R>) =>
  option("string", { placeholder: "usage.amount", ...s }, (p) => amount(p));

/** Free text of at most `max` characters; `required` names the error when it is missing or empty. */
export function textOption<const R extends boolean = false>(
  max: number,
  s: Shape<R> & { missing?: MessageKey; autocomplete?: "customer" },
) {
  return option(
    "string",
    s,
    () => text(max, s.missing),
    s.autocomplete ? { autocomplete: s.autocomplete } : {},
  );
}

/** Where a deal came from: `source:referral`. */
export const sourceOption = textOption(60, {
  named: true,
  description: "option.source",
  placeholder: "usage.source",
});

/** The most products one deal carries. */
const MAX_PRODUCTS = 20;

/**
 * The catalogue's products a deal carries, by name, comma-separated (`products:"Pro plan, Setup"`;
 * `product:"Pro plan"` is the same option): each one trimmed and named once.
 */
export const productsOption = <const R extends boolean = false>(s: Shape<R>) =>
  option("string", { named: true, placeholder: "usage.products", ...s }, () =>
    text(2000, "input.products_required").transform((v, ctx) => {
      const names = v
        .split(",")
        .map((n) => n.trim())
        .filter((n) => n !== "");
      if (names.length === 0 || names.length > MAX_PRODUCTS) {
        ctx.addIssue({ code: "custom", message: "input.products", params: { max: MAX_PRODUCTS } });
        return z.NEVER;
      }
      return names;
    }),
  );

/** A deal by number (`#12`); Discord suggests open deals as the user types. */
export const dealOption = <const R extends boolean = false>(s: Shape<R>) =>
  option("string", { placeholder: "usage.deal", ...s }, () => dealNumber, { autocomplete: "deal" });

/** A reminder by its number. */
export const reminderOption = <const R extends boolean = false>(s: Shape<R>) =>
  option("integer", { placeholder: "usage.reminder", ...s }, () => reminderId);

/** A parsed `YYYY-MM-DD` date refused by name when outside {@link DATE_RANGE}, before it reaches the database. */
const inDateRange = z.string().transform((day, ctx) => {
  if (isInDateRange(day)) return day;
  ctx.addIssue({
    code: "custom",
    message: "input.date_range",
    params: { value: day, first: DATE_RANGE.firstYear, last: DATE_RANGE.lastYear },
  });
  return z.NEVER;
});

/** A calendar date (`2026-12-01`, `today`, fr `01/12/2026`) within {@link DATE_RANGE}. */
export const dateOption = <const R extends boolean = false>(s: Shape<R> & { missing?: MessageKey }) =>
  option("string", { placeholder: "usage.date", ...s }, (p) =>
    z.string(s.missing ? { error: s.missing } : undefined).pipe(date(p).pipe(inDateRange)),
  );

/** When a reminder is due (`tomorrow`, `+3d`, `friday`, `eom`), today or later, within {@link DATE_RANGE}. */
export const whenOption = <const R extends boolean = false>(s: Shape<R>) =>
  option("string", { placeholder: "usage.when", ...s }, (p) => when(p).pipe(inDateRange));

/** When something happened (`at:yesterday`, `at:14:30`), its date within {@link DATE_RANGE}. */
export const momentOption = <const R extends boolean = false>(s: Shape<R>) =>
  option("string", { placeholder: "usage.log_at", named: true, ...s }, (p) =>
    moment(p).pipe(z.object({ date: inDateRange, time: z.string().optional() })),
  );

/** One value of a vocabulary (a period, a metric, a view…); `invalid` names the error. */
export function choiceOption<T extends string, const R extends boolean = false>(
  words: Vocabulary<T>,
  invalid: MessageKey,
  s: Shape<R> & { missing?: MessageKey },
): Option<T, R> {
  return option("string", s, (p) => choice(words, invalid, p, s.missing), { choices: words });
}

/** A deal stage, in English or French. */
export const stageOption = <const R extends boolean = false>(s: Shape<R> & { missing?: MessageKey }) =>
  choiceOption(STAGE_WORDS, "input.stage", { placeholder: "usage.stage", ...s });

/** Why a deal was lost. */
export const reasonOption = <const R extends boolean = false>(s: Shape<R>) =>
  choiceOption(REASON_WORDS, "input.reason", { missing: "input.reason_required", ...s });

/** A member, by mention (`@alice`, `<@U123>`) or, on Discord, a user option. */
export const memberOption = <const R extends boolean = false>(s: Shape<R>) =>
  option<MemberRef, R>("user", { placeholder: "usage.member", ...s }, () => memberRef);

/**
 * Members, by mention: the text form takes several (`@alice @bob`), Discord one; either way a list.
 */
export const membersOption = <const R extends boolean = false>(s: Shape<R>) =>
  option<MemberRef[], R>("user", { placeholder: "usage.members", ...s }, () =>
    z
      .union([memberRef.transform((m) => [m]), z.array(memberRef)], { error: "input.member_required" })
      .pipe(z.array(memberRef).min(1, { error: "input.member_required" })),
  );

/** A team, by name (`team:North`). */
export const teamOption = <const R extends boolean = false>(s: Shape<R>) =>
  textOption(80, { placeholder: "usage.team", named: true, missing: "input.team_required", ...s });

/** The whole company as the scope: the word `company` (`entreprise`), or Discord's true. */
export const companyOption = <const R extends boolean = false>(s: Shape<R>) =>
  option(
    "boolean",
    s,
    () =>
      z.union([z.boolean(), z.string()]).transform((v, ctx) => {
        if (typeof v === "boolean") return v;
        if (COMPANY_WORDS.read(v)) return true;
        ctx.addIssue({ code: "custom", message: "input.unexpected", params: { value: v.slice(0, 40) } });
        return z.NEVER;
      }),
    { choices: COMPANY_WORDS },
  );

/** Which periods a command takes: any, those a goal can have, or those not over yet (a forecast). */
export type PeriodUse = "any" | "goal" | "forecast";

const PERIOD_DESCRIPTIONS: Record<PeriodUse, MessageKey> = {
  any: "period.option.any",
  goal: "period.option.goal",
  forecast: "period.option.forecast",
};

/**
 * A period in any form users write one (`month`, `last month`, `2026-Q3`, `FY2026`,
 * `2026-11-01..2026-11-15`; see `parsePeriod`), resolved in the workspace calendar; `use` refuses
 * what the command cannot take, by name. Discord suggests the common words as the user types.
 */
export function periodOption<U extends PeriodUse, const R extends boolean = false>(
  use: U,
  s: Partial<Shape<R>> = {},
): Option<U extends "goal" ? GoalPeriod : Period, R> {
  const shape = { placeholder: "period.usage", description: PERIOD_DESCRIPTIONS[use], ...s } as const;
  return option(
    "string",
    shape,
    (p) =>
      z.string({ error: "period.required" }).transform((v, ctx) => {
        const refuse = (message: MessageKey, params: Record<string, string | number> = {}) => {
          ctx.addIssue({ code: "custom", message, params: { value: shown(v), ...params } });
          return z.NEVER;
        };
        const read = parsePeriod(v, p);
        if (!read.ok) {
          if (read.error === "order") return refuse("period.invalid_order");
          if (read.error === "years") {
            return refuse("period.invalid_years", { first: DATE_RANGE.firstYear, last: DATE_RANGE.lastYear });
          }
          return refuse("period.invalid");
        }
        if (use === "goal" && !isGoalPeriod(read.period)) return refuse("period.not_goal");
        if (use === "forecast" && read.period.end <= p.now) return refuse("period.past_forecast");
        return read.period as U extends "goal" ? GoalPeriod : Period;
      }),
    { autocomplete: "period" },
  );
}
