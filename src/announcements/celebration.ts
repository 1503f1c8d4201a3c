import { goalLine, milestoneLine } from "../messages/lines.js";
import { speakerFor } from "../messages/speaker.js";
import { channelOf, enqueue, type Notification } from "../notify/outbox.js";
import type { OnWin, Win } from "../sales/deals/deal-service.js";
import type { Workspace } from "../sales/deps.js";

/**
 * The wins-channel post of a won deal: rep, customer, amount, win note and the rep's new
 * attainment, plus a line per goal milestone the win crossed, all as the win's transaction read
 * them. Each part follows its announcement switch; nothing without a wins channel.
 */
export function celebrationOf(ws: Workspace, win: Win): Notification[] {
  const { deal } = win;
  if (!ws.winsChannel || !deal.closedAt || (!ws.announceWin && !ws.announceMilestone)) return [];
  const crossings = ws.announceMilestone ? win.crossings : [];
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
    const own = win.progress.find((p) => p.goal.scope === "member");
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

/** Announces a win in its own transaction: the celebration commits with the win, or not at all. */
export const announceWin: OnWin = async (tx, ws, win, at) => {
  await enqueue(tx, ws, celebrationOf(ws, win), at);
};
