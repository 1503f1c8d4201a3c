import type { Clock } from "../clock.js";
import { goalLine, milestoneLine } from "../commands/views.js";
import { speakerFor } from "../messages/speaker.js";
import type { DealView } from "../sales/deals/deal-service.js";
import type { Db, Workspace } from "../sales/deps.js";
import { goalReader } from "../sales/goals/goal-service.js";
import { channelOf, type Notification } from "./outbox.js";

/**
 * The wins-channel post of a won deal, read through the transaction that wins it: rep, customer,
 * amount, win note and the rep's new attainment, plus a line per goal milestone the win crossed.
 * Each part follows its announcement switch; nothing without a wins channel.
 */
export async function celebrationOf(
  db: Db,
  ws: Workspace,
  deal: DealView,
  clock: Clock,
): Promise<Notification[]> {
  if (!ws.winsChannel || !deal.closedAt || (!ws.announceWin && !ws.announceMilestone)) return [];
  const won = await goalReader(db, clock).progressOfWin(ws, deal.owner, deal);
  const crossings = ws.announceMilestone ? won.crossings : [];
  if (!ws.announceWin && crossings.length === 0) return [];
  const s = speakerFor(ws);
  const owner = deal.owner.displayName;
  const lines: string[] = [];
  let title = s.t("notify.milestone.title", { owner });
  if (ws.announceWin) {
    title = s.t("notify.win.title", {
      owner,
      customer: deal.customer.name,
      amount: s.fmt.money(deal.amount),
    });
    if (deal.winNote) lines.push(s.t("deal.win_note", { note: deal.winNote }));
    const own = won.progress.find((p) => p.goal.scope === "member");
    if (own) lines.push(goalLine(s, own, owner));
  }
  lines.push(...crossings.map((c) => milestoneLine(s, c, owner)));
  return [
    {
      key: `win:${deal.id}`,
      kind: "win",
      destination: channelOf(ws.winsChannel),
      reply: { visibility: "public", title, lines },
    },
  ];
}
