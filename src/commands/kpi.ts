import { z } from "zod";
import type { Field } from "../messages/reply.js";
import { type PeriodKind, periodContaining } from "../sales/periods/period.js";
import { type CommandContext, defineCommand } from "./command.js";
import { frenchPeriod } from "./goal.js";
import { choice, METRICS, nothingMore, PERIODS } from "./grammar/fields.js";
import { resolveScope, ScopeInput, scopeFromTokens } from "./scope.js";
import { goalLine } from "./views.js";

const VIEWS = ["summary", "sources", "lost"] as const;

function periodLabel(ctx: CommandContext, kind: PeriodKind): string {
  return ctx.t(`period.${kind}`);
}

export const kpi = defineCommand({
  name: "kpi",
  usage: "/kpi [today|week|month|quarter|year] [@rep|team:<name>] [sources|lost]",
  input: () =>
    z.object({
      period: choice(PERIODS, "input.period").default("month"),
      view: choice(VIEWS, "input.kpi_view").default("summary"),
      scope: ScopeInput,
      extra: nothingMore,
    }),
  fromText(tokens) {
    const { scope, words } = scopeFromTokens(tokens);
    const folded = words.map(frenchPeriod).map((w) => (w === "perdus" ? "lost" : w));
    const views = folded.filter((w) => (VIEWS as readonly string[]).includes(w));
    const [period, ...extra] = folded.filter((w) => !views.includes(w));
    return { period, view: views[0], scope, extra: [...extra, ...views.slice(1)].join(" ") || undefined };
  },
  async run(ctx, input) {
    const scope = await resolveScope(ctx, input.scope, "company");
    const period = periodContaining(input.period, ctx.parse.now, ctx.cal);
    const title = ctx.t("kpi.title", { period: periodLabel(ctx, input.period), who: scope.label });
    if (input.view === "lost") {
      const rows = await ctx.sales.kpis.lostReasons(ctx.workspace, period, scope.filter);
      return {
        visibility: "ephemeral",
        title: ctx.t("kpi.lost_title", { period: periodLabel(ctx, input.period), who: scope.label }),
        lines: rows.length ? [] : [ctx.t("kpi.none")],
        table: rows.length
          ? {
              columns: [ctx.t("field.lost_reason"), ctx.t("field.deals"), ctx.t("field.amount")],
              rows: rows.map((r) => [
                ctx.t(`reason.${r.reason}`),
                ctx.fmt.integer(r.count),
                ctx.fmt.money(r.amount),
              ]),
            }
          : undefined,
      };
    }
    if (input.view === "sources") {
      const rows = await ctx.sales.kpis.sourceConversion(ctx.workspace, period, scope.filter);
      return {
        visibility: "ephemeral",
        title: ctx.t("kpi.sources_title", { period: periodLabel(ctx, input.period), who: scope.label }),
        lines: rows.length ? [] : [ctx.t("kpi.none")],
        table: rows.length
          ? {
              columns: [
                ctx.t("field.source"),
                ctx.t("field.won"),
                ctx.t("field.lost"),
                ctx.t("field.win_rate"),
                ctx.t("field.revenue"),
              ],
              rows: rows.map((r) => [
                r.source ?? ctx.t("kpi.no_source"),
                ctx.fmt.integer(r.won),
                ctx.fmt.integer(r.lost),
                r.winRate === null ? "–" : ctx.fmt.percent(r.winRate),
                ctx.fmt.money(r.revenue),
              ]),
            }
          : undefined,
      };
    }
    const k = await ctx.sales.kpis.computeKpis(ctx.workspace, period, scope.filter);
    const fields: Field[] = [
      {
        label: ctx.t("kpi.won"),
        value: ctx.t("kpi.won_value", {
          revenue: ctx.fmt.money(k.wonRevenue),
          count: ctx.fmt.integer(k.wonCount),
        }),
      },
      { label: ctx.t("kpi.average"), value: k.averageDeal === null ? "–" : ctx.fmt.money(k.averageDeal) },
      {
        label: ctx.t("kpi.win_rate"),
        value:
          k.winRate === null
            ? "–"
            : ctx.t("kpi.win_rate_value", {
                rate: ctx.fmt.percent(k.winRate),
                won: ctx.fmt.integer(k.wonCount),
                lost: ctx.fmt.integer(k.lostCount),
              }),
      },
      {
        label: ctx.t("kpi.new_pipeline"),
        value: ctx.t("kpi.count_value", {
          amount: ctx.fmt.money(k.newAmount),
          count: ctx.fmt.integer(k.newCount),
        }),
      },
      {
        label: ctx.t("kpi.open_pipeline"),
        value: ctx.t("kpi.count_value", {
          amount: ctx.fmt.money(k.openPipeline),
          count: ctx.fmt.integer(k.openCount),
        }),
      },
      { label: ctx.t("kpi.weighted"), value: ctx.fmt.money(k.weightedPipeline) },
      {
        label: ctx.t("kpi.cycle"),
        value:
          k.salesCycleDays === null ? "–" : ctx.t("kpi.days", { days: ctx.fmt.decimal(k.salesCycleDays) }),
      },
    ];
    return { visibility: "ephemeral", title, lines: [], fields };
  },
});

export const leaderboard = defineCommand({
  name: "leaderboard",
  usage: "/leaderboard [week|month|quarter|year] [metric:revenue|deals]",
  input: () =>
    z.object({
      period: choice(PERIODS, "input.period").default("month"),
      metric: choice(METRICS, "input.metric").default("revenue"),
      extra: nothingMore,
    }),
  fromText(tokens) {
    const { words } = scopeFromTokens(tokens);
    const metric = tokens.find((t) => t.kind === "option" && t.key === "metric");
    return {
      extra: words.slice(1).join(" ") || undefined,
      period: words[0] ? frenchPeriod(words[0]) : undefined,
      metric: metric?.kind === "option" ? metric.value : undefined,
    };
  },
  async run(ctx, input) {
    const period = periodContaining(input.period, ctx.parse.now, ctx.cal);
    const rows = await ctx.sales.leaderboard.leaderboard(ctx.workspace, period, input.metric);
    const medal = ["🥇", "🥈", "🥉"];
    return {
      visibility: "public",
      title: ctx.t("leaderboard.title", {
        period: periodLabel(ctx, input.period),
        metric: ctx.t(`metric.${input.metric}`),
      }),
      lines: rows.length ? [] : [ctx.t("leaderboard.empty")],
      table: rows.length
        ? {
            columns: ["#", ctx.t("field.rep"), ctx.t("field.revenue"), ctx.t("field.deals")],
            rows: rows.map((r) => [
              medal[r.rank - 1] ?? String(r.rank),
              r.name,
              ctx.fmt.money(r.revenue),
              ctx.fmt.integer(r.deals),
            ]),
          }
        : undefined,
    };
  },
});

export const forecast = defineCommand({
  name: "forecast",
  usage: "/forecast [month|quarter]",
  input: () =>
    z.object({
      period: choice(["month", "quarter"] as const, "input.forecast_period").default("month"),
      scope: ScopeInput,
      extra: nothingMore,
    }),
  fromText(tokens) {
    const { scope, words } = scopeFromTokens(tokens);
    return {
      period: words[0] ? frenchPeriod(words[0]) : undefined,
      scope,
      extra: words.slice(1).join(" ") || undefined,
    };
  },
  async run(ctx, input) {
    const scope = await resolveScope(ctx, input.scope, "company");
    const period = periodContaining(input.period, ctx.parse.now, ctx.cal);
    const goals = await ctx.sales.goals.progress(ctx.workspace, scope.target);
    const goal = goals.find((g) => g.goal.periodKind === input.period && g.goal.metric === "revenue");
    const f = await ctx.sales.forecast.forecast(ctx.workspace, period, scope.filter, goal?.goal ?? null);
    const against = (v: bigint | null) =>
      v === null
        ? "–"
        : goal
          ? ctx.t("forecast.of_goal", {
              value: ctx.fmt.money(v),
              attainment: ctx.fmt.percent(Number(v) / Number(goal.goal.target)),
            })
          : ctx.fmt.money(v);
    return {
      visibility: "ephemeral",
      title: ctx.t("forecast.title", { period: periodLabel(ctx, input.period), who: scope.label }),
      fields: [
        { label: ctx.t("forecast.won"), value: against(f.won) },
        { label: ctx.t("forecast.elapsed"), value: ctx.fmt.percent(f.elapsed) },
        { label: ctx.t("forecast.run_rate"), value: against(f.runRate) },
        { label: ctx.t("forecast.weighted_open"), value: ctx.fmt.money(f.weightedOpen) },
        { label: ctx.t("forecast.weighted"), value: against(f.weighted) },
      ],
      lines: goal ? [goalLine(ctx, goal, scope.label)] : [ctx.t("forecast.no_goal")],
    };
  },
});
