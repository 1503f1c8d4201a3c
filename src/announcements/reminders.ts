import { focusLines } from "../messages/focus-lines.js";
import { speakerFor } from "../messages/speaker.js";
import { dmOf, type Notification } from "../notify/outbox.js";
import type { Workspace } from "../sales/deps.js";
import type { SalesService } from "../sales/sales-service.js";

/**
 * The morning round of `day`: one DM per member, their focus list (`/focus`) as of the run, with its
 * buttons. Every active member's list is read in one statement; a member with nothing gets nothing.
 */
export async function remindersOf(sales: SalesService, ws: Workspace, day: string): Promise<Notification[]> {
  const s = speakerFor(ws);
  const [members, lists] = await Promise.all([
    sales.members.listMembers(ws),
    sales.focus.focusListsByMember(ws),
  ]);
  return members.flatMap((m) => {
    const items = lists.get(m.id);
    if (!items?.length) return [];
    return [
      {
        key: `reminders:${ws.id}:${day}:${m.id}`,
        kind: "reminders",
        destination: dmOf(m.platformUserId),
        reply: {
          visibility: "public",
          locale: s.locale,
          title: s.t("reminders.title", { name: m.displayName }),
          ...focusLines(s, items, { owners: false }),
        },
      },
    ];
  });
}
