import { type Speaker, speakerFor } from "../messages/speaker.js";
import { channelOf, type Notification } from "../notify/outbox.js";
import type { Awards } from "../sales/awards/award-service.js";
import type { Workspace } from "../sales/deps.js";
import { localDate, type Period } from "../sales/periods/period.js";
import type { SalesService } from "../sales/sales-service.js";

export type AwardKind = "weekly" | "monthly";

/** The longest win note the awards quote whole; a longer one is cut, `/wins` shows it all. */
const QUOTED_NOTE = 280;

/** What only the month's awards say: who was thanked most, and the win note of the month's largest win. */
function monthlyLines(a: Awards, t: Speaker["t"], fmt: Speaker["fmt"]): string[] {
  const note = a.bestNote;
  return [
    ...(a.mostThanked
      ? [t("award.most_thanked", { name: a.mostThanked.name, count: a.mostThanked.count })]
      : []),
    ...(note
      ? [
          t("award.what_works", {
            note:
              note.note.length > QUOTED_NOTE
                ? `${note.note.slice(0, QUOTED_NOTE - 1).trimEnd()}…`
                : note.note,
            name: note.owner,
            number: note.number,
            customer: note.customer,
            amount: fmt.money(note.amount),
          }),
        ]
      : []),
  ];
}

/**
 * The awards post of a period to the wins channel: top revenue, most deals, biggest deal, goal
 * crushers and most improved; the month's also most thanked and the win note of its largest win.
 * Nothing when the period had no win, or without a wins channel; nor when all its wins were
 * imported: history brought in from a CRM is not celebrated as news.
 */
export async function awardsOf(
  sales: SalesService,
  ws: Workspace,
  kind: AwardKind,
  period: Period,
): Promise<Notification[]> {
  if (!ws.winsChannel) return [];
  const a = await sales.awards.computeAwards(ws, period);
  if (!a.topRevenue || !a.hasLiveWin) return [];
  const { t, fmt, locale } = speakerFor(ws);
  const lines = [
    t("award.top_revenue", { name: a.topRevenue.name, amount: fmt.money(a.topRevenue.revenue) }),
    ...(a.mostDeals
      ? [t("award.most_deals", { name: a.mostDeals.name, count: fmt.integer(a.mostDeals.deals) })]
      : []),
    ...(a.biggestDeal
      ? [
          t("award.biggest_deal", {
            name: a.biggestDeal.name,
            number: a.biggestDeal.number,
            customer: a.biggestDeal.customer,
            amount: fmt.money(a.biggestDeal.amount),
          }),
        ]
      : []),
    ...(a.goalCrushers.length
      ? [
          t("award.goal_crushers", {
            names: a.goalCrushers.map((c) => `${c.name} (${fmt.percent(c.attainment)})`).join(", "),
          }),
        ]
      : []),
    ...(a.mostImproved
      ? [
          t("award.most_improved", {
            name: a.mostImproved.name,
            amount: fmt.money(a.mostImproved.revenue - a.mostImproved.previous),
          }),
        ]
      : []),
    ...(kind === "monthly" ? monthlyLines(a, t, fmt) : []),
  ];
  return [
    {
      key: `award:${ws.id}:${localDate(period.start, ws.timezone)}:${kind}`,
      kind: "award",
      destination: channelOf(ws.winsChannel),
      reply: {
        visibility: "public",
        locale,
        title: t(`award.title.${kind}`, {
          period: kind === "weekly" ? fmt.day(localDate(period.start, ws.timezone)) : fmt.month(period.start),
        }),
        lines,
      },
    },
  ];
}
