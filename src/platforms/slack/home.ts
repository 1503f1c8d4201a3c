import type { CommandContext } from "../../commands/command.js";
import { dealLine, goalLine, moreLines } from "../../messages/lines.js";
import { OPEN_STAGES } from "../../sales/deals/stages.js";
import { periodContaining } from "../../sales/periods/period.js";
import { type Block, escapeSlack, SLACK_LIMITS } from "./render-blocks.js";

const MAX_RANKED = 1000;

function section(text: string): Block {
  const cut =
    text.length > SLACK_LIMITS.sectionText ? `${text.slice(0, SLACK_LIMITS.sectionText - 1)}…` : text;
  return { type: "section", text: { type: "mrkdwn", text: cut } };
}

/**
 * The member's App Home: open deals by stage, goal progress and pace, reminders due, and their
 * place on this month's leaderboard.
 */
export async function buildHome(ctx: CommandContext): Promise<{ type: "home"; blocks: Block[] }> {
  const { sales, workspace, actor, t } = ctx;
  const now = ctx.parse.now;
  const month = periodContaining("month", now, ctx.cal);
  const [deals, goals, due, ranked] = await Promise.all([
    sales.deals.openDeals(workspace, actor),
    sales.goals.progressForMember(workspace, actor),
    sales.reminders.listReminders(workspace, actor, now),
    sales.leaderboard.leaderboard(workspace, month, "revenue", MAX_RANKED),
  ]);
  const blocks: Block[] = [
    {
      type: "header",
      text: { type: "plain_text", text: t("home.title", { name: actor.displayName }).slice(0, 150) },
    },
  ];

  blocks.push(section(`*${escapeSlack(t("home.open_deals"))}*`));
  const byStage = OPEN_STAGES.map((stage) => ({
    stage,
    deals: deals.filter((d) => d.stage === stage),
  })).filter((g) => g.deals.length);
  if (byStage.length === 0) blocks.push(section(escapeSlack(t("deal.list_empty"))));
  for (const group of byStage) {
    const lines = group.deals.map((d) => `• ${escapeSlack(dealLine(ctx, d))}`);
    blocks.push(section(`_${escapeSlack(t(`stage.${group.stage}`))}_\n${lines.join("\n")}`));
  }

  blocks.push({ type: "divider" }, section(`*${escapeSlack(t("home.goals"))}*`));
  const goalLines = goals.map((g) => {
    const who =
      g.goal.scope === "member"
        ? actor.displayName
        : t(g.goal.scope === "team" ? "scope.team" : "scope.company");
    return `• ${escapeSlack(goalLine(ctx, g, who))}`;
  });
  blocks.push(section(goalLines.length ? goalLines.join("\n") : escapeSlack(t("goal.none"))));

  blocks.push({ type: "divider" }, section(`*${escapeSlack(t("home.reminders"))}*`));
  const reminders = due.items;
  const reminderLines = reminders.map(
    (r) =>
      `• ${escapeSlack(`${ctx.fmt.date(r.dueAt)} · ${r.deal ? `#${r.deal.number}` : (r.customer?.name ?? "")}: ${r.text}`)}`,
  );
  reminderLines.push(...moreLines(ctx, due).map(escapeSlack));
  blocks.push(section(reminderLines.length ? reminderLines.join("\n") : escapeSlack(t("remind.none"))));

  const board = ranked.items;
  const mine = board.find((r) => r.memberId === actor.id);
  blocks.push(
    { type: "divider" },
    section(
      escapeSlack(
        mine
          ? t("home.rank", { rank: mine.rank, count: ranked.total, revenue: ctx.fmt.money(mine.revenue) })
          : t("home.unranked"),
      ),
    ),
  );
  return { type: "home", blocks: blocks.slice(0, 100) };
}
