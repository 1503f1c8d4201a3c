/** One sample of Prometheus's text format: `name{label="value",…} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export type Scrape = Sample[];

const LINE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

function parseText(text: string): Scrape {
  const out: Scrape = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const m = LINE.exec(line);
    if (!m?.[1] || m[3] === undefined) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? "").matchAll(LABEL)) if (k) labels[k] = v ?? "";
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

/** Reads Closer's `GET /metrics`. */
export async function scrape(baseUrl: string): Promise<Scrape> {
  const res = await fetch(`${baseUrl}/metrics`);
  if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
  return parseText(await res.text());
}

const matches = (s: Sample, name: string, labels: Record<string, string>) =>
  s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v);

function sum(scrape: Scrape, name: string, labels: Record<string, string>): number {
  return scrape.filter((s) => matches(s, name, labels)).reduce((t, s) => t + s.value, 0);
}

/** What Closer's own timer saw of one command between two scrapes. */
export interface CommandTimes {
  count: number;
  meanMs: number;
  /** Upper bounds of the histogram buckets holding the 50th and 99th percentiles (`le`, in ms). */
  p50AtMostMs: number;
  p99AtMostMs: number;
  /** `closer_commands_total` by outcome over the same span. */
  outcomes: Record<string, number>;
}

/**
 * `closer_command_duration_seconds` for the labels given (a platform, and a command or all of them) between `before` and `after`:
 * from the edge's start (identify the member, parse, run) to the reply, as the edge times it.
 */
export function commandTimes(before: Scrape, after: Scrape, labels: Record<string, string>): CommandTimes {
  const name = "closer_command_duration_seconds";
  const delta = (n: string, l: Record<string, string>) => sum(after, n, l) - sum(before, n, l);
  const count = delta(`${name}_count`, labels);
  const les = after.filter((s) => matches(s, `${name}_bucket`, labels)).map((s) => s.labels.le ?? "");
  const bounds = [...new Set(les)]
    .filter((le) => le !== "+Inf")
    .map(Number)
    .sort((a, b) => a - b);
  const atMost = (p: number) => {
    for (const le of bounds) {
      if (delta(`${name}_bucket`, { ...labels, le: String(le) }) >= p * count) return le * 1000;
    }
    return Number.POSITIVE_INFINITY;
  };
  const outcomes: Record<string, number> = {};
  // Labels may leave the command open: each outcome once, summed over the commands it was seen with.
  const seen = new Set(
    after.filter((x) => matches(x, "closer_commands_total", labels)).map((x) => x.labels.outcome ?? "?"),
  );
  for (const outcome of seen) {
    const n = delta("closer_commands_total", { ...labels, outcome });
    if (n > 0) outcomes[outcome] = n;
  }
  return {
    count,
    meanMs: count > 0 ? (delta(`${name}_sum`, labels) / count) * 1000 : Number.NaN,
    p50AtMostMs: atMost(0.5),
    p99AtMostMs: atMost(0.99),
    outcomes,
  };
}

/** Closer's event-loop delay over the span since the previous scrape (prom-client resets it at each). */
export function eventLoopLag(scrape: Scrape): { meanMs: number; p99Ms: number; maxMs: number } {
  const get = (n: string) => (scrape.find((s) => s.name === n)?.value ?? Number.NaN) * 1000;
  return {
    meanMs: get("nodejs_eventloop_lag_mean_seconds"),
    p99Ms: get("nodejs_eventloop_lag_p99_seconds"),
    maxMs: get("nodejs_eventloop_lag_max_seconds"),
  };
}
