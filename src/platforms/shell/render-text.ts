import type { Reply } from "../../messages/reply.js";

/** Pads cells so columns line up in a terminal. */
function renderTable(columns: string[], rows: string[][]): string[] {
  const widths = columns.map((c, i) => Math.max([...c].length, ...rows.map((r) => [...(r[i] ?? "")].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + " ".repeat(Math.max(0, (widths[i] ?? 0) - [...c].length)))
      .join("  ")
      .trimEnd();
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

/** A reply as plain text for the shell: title, fields, lines, table, then the buttons as hints. */
export function renderText(reply: Reply): string {
  const out: string[] = [];
  const prefix = reply.tone === "error" ? "! " : "";
  if (reply.title) out.push(prefix + reply.title);
  for (const f of reply.fields ?? []) out.push(`  ${f.label}: ${f.value}`);
  for (const l of reply.lines)
    out.push(...l.split("\n").map((s, i) => (i === 0 && !reply.title ? prefix + s : `  ${s}`)));
  if (reply.table) out.push(...renderTable(reply.table.columns, reply.table.rows).map((l) => `  ${l}`));
  if (reply.actions?.length)
    out.push(`  ${reply.actions.map((a) => `[${a.label}: /${a.command} ${a.value}]`).join(" ")}`);
  return out.join("\n");
}
