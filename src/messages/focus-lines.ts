import type { FocusItem } from "../sales/focus/focus-service.js";
import type { Action } from "./reply.js";
import type { Speaker } from "./speaker.js";

/**
 * How a focus list is worded, the same in `/focus` and the morning DM: one numbered line per item,
 * and its one action as a button whose label carries the line's number.
 */

/** The longest command line a button carries: a Discord custom id holds 100 characters, `run:` included. */
const MAX_BUTTON_COMMAND = 95;

/** A customer's name as one word of a command line: quoted with a quote it does not contain. */
function quoted(name: string): string {
  return name.includes('"') ? `“${name}”` : `"${name}"`;
}

function itemText(s: Speaker, item: FocusItem): string {
  const { t, fmt } = s;
  const value = fmt.money(item.value);
  const { deal, reminder, customer } = item;
  if (item.kind === "followup" && reminder) {
    const due = fmt.date(reminder.dueAt);
    return deal
      ? t("focus.followup_deal", { number: deal.number, customer, text: reminder.text, due, value })
      : t("focus.followup_customer", { customer, text: reminder.text, due, value });
  }
  if (item.kind === "dormant" || !deal)
    return t("focus.dormant", { customer, since: item.lastWon ? fmt.date(item.lastWon) : "–", value });
  if (item.kind === "stalled")
    return t("focus.stalled", { number: deal.number, customer, since: fmt.date(deal.lastActivityAt), value });
  const date = deal.expectedCloseDate ? fmt.day(deal.expectedCloseDate) : "–";
  return t(item.kind === "overdue" ? "focus.overdue" : "focus.closing", {
    number: deal.number,
    customer,
    date,
    value,
  });
}

/**
 * The one action of an item (docs/decisions.md, "Focus actions"): mark a follow-up done, update an
 * overdue deal's close date (the edit form), win a deal due this week, plan a call about a stalled
 * deal or a dormant customer (a reminder for tomorrow).
 */
function itemAction(s: Speaker, item: FocusItem, n: number): Action | undefined {
  const { t } = s;
  const { deal, reminder } = item;
  if (item.kind === "followup" && reminder)
    return {
      id: `focus.${n}`,
      label: t("focus.action.done", { n }),
      command: "remind done",
      value: `${reminder.id}`,
    };
  if (item.kind === "overdue" && deal)
    return {
      id: `deal.edit.${n}`,
      label: t("focus.action.close_date", { n }),
      command: "deal edit",
      value: `#${deal.number}`,
      form: true,
      typed: t("focus.hint_close", { number: deal.number }),
    };
  if (item.kind === "closing" && deal)
    return {
      id: `focus.${n}`,
      label: t("focus.action.won", { n }),
      command: "deal won",
      value: `#${deal.number}`,
      style: "primary",
    };
  const about = deal ? `#${deal.number}` : quoted(item.customer);
  const value = `${about} ${t("focus.tomorrow")} ${t("focus.call_text")}`;
  // A name too long for a button's command gets none: its line still says what to do.
  if (`/remind ${value}`.length > MAX_BUTTON_COMMAND) return undefined;
  return { id: `focus.${n}`, label: t("focus.action.call", { n }), command: "remind", value };
}

/** A focus list's lines and buttons; `owners` adds whose each item is (a team's or the company's list). */
export function focusLines(
  s: Speaker,
  items: FocusItem[],
  options: { owners: boolean },
): { lines: string[]; actions: Action[] } {
  if (items.length === 0) return { lines: [s.t("focus.empty")], actions: [] };
  const lines = items.map((item, i) => {
    const text = itemText(s, item);
    return options.owners
      ? s.t("focus.line_owner", { n: i + 1, item: text, owner: item.member.name })
      : s.t("focus.line", { n: i + 1, item: text });
  });
  const actions = items.flatMap((item, i) => itemAction(s, item, i + 1) ?? []);
  return { lines, actions };
}
