import { goalLine, milestoneLine } from "../messages/lines.js";
import { type Speaker, speakerFor } from "../messages/speaker.js";
import { channelOf, enqueue, type Notification } from "../notify/outbox.js";
import type { OnWin, Win } from "../sales/deals/deal-service.js";
import type { Workspace } from "../sales/deps.js";
import { calendarOf } from "../sales/workspaces/workspace-service.js";

/** The milestone lines of a win, when milestones are announced: one per goal milestone it crossed. */
function milestoneLines(ws: Workspace, s: Speaker, win: Win): string[] {
  if (!ws.announceMilestone) return [];
  const named = { ...s, cal: calendarOf(ws) };
  return win.crossings.map((c) => milestoneLine(named, c));
}

/**
 * The wins-channel post of a won deal: rep, customer, amount, win note and the rep's new
 * attainment, plus a line per goal milestone the win crossed, all as the win's transaction read
 * them. Each part follows its announcement switch; nothing without a wins channel.
 */
export function celebrationOf(ws: Workspace, win: Win): Notification[] {
  const { deal } = win;
  if (!ws.winsChannel || !deal.closedAt || (!ws.announceWin && !ws.announceMilestone)) return [];
  if (!ws.announceWin) return milestonePostOf(ws, win, `win:${deal.id}`);
  const s = speakerFor(ws);
  const owner = deal.owner.displayName;
  const lines: string[] = [];
  const title = s.t("notify.win.title", {
    owner,
    customer: deal.customer.name,
    amount: s.fmt.money(deal.amount),
  });
  if (deal.winNote) lines.push(s.t("deal.win_note", { note: deal.winNote }));
  const own = win.progress.find((p) => p.goal.scope === "member");
  if (own) lines.push(goalLine(s, own, owner));
  lines.push(...milestoneLines(ws, s, win));
  return [
    {
      key: `win:${deal.id}`,
      kind: "win",
      destination: channelOf(ws.winsChannel),
      reply: { visibility: "public", locale: s.locale, title, lines },
    },
  ];
}

/**
 * A post of the milestones alone, when the win itself is not announced: its switch is off, or the
 * deal was celebrated when it was first won. Without a key, it is keyed by its first milestone,
 * which is announced once ever.
 */
function milestonePostOf(ws: Workspace, win: Win, key?: string): Notification[] {
  const first = win.crossings[0];
  if (!ws.winsChannel || !first) return [];
  const s = speakerFor(ws);
  const lines = milestoneLines(ws, s, win);
  if (lines.length === 0) return [];
  const { goal } = first.progress;
  return [
    {
      key: key ?? `milestone:${goal.id}:${goal.target}:${Math.round(first.threshold * 100)}`,
      kind: "win",
      destination: channelOf(ws.winsChannel),
      reply: {
        visibility: "public",
        locale: s.locale,
        title: s.t("notify.milestone.title", { owner: win.deal.owner.displayName }),
        lines,
      },
    },
  ];
}

/**
 * Announces a win in its own transaction: the celebration commits with the win, or not at all. A
 * deal won again is not celebrated twice, but the milestones it newly crosses are posted.
 */
export const announceWin: OnWin = async (tx, ws, win, at) => {
  const posted = await enqueue(tx, ws, celebrationOf(ws, win), at);
  if (posted === 0) await enqueue(tx, ws, milestonePostOf(ws, win), at);
};
