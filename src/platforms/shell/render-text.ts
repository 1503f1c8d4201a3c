import type { Reply } from "../../messages/reply.js";
import { tableLines } from "../../messages/table.js";

/** A reply as plain text for the shell: title, fields, lines, table, then the buttons as hints. */
export function renderText(reply: Reply): string {
  const out: string[] = [];
  const prefix = reply.tone === "error" ? "! " : "";
  if (reply.title) out.push(prefix + reply.title);
  for (const f of reply.fields ?? []) out.push(`  ${f.label}: ${f.value.split("\n").join("\n    ")}`);
  for (const l of reply.lines)
    out.push(...l.split("\n").map((s, i) => (i === 0 && !reply.title ? prefix + s : `  ${s}`)));
  if (reply.table)
    out.push(...tableLines(reply.table.columns, reply.table.rows, { rule: true }).map((l) => `  ${l}`));
  const actions = (reply.actions ?? []).filter((a) => !a.form);
  if (actions.length) out.push(`  ${actions.map((a) => `[${a.label}: /${a.command} ${a.value}]`).join(" ")}`);
  return out.join("\n");
}
