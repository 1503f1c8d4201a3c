import { groupBy } from "../group-by.js";
import { moreLines } from "../messages/lines.js";
import type { Field } from "../messages/reply.js";
import { speakerFor } from "../messages/speaker.js";
import { dmOf, type Notification } from "../notify/outbox.js";
import type { Workspace } from "../sales/deps.js";
import type { CutList } from "../sales/lists.js";
import { addWorkingDays, startOfLocalDate, type Weekday } from "../sales/periods/period.js";
import type { SalesService } from "../sales/sales-service.js";

const PER_SECTION = 10;

const EVERY_DAY = new Set<Weekday>([1, 2, 3, 4, 5, 6, 7]);

/** Per-member counts: the groups' sizes when the whole list was read, else asked for. */
async function countsOf<T, K>(
  list: CutList<T>,
  groups: Map<K, T[]>,
  counted: () => Promise<Map<number, number>>,
): Promise<Map<K | number, number>> {
  if (list.total <= list.items.length) return new Map([...groups].map(([k, items]) => [k, items.length]));
  return counted();
}

/**
 * The morning round of `day`: one DM per rep listing their follow-ups due (today or overdue), their
 * stalled deals and their dormant customers. A rep with nothing to do gets nothing.
 */
export async function remindersOf(
  sales: SalesService,
  ws: Workspace,
  day: string,
  /** How many rows of each kind the round reads per workspace; beyond, each rep's count is asked for. */
  limit = 5000,
): Promise<Notification[]> {
  const s = speakerFor(ws);
  const { t, fmt } = s;
  const tomorrow = startOfLocalDate(addWorkingDays(day, 1, EVERY_DAY), ws.timezone);
  const [members, due, stalled, dormant] = await Promise.all([
    sales.members.listMembers(ws),
    sales.reminders.dueReminders(ws, tomorrow, limit),
    sales.reminders.stalledDeals(ws, { limit }),
    sales.customers.listCustomers(ws, "dormant", { limit }),
  ]);
  const dueBy = groupBy(due.items, (r) => r.memberId);
  const stalledBy = groupBy(stalled.items, (d) => d.ownerId);
  const dormantBy = groupBy(dormant.items, (c) => c.ownerId);
  // Each rep's count: what was read, unless the workspace's list was cut; then counted per rep.
  const [dueCount, stalledCount, dormantCount] = await Promise.all([
    countsOf(due, dueBy, () => sales.reminders.dueCountsByMember(ws, tomorrow)),
    countsOf(stalled, stalledBy, () => sales.reminders.stalledCountsByOwner(ws)),
    countsOf(dormant, dormantBy, () => sales.customers.dormantCountsByOwner(ws)),
  ]);
  const out: Notification[] = [];
  for (const m of members) {
    const section = (label: string, items: string[], counts: Map<number | null, number>): Field[] => {
      const shown = items.slice(0, PER_SECTION);
      const total = Math.max(counts.get(m.id) ?? 0, items.length);
      if (total === 0) return [];
      return [{ label, value: [...shown, ...moreLines(s, { items: shown, total })].join("\n") }];
    };
    const fields = [
      ...section(
        t("reminders.followups"),
        (dueBy.get(m.id) ?? []).map((r) =>
          t("reminders.followup", {
            subject: r.deal ? `#${r.deal.number}` : (r.customer?.name ?? ""),
            text: r.text,
            due: fmt.date(r.dueAt),
          }),
        ),
        dueCount,
      ),
      ...section(
        t("reminders.stalled", { days: ws.stalledDays }),
        (stalledBy.get(m.id) ?? []).map((d) =>
          t("digest.stalled_deal", {
            number: d.number,
            customer: d.customer,
            amount: fmt.money(d.amount),
            since: fmt.date(d.lastEventAt),
          }),
        ),
        stalledCount,
      ),
      ...section(
        t("reminders.dormant", { days: ws.dormantDays }),
        (dormantBy.get(m.id) ?? []).map((c) =>
          t("reminders.dormant_customer", { name: c.name, since: c.lastWon ? fmt.date(c.lastWon) : "–" }),
        ),
        dormantCount,
      ),
    ];
    if (fields.length === 0) continue;
    out.push({
      key: `reminders:${ws.id}:${day}:${m.id}`,
      kind: "reminders",
      destination: dmOf(m.platformUserId),
      reply: {
        visibility: "public",
        locale: s.locale,
        title: t("reminders.title", { name: m.displayName }),
        lines: [],
        fields,
      },
    });
  }
  return out;
}
