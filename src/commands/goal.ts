import { z } from "zod";
import { streakLines } from "../messages/achievement-lines.js";
import { goalLine } from "../messages/lines.js";
import { periodName } from "../messages/period-name.js";
import { isCurrentPeriod } from "../sales/periods/period.js";
import { defineCommand } from "./command.js";
import { amount, count } from "./grammar/fields.js";
import { METRIC_WORDS } from "./grammar/words.js";
import { choiceOption, periodOption, textOption } from "./options.js";
import { takePeriod } from "./period.js";
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
    period: periodOption("goal"),
    metric: choiceOption(METRIC_WORDS, "input.metric", { named: true, description: "option.metric" }),
  },
  fromText(tokens) {
    const { scope, words } = scopeFromTokens(tokens);
    // The target is the longest run of leading words that reads as a number (`12 000`); the next
    // words are the period (`next month`), and anything after it is refused.
    let n = Math.min(4, words.length);
    while (n > 1 && !/^[\d\s.,]+[km]?$/i.test(words.slice(0, n).join(" "))) n--;
    const { period, rest: extra } = takePeriod(words.slice(n));
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
        return { ...v, metric, period: v.period ?? ("month" as const), value: parsed.data };
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
  options: { ...scopeOptions(), period: periodOption("goal") },
  fromText(tokens) {
    const { scope, words } = scopeFromTokens(tokens);
    const { period, rest } = takePeriod(words);
    return { ...scope, period, extra: rest.length ? rest.join(" ") : undefined };
  },
  async run(ctx, input) {
    const { scope, label } = await resolveScope(ctx, input, "actor");
    const period = input.period;
    const progress =
      scope.scope === "member"
        ? await ctx.sales.goals.progressForMember(ctx.workspace, scope.member, ctx.parse.now, period)
        : await ctx.sales.goals.progress(ctx.workspace, scope, period);
    const lines = progress.map((p) => {
      const who =
        p.goal.scope === "member"
          ? label
          : p.goal.scope === "company"
            ? ctx.t("scope.company")
            : ctx.t("scope.team");
      // Milestones are announced while a goal runs: before or after, the line says where it stands.
      if (p.phase !== "running") return goalLine(ctx, p, who);
      const milestone =
        p.next === undefined
          ? ctx.t("goal.all_milestones")
          : ctx.t("goal.next_milestone", { threshold: ctx.fmt.percent(p.next) });
      return `${goalLine(ctx, p, who)} · ${milestone}`;
    });
    // A period asked for by name is named in the title with its days, whatever goals it has.
    const title =
      period && !isCurrentPeriod(period, ctx.parse.now, ctx.cal)
        ? ctx.t("goal.title_period", { who: label, period: periodName(ctx, period) })
        : ctx.t("goal.title", { who: label });
    // One's own current goals end with one's streak, as `/closer me` says it.
    const own = scope.scope === "member" && scope.member.id === ctx.actor.id && !period;
    const streak = own ? streakLines(ctx, await ctx.sales.achievements.streak(ctx.workspace, ctx.actor)) : [];
    return { title, lines: [...(lines.length ? lines : [ctx.t("goal.none")]), ...streak] };
  },
});

export const goalDelete = defineCommand({
  name: "goal delete",
  description: "command.goal_delete",
  visibility: "public",
  options: {
    ...scopeOptions(true),
    period: periodOption("goal", { required: true }),
    metric: choiceOption(METRIC_WORDS, "input.metric", { named: true, description: "option.metric" }),
  },
  fromText(tokens) {
    const { scope, words } = scopeFromTokens(tokens);
    const { period, rest } = takePeriod(words);
    return { ...scope, period, extra: rest.length ? rest.join(" ") : undefined };
  },
  refine: (schema) =>
    schema.refine((v) => v.member || v.team || v.company, {
      message: "input.goal_scope_required",
      path: ["scope"],
    }),
  async run(ctx, input) {
    // Deleting acts on a goal, not on a member: a mention must name someone who exists.
    const { scope, label } = await resolveScope(ctx, input, "company");
    const deleted = await ctx.sales.goals.deleteGoal(
      ctx.workspace,
      ctx.actor,
      scope,
      input.period,
      input.metric,
    );
    const period = periodName(ctx, input.period, isCurrentPeriod(input.period, ctx.parse.now, ctx.cal));
    if (deleted.length === 0) {
      const params = { who: label, period, metric: input.metric ? ctx.t(`metric.${input.metric}`) : "" };
      return {
        title: ctx.t("goal.title", { who: label }),
        lines: [ctx.t(input.metric ? "goal.none_to_delete_metric" : "goal.none_to_delete", params)],
      };
    }
    return {
      title: ctx.t("goal.deleted", { who: label }),
      lines: deleted.map((g) =>
        ctx.t("goal.deleted_line", {
          period,
          metric: ctx.t(`metric.${g.metric}`),
          target: g.metric === "revenue" ? ctx.fmt.money(g.target) : ctx.fmt.integer(g.target),
        }),
      ),
    };
  },
});
