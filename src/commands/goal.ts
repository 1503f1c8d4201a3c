import { z } from "zod";
import { defineCommand } from "./command.js";
import { amount, choice, count, GOAL_PERIODS, METRICS, nothingMore } from "./grammar/fields.js";
import { resolveScope, ScopeInput, scopeFromTokens } from "./scope.js";
import { goalLine } from "./views.js";

export const goalSet = defineCommand({
  name: "goal set",
  usage: "/goal set <amount|count> <@rep|team:<name>|company> [month|quarter|year] [metric:revenue|deals]",
  input: (p) =>
    z
      .object({
        value: z.string({ error: "input.goal_value_required" }),
        period: choice(GOAL_PERIODS, "input.goal_period").default("month"),
        metric: choice(METRICS, "input.metric").default("revenue"),
        scope: ScopeInput,
        extra: nothingMore,
      })
      .refine((v) => v.scope.member || v.scope.team || v.scope.company, {
        message: "input.goal_scope_required",
        path: ["scope"],
      })
      .transform((v, ctx) => {
        const parsed = (v.metric === "deals" ? count : amount(p)).safeParse(v.value);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) {
            const params = "params" in issue ? (issue.params as Record<string, unknown>) : undefined;
            ctx.addIssue({ code: "custom", message: issue.message, params, path: ["value"] });
          }
          return z.NEVER;
        }
        return { ...v, target: parsed.data };
      }),
  fromText(tokens) {
    const { scope, words } = scopeFromTokens(tokens);
    const options = Object.fromEntries(
      tokens.flatMap((t) => (t.kind === "option" ? [[t.key, t.value]] : [])),
    );
    // The target is the longest run of leading words that reads as a number (`12 000`); the next
    // word is the period, and anything after it is refused.
    let n = Math.min(4, words.length);
    while (n > 1 && !/^[\d\s.,]+[km]?$/i.test(words.slice(0, n).join(" "))) n--;
    const [period, ...extra] = words.slice(n);
    return {
      value: words.slice(0, n).join(" ") || undefined,
      period: period ? frenchPeriod(period) : undefined,
      metric: options.metric,
      scope,
      extra: extra.length ? extra.join(" ") : undefined,
    };
  },
  async run(ctx, input) {
    const scope = await resolveScope(ctx, input.scope, "company");
    const progress = await ctx.sales.goals.setGoal(
      ctx.workspace,
      ctx.actor,
      scope.target,
      input.metric,
      input.period,
      input.target,
    );
    return {
      visibility: "public",
      title: ctx.t("goal.set", { who: scope.label }),
      lines: [goalLine(ctx, progress, scope.label)],
    };
  },
});

/** French period words, folded to the grammar's. */
export function frenchPeriod(word: string): string {
  const w = word.toLowerCase();
  return (
    {
      mois: "month",
      trimestre: "quarter",
      annee: "year",
      année: "year",
      semaine: "week",
      aujourdhui: "today",
      "aujourd'hui": "today",
    }[w] ?? w
  );
}

export const goalShow = defineCommand({
  name: "goal",
  usage: "/goal [@rep|team:<name>|company]",
  input: () => z.object({ scope: ScopeInput, extra: nothingMore }),
  fromText(tokens) {
    const { scope, words } = scopeFromTokens(tokens);
    return { scope, extra: words.length ? words.join(" ") : undefined };
  },
  async run(ctx, input) {
    const scope = await resolveScope(ctx, input.scope, "actor");
    const progress =
      scope.target.scope === "member"
        ? await ctx.sales.goals.progressForMember(ctx.workspace, scope.target.member)
        : await ctx.sales.goals.progress(ctx.workspace, scope.target);
    const lines = progress.map((p) => {
      const who =
        p.goal.scope === "member"
          ? scope.label
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
      visibility: "ephemeral",
      title: ctx.t("goal.title", { who: scope.label }),
      lines: lines.length ? lines : [ctx.t("goal.none")],
    };
  },
});
