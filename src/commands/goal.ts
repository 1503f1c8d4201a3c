import { z } from "zod";
import { goalLine } from "../messages/lines.js";
import { defineCommand } from "./command.js";
import { amount, count } from "./grammar/fields.js";
import { GOAL_PERIOD_WORDS, METRIC_WORDS } from "./grammar/words.js";
import { choiceOption, textOption } from "./options.js";
import { resolveScope, scopeFromTokens, scopeOptions } from "./scope.js";

export const goalSet = defineCommand({
  name: "goal set",
  description: "command.goal_set",
  visibility: "public",
  options: {
    target: textOption(40, {
      required: true,
      description: "option.target",
      placeholder: "usage.target",
      missing: "input.goal_value_required",
    }),
    ...scopeOptions(true),
    period: choiceOption(GOAL_PERIOD_WORDS, "input.goal_period", { description: "option.goal_period" }),
    metric: choiceOption(METRIC_WORDS, "input.metric", { named: true, description: "option.metric" }),
  },
  fromText(tokens) {
    const { scope, words } = scopeFromTokens(tokens);
    // The target is the longest run of leading words that reads as a number (`12 000`); the next
    // word is the period, and anything after it is refused.
    let n = Math.min(4, words.length);
    while (n > 1 && !/^[\d\s.,]+[km]?$/i.test(words.slice(0, n).join(" "))) n--;
    const [period, ...extra] = words.slice(n);
    return {
      target: words.slice(0, n).join(" ") || undefined,
      period,
      ...scope,
      extra: extra.length ? extra.join(" ") : undefined,
    };
  },
  refine: (schema, p) =>
    schema
      .refine((v) => v.member || v.team || v.company, {
        message: "input.goal_scope_required",
        path: ["scope"],
      })
      .transform((v, ctx) => {
        const metric = v.metric ?? "revenue";
        const parsed = (metric === "deals" ? count : amount(p)).safeParse(v.target);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) {
            const params = "params" in issue ? (issue.params as Record<string, unknown>) : undefined;
            ctx.addIssue({ code: "custom", message: issue.message, params, path: ["target"] });
          }
          return z.NEVER;
        }
        return { ...v, metric, period: v.period ?? "month", value: parsed.data };
      }),
  async run(ctx, input) {
    const { scope, label } = await resolveScope(ctx, input, "company", "act");
    const progress = await ctx.sales.goals.setGoal(
      ctx.workspace,
      ctx.actor,
      scope,
      input.metric,
      input.period,
      input.value,
    );
    const lines = [goalLine(ctx, progress, label)];
    if (progress.replaced !== null) {
      // Formatted as goalLine formats a target: money for revenue, a count for deals.
      const target =
        input.metric === "revenue" ? ctx.fmt.money(progress.replaced) : ctx.fmt.integer(progress.replaced);
      lines.push(ctx.t("goal.replaced", { target }));
    }
    return { title: ctx.t("goal.set", { who: label }), lines };
  },
});

export const goalShow = defineCommand({
  name: "goal",
  description: "command.goal",
  visibility: "ephemeral",
  discord: { sub: "show" },
  options: scopeOptions(),
  fromText(tokens) {
    const { scope, words } = scopeFromTokens(tokens);
    return { ...scope, extra: words.length ? words.join(" ") : undefined };
  },
  async run(ctx, input) {
    const { scope, label } = await resolveScope(ctx, input, "actor");
    const progress =
      scope.scope === "member"
        ? await ctx.sales.goals.progressForMember(ctx.workspace, scope.member)
        : await ctx.sales.goals.progress(ctx.workspace, scope);
    const lines = progress.map((p) => {
      const who =
        p.goal.scope === "member"
          ? label
          : p.goal.scope === "company"
            ? ctx.t("scope.company")
            : ctx.t("scope.team");
      const milestone =
        p.next === undefined
          ? ctx.t("goal.all_milestones")
          : ctx.t("goal.next_milestone", { threshold: ctx.fmt.percent(p.next) });
      return `${goalLine(ctx, p, who)} · ${milestone}`;
    });
    return {
      title: ctx.t("goal.title", { who: label }),
      lines: lines.length ? lines : [ctx.t("goal.none")],
    };
  },
});
