import { pipelineChart, wonAgainstGoalChart } from "../messages/charts.js";
import { goalLine, moreLines } from "../messages/lines.js";
import { periodName } from "../messages/period-name.js";
import type { Field } from "../messages/reply.js";
import { isGoalPeriod } from "../sales/goals/goal-service.js";
import { isCurrentPeriod, localDate, type Period, periodContaining } from "../sales/periods/period.js";
import type { Scope } from "../sales/scope.js";
import { type Answer, type CommandContext, defineCommand } from "./command.js";
import { tokenText } from "./grammar/tokens.js";
import { KPI_VIEW_WORDS, METRIC_WORDS } from "./grammar/words.js";
import { kpiActivity } from "./kpi-activity.js";
import { kpiProducts } from "./kpi-products.js";
import { choiceOption, periodOption } from "./options.js";
import { takePeriod } from "./period.js";
import { resolveScope, scopeFromTokens, scopeOptions } from "./scope.js";

/** The period a command was given, or this month. */
function periodOrMonth(ctx: CommandContext, period: Period | undefined): Period {
  return period ?? periodContaining("month", ctx.parse.now, ctx.cal);
}

/** How a title names the period: `This month` for the current one of a word, else its name and days. */
export function periodLabel(ctx: CommandContext, period: Period): string {
  return periodName(ctx, period, isCurrentPeriod(period, ctx.parse.now, ctx.cal));
}

/**
 * `/kpi chart`: won against the revenue goal with its pace, and the open pipeline by stage, as two
 * pictures (one time axis, one of stages: one picture could not show both clearly), with the same
 * figures as text, so the answer is whole without them.
 */
async function kpiChart(ctx: CommandContext, period: Period, scope: Scope, label: string): Promise<Answer> {
  const [k, days, stages, goals] = await Promise.all([
    ctx.sales.kpis.computeKpis(ctx.workspace, period, scope),
    ctx.sales.kpis.wonByDay(ctx.workspace, period, scope),
    ctx.sales.kpis.openByStage(ctx.workspace, scope),
    isGoalPeriod(period) ? ctx.sales.goals.progress(ctx.workspace, scope, period) : Promise.resolve([]),
  ]);
  const goal = goals.find((g) => g.goal.metric === "revenue");
  const periodText = periodLabel(ctx, period);
  const fields: Field[] = [
    {
      label: ctx.t("kpi.won"),
      value: ctx.t("kpi.won_value", { revenue: ctx.fmt.money(k.wonRevenue), count: k.wonCount }),
    },
    ...(goal
      ? [
          {
            label: ctx.t("kpi.chart_goal"),
            value: `${ctx.fmt.money(goal.goal.target)} (${ctx.fmt.percent(goal.attainment)})`,
          },
          ...(goal.pace === null
            ? []
            : [
                {
                  label: ctx.t("kpi.chart_pace"),
                  value: ctx.t("kpi.chart_pace_value", { pace: ctx.fmt.percent(goal.pace) }),
                },
              ]),
        ]
      : []),
    {
      label: ctx.t("kpi.open_pipeline"),
      value: ctx.t("kpi.count_value", { amount: ctx.fmt.money(k.openPipeline), count: k.openCount }),
    },
  ];
  return {
    title: ctx.t("kpi.chart_title", { period: periodText, who: label }),
    lines: goal ? [] : [ctx.t("forecast.no_goal")],
    fields,
    table: {
      columns: [ctx.t("kpi.chart_by_stage"), ctx.t("field.deals"), ctx.t("field.amount")],
      rows: stages.map((x) => [ctx.t(`stage.${x.stage}`), ctx.fmt.integer(x.count), ctx.fmt.money(x.amount)]),
    },
    charts: [
      wonAgainstGoalChart(ctx, ctx.cal, {
        period,
        periodLabel: periodText,
        who: label,
        days,
        goal: goal ? goal.goal.target : null,
        today: localDate(ctx.parse.now, ctx.workspace.timezone),
      }),
      pipelineChart(ctx, label, stages),
    ],
  };
}

export const kpi = defineCommand({
  name: "kpi",
  description: "command.kpi",
  visibility: "ephemeral",
  options: {
    period: periodOption("any"),
    ...scopeOptions(),
    view: choiceOption(KPI_VIEW_WORDS, "input.kpi_view", { description: "option.kpi_view" }),
  },
  fromText(tokens) {
    const { scope, words } = scopeFromTokens(tokens);
    const views = words.filter((w) => KPI_VIEW_WORDS.read(w) !== undefined);
    const { period, rest } = takePeriod(words.filter((w) => !views.includes(w)));
    return { period, view: views[0], ...scope, extra: [...rest, ...views.slice(1)].join(" ") || undefined };
  },
  async run(ctx, input) {
    const { scope, label } = await resolveScope(ctx, input, "company");
    const period = periodOrMonth(ctx, input.period);
    const title = ctx.t("kpi.title", { period: periodLabel(ctx, period), who: label });
    if (input.view === "chart") return kpiChart(ctx, period, scope, label);
    if (input.view === "activity")
      return kpiActivity(ctx, period, scope, { period: periodLabel(ctx, period), who: label });
    if (input.view === "products") {
      const heading = ctx.t("kpi.products_title", { period: periodLabel(ctx, period), who: label });
      return kpiProducts(ctx, period, scope, heading);
    }
    if (input.view === "lost") {
      const rows = await ctx.sales.kpis.lostReasons(ctx.workspace, period, scope);
      return {
        title: ctx.t("kpi.lost_title", { period: periodLabel(ctx, period), who: label }),
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
      const rows = await ctx.sales.kpis.sourceConversion(ctx.workspace, period, scope);
      return {
        title: ctx.t("kpi.sources_title", { period: periodLabel(ctx, period), who: label }),
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
    const k = await ctx.sales.kpis.computeKpis(ctx.workspace, period, scope);
    const fields: Field[] = [
      {
        label: ctx.t("kpi.won"),
        value: ctx.t("kpi.won_value", {
          revenue: ctx.fmt.money(k.wonRevenue),
          count: k.wonCount,
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
                won: k.wonCount,
                lost: k.lostCount,
              }),
      },
      {
        label: ctx.t("kpi.new_pipeline"),
        value: ctx.t("kpi.count_value", {
          amount: ctx.fmt.money(k.newAmount),
          count: k.newCount,
        }),
      },
      {
        label: ctx.t("kpi.open_pipeline"),
        value: ctx.t("kpi.count_value", {
          amount: ctx.fmt.money(k.openPipeline),
          count: k.openCount,
        }),
      },
      { label: ctx.t("kpi.weighted"), value: ctx.fmt.money(k.weightedPipeline) },
      {
        label: ctx.t("kpi.cycle"),
        value: k.salesCycleDays === null ? "–" : ctx.t("kpi.days", { days: k.salesCycleDays }),
      },
    ];
    return { title, lines: [], fields };
  },
});

export const leaderboard = defineCommand({
  name: "leaderboard",
  description: "command.leaderboard",
  visibility: "public",
  options: {
    period: periodOption("any"),
    metric: choiceOption(METRIC_WORDS, "input.metric", { named: true, description: "option.metric" }),
  },
  fromText(tokens) {
    // The leaderboard ranks everyone: a mention or any other word after the period is refused.
    const { period, rest } = takePeriod(tokens.map(tokenText));
    return { period, extra: rest.join(" ") || undefined };
  },
  async run(ctx, input) {
    const metric = input.metric ?? "revenue";
    const period = periodOrMonth(ctx, input.period);
    const board = await ctx.sales.leaderboard.leaderboard(ctx.workspace, period, metric);
    const rows = board.items;
    const medal = ["🥇", "🥈", "🥉"];
    return {
      title: ctx.t("leaderboard.title", {
        period: periodLabel(ctx, period),
        metric: ctx.t(`metric.${metric}`),
      }),
      lines: rows.length ? moreLines(ctx, board) : [ctx.t("leaderboard.empty")],
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
  description: "command.forecast",
  visibility: "ephemeral",
  options: {
    period: periodOption("forecast"),
    ...scopeOptions(),
  },
  fromText(tokens) {
    const { scope, words } = scopeFromTokens(tokens);
    const { period, rest } = takePeriod(words);
    return { period, ...scope, extra: rest.join(" ") || undefined };
  },
  async run(ctx, input) {
    const { scope, label } = await resolveScope(ctx, input, "company");
    const period = periodOrMonth(ctx, input.period);
    const goals = isGoalPeriod(period) ? await ctx.sales.goals.progress(ctx.workspace, scope, period) : [];
    const goal = goals.find((g) => g.goal.metric === "revenue");
    const f = await ctx.sales.forecast.forecast(ctx.workspace, period, scope, goal?.goal ?? null);
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
      title: ctx.t("forecast.title", { period: periodLabel(ctx, period), who: label }),
      fields: [
        { label: ctx.t("forecast.won"), value: against(f.won) },
        { label: ctx.t("forecast.elapsed"), value: ctx.fmt.percent(f.elapsed) },
        {
          label: ctx.t("forecast.run_rate"),
          value:
            f.runRate !== null
              ? against(f.runRate)
              : ctx.t(ctx.parse.now < period.start ? "forecast.not_started" : "forecast.too_early"),
        },
        { label: ctx.t("forecast.weighted_open"), value: ctx.fmt.money(f.weightedOpen) },
        { label: ctx.t("forecast.weighted"), value: against(f.weighted) },
      ],
      lines: goal ? [goalLine(ctx, goal, label)] : [ctx.t("forecast.no_goal")],
    };
  },
});
