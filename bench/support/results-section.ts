/** One benchmark's `## ` section of bench/RESULTS.md, written by its run, the others kept as they are. */

/** RESULTS.md with the section titled `title` replaced (or added at the end); the other sections are kept. */
export function withSection(previous: string, title: string, section: string): string {
  if (!previous.trim()) return `# Benchmark results\n\n${section}`;
  const start = previous.indexOf(title);
  if (start < 0) return `${previous.replace(/\n*$/, "\n\n")}${section}`;
  const next = previous.indexOf("\n## ", start + title.length);
  const end = next < 0 ? previous.length : next + 1;
  return `${previous.slice(0, start)}${section}${next < 0 ? "" : "\n"}${previous.slice(end)}`;
}

/** The hand-written block of an earlier RESULTS.md between two marker lines, or "". */
export function keptBlock(previous: string, startMarker: string, endMarker: string): string {
  const start = previous.indexOf(startMarker);
  const end = previous.indexOf(endMarker);
  if (start < 0 || end < start) return "";
  return previous.slice(start + startMarker.length, end);
}
