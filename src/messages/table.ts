/** A table as lines of monospace text, columns padded to their widest cell (counted in code points). */
export function tableLines(columns: string[], rows: string[][], options: { rule?: boolean } = {}): string[] {
  const width = (s: string) => [...s].length;
  const widths = columns.map((c, i) => Math.max(width(c), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + " ".repeat(Math.max(0, (widths[i] ?? 0) - width(c))))
      .join("  ")
      .trimEnd();
  const rule = options.rule ? [line(widths.map((w) => "-".repeat(w)))] : [];
  return [line(columns), ...rule, ...rows.map(line)];
}
