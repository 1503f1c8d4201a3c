import { type Action, isChoice, labelled, type Reply } from "../../messages/reply.js";
import { tableLines } from "../../messages/table.js";

/** More buttons than this are a list's, hinted one per line. */
const MAX_HINTS_ON_A_LINE = 4;

/** A reply as plain text for the shell: title, fields, lines, table, then the buttons as hints. */
export function renderText(reply: Reply): string {
  const out: string[] = [];
  const prefix = reply.tone === "error" ? "! " : "";
  if (reply.title) out.push(prefix + reply.title);
  for (const f of reply.fields ?? [])
    out.push(`  ${labelled(reply, f.label, f.value.split("\n").join("\n    "))}`);
  for (const l of reply.lines)
    out.push(...l.split("\n").map((s, i) => (i === 0 && !reply.title ? prefix + s : `  ${s}`)));
  if (reply.table)
    out.push(...tableLines(reply.table.columns, reply.table.rows, { rule: true }).map((l) => `  ${l}`));
  const typed = (a: Action) => a.typed ?? `/${a.command} ${a.value}`;
  const choices = reply.actions?.filter(isChoice) ?? [];
  const buttons = reply.actions?.filter((a) => !isChoice(a) && (!a.form || a.typed)) ?? [];
  // A list to choose from: one line each, naming the command that shows the choice.
  for (const a of choices) out.push(`  ${labelled(reply, a.label, typed(a))}`);
  const hints = buttons.map((a) => `[${labelled(reply, a.label, typed(a))}]`);
  // A deal's few buttons on one line; a list's, one for each of its lines.
  if (hints.length > MAX_HINTS_ON_A_LINE) out.push(...hints.map((h) => `  ${h}`));
  else if (hints.length) out.push(`  ${hints.join(" ")}`);
  return out.join("\n");
}
